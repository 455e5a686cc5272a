"""The identity blacklist in the back office (风控, CONTRACT §15): add an entry, remove entries
with a reason, import a CSV of entries, read the hits. Every write goes through
:mod:`risk.blacklist` (the admin's own log rows are not written twice: the service logs, or the
action does)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from cashloan.admin_actions import ReasonForm, StaffAdminMixin, staff_action
from cashloan.admin_helpers import ReadOnlyAdminMixin, customer_link

from . import blacklist
from .models import BlacklistEntry, BlacklistHit

IMPORT_PERMISSION = "risk.import_blacklistentry"
MAX_IMPORT_BYTES = 2 * 1024 * 1024


class EntryForm(forms.ModelForm):
    """What the risk manager types: the identity in clear (an ID number is digested, never kept)."""

    raw = forms.CharField(label="身份证号 / 手机号 / 设备 token", max_length=255)

    class Meta:
        model = BlacklistEntry
        fields = ["kind", "raw", "reason", "expires_on"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") and cleaned.get("raw"):
            try:
                blacklist.identity(cleaned["kind"], cleaned["raw"])
            except ValidationError as error:
                self.add_error("raw", error)
        return cleaned

    def validate_unique(self):
        """The service decides: adding a listed identity replaces its reason and expiry."""


class RemoveForm(ReasonForm):
    pass


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV 文件", help_text=f"UTF-8 编码；第 1 行为表头：{','.join(blacklist.CSV_HEADER)}")


class StateFilter(admin.SimpleListFilter):
    title = "状态"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("in_force", "生效中"), ("expired", "已过期"), ("removed", "已移除")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "in_force":
            return queryset.filter(blacklist.in_force(today))
        if self.value() == "expired":
            return queryset.filter(removed_at__isnull=True, expires_on__lt=today)
        if self.value() == "removed":
            return queryset.filter(removed_at__isnull=False)
        return queryset


@admin.register(BlacklistEntry)
class BlacklistEntryAdmin(StaffAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "state", "reason", "expires_on", "created_by_name", "created_at", "removed_at"]
    list_filter = [StateFilter, "kind"]
    search_fields = ["shown", "reason"]
    list_select_related = ["created_by", "removed_by"]
    readonly_fields = ["kind", "shown", "reason", "expires_on", "created_by_name", "created_at", "removed_by", "removed_at"]
    actions = ["remove_entries"]
    change_list_template = "admin/risk/blacklistentry/change_list.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            return EntryForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["kind", "raw", "reason", "expires_on"] if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # removed, never deleted: the list of who was listed stays

    def get_search_results(self, request, queryset, search_term):
        """An ID number typed in full is found by its digest (the clear number is not stored)."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        try:
            listed = blacklist.identity(BlacklistEntry.Kind.ID_NUMBER, term)
        except ValidationError:
            return found, duplicates
        return found | queryset.filter(kind=BlacklistEntry.Kind.ID_NUMBER, value=listed.value), duplicates

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        entry, _ = blacklist.add_entry(data["kind"], data["raw"], reason=data["reason"], expires_on=data["expires_on"], by=request.user)
        obj.pk, obj.value, obj.shown, obj.created_at = entry.pk, entry.value, entry.shown, entry.created_at

    def log_addition(self, request, obj, message):
        """The service wrote the row (with the reason)."""

    def _changeform_view(self, request, object_id, form_url, extra_context):
        try:
            return super()._changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, "；".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    @admin.display(description="状态")
    def state(self, entry: BlacklistEntry) -> str:
        if entry.removed_at:
            return "已移除"
        if entry.expires_on and entry.expires_on < timezone.localdate():
            return "已过期"
        return "生效中"

    @admin.display(description="添加人", ordering="created_by")
    def created_by_name(self, entry: BlacklistEntry) -> str:
        return str(entry.created_by) if entry.created_by else "命令行"

    @staff_action(
        description="移出黑名单", verb="移出黑名单", unit="条", permissions=["change"], fields=[("removed_at", "移除时间")],
        form=RemoveForm,
    )
    def remove_entries(self, request, entry, form):
        return blacklist.remove_entry(entry, by=request.user, log=False)

    # --- CSV import ------------------------------------------------------------------------

    def get_urls(self):
        return [path("import/", self.admin_site.admin_view(self.import_view), name="risk_blacklistentry_import"), *super().get_urls()]

    def has_import_permission(self, request) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)

    def changelist_view(self, request, extra_context=None):
        extra = {"can_import": self.has_import_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_IMPORT_BYTES:
                    raise ValidationError(f"文件不能超过 {MAX_IMPORT_BYTES // 1024 // 1024} MB")
                result = blacklist.import_rows(blacklist.parse_csv(upload.read()), by=request.user)
            except ValidationError as error:
                for text in error.messages:
                    form.add_error("file", text)
            else:
                self.message_user(request, f"已导入：新增 {result.added} 条，更新 {result.updated} 条", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:risk_blacklistentry_changelist"))
        context = {
            **self.admin_site.each_context(request), "title": "导入黑名单（CSV）", "opts": self.model._meta, "form": form,
            "header": ",".join(blacklist.CSV_HEADER),
        }
        return TemplateResponse(request, "admin/risk/blacklistentry/import.html", context)


@admin.register(BlacklistHit)
class BlacklistHitAdmin(StaffAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "event", "entry", "customer"]
    list_filter = ["event"]
    list_select_related = ["entry", "user"]
    date_hierarchy = "at"

    @admin.display(description="客户", ordering="user")
    def customer(self, hit: BlacklistHit):
        return customer_link(hit.user)
