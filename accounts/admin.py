"""The back office of accounts (zh-hans): staff (职员), devices, feedback and app versions.

Customers have their own list and page (``backoffice.admin``: 客户); the user table is not
offered as such. ID and bank-card numbers and mobiles are only ever shown masked here.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.shortcuts import redirect
from django.utils.html import format_html

from cashloan.admin_actions import StaffAdminMixin, staff_action
from cashloan.admin_helpers import assignable_permissions, customer_link
from messaging.masking import mask_mobile

from .models import FEEDBACK_SOURCES, AppVersion, Device, Feedback, Staff
from .services.feedback import handle_feedback

HANDLE_FEEDBACK = "accounts.handle_feedback"


class StaffChangeForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget.template_name = "accounts/password_set.html"


@admin.register(Staff)
class StaffAdmin(StaffAdminMixin, DjangoUserAdmin):
    """职员: superusers add staff and give them a role (a group, ``cashloan.roles``)."""

    form = StaffChangeForm
    list_display = ["username", "real_name", "roles", "is_active", "is_superuser", "last_login", "date_joined"]
    list_filter = ["groups", "is_active", "is_superuser"]
    search_fields = ["username", "real_name", "email"]
    ordering = ["username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["real_name", "email"]}),
        ("角色与权限", {"fields": ["is_active", "is_superuser", "groups", "user_permissions"]}),
        ("重要日期", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["username", "real_name", "password1", "password2", "groups"]})]
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "user_permissions":
            kwargs["queryset"] = assignable_permissions()
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="角色")
    def roles(self, staff) -> str:
        return "、".join(group.name for group in staff.groups.all()) or ("超级用户" if staff.is_superuser else "无")

    def save_model(self, request, obj, form, change):
        obj.is_staff = True  # what makes a login staff: the 职员 list is theirs
        super().save_model(request, obj, form, change)


@admin.register(Device)
class DeviceAdmin(StaffAdminMixin, admin.ModelAdmin):
    list_display = ["customer", "app_type", "token", "first_login_at", "last_login_at"]
    list_filter = ["app_type"]
    search_fields = ["=user__mobile", "token"]
    search_help_text = "输入完整手机号或设备 token"
    list_select_related = ["user"]
    readonly_fields = ["customer", "app_type", "token", "first_login_at", "last_login_at"]
    fields = readonly_fields

    @admin.display(description="客户", ordering="user__mobile")
    def customer(self, device):
        return customer_link(device.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FeedbackSourceFilter(admin.SimpleListFilter):
    title = "来源"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        return list(FEEDBACK_SOURCES.items())

    def queryset(self, request, queryset):
        return queryset.filter(source=self.value()) if self.value() else queryset


class HandledFilter(admin.SimpleListFilter):
    title = "处理状态"
    parameter_name = "handled"

    def lookups(self, request, model_admin):
        return [("no", "待处理"), ("yes", "已处理")]

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(handled_at__isnull=self.value() == "no")
        return queryset


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="回复内容", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="作为客户消息发给提交意见的客户；留空则只标记为已处理",
    )

    def reason_text(self) -> str:
        reply = self.cleaned_data.get("reply", "").strip()
        return f"回复：{reply}" if reply else "未回复"


@admin.register(Feedback)
class FeedbackAdmin(StaffAdminMixin, admin.ModelAdmin):
    """意见反馈: operators read it and handle it (回复并标记为已处理, a customer message)."""

    list_display = ["masked_mobile", "source_text", "short_suggestion", "customer", "created_at", "status", "handled_by"]
    list_filter = [HandledFilter, FeedbackSourceFilter, "created_at"]
    search_fields = ["=mobile", "suggestion"]
    search_help_text = "输入完整手机号或意见内容"
    list_select_related = ["user", "handled_by"]
    actions = ["handle"]
    fields = ["masked_mobile", "source_text", "suggestion", "customer", "created_at", "status", "handled_by", "handled_at", "reply"]
    readonly_fields = fields
    change_form_template = "admin/accounts/feedback/change_form.html"

    @admin.display(description="手机号", ordering="mobile")
    def masked_mobile(self, feedback):
        return mask_mobile(feedback.mobile)

    @admin.display(description="来源", ordering="source")
    def source_text(self, feedback):
        return feedback.source_label

    @admin.display(description="意见")
    def short_suggestion(self, feedback):
        return feedback.suggestion if len(feedback.suggestion) <= 40 else feedback.suggestion[:40] + "…"

    @admin.display(description="客户")
    def customer(self, feedback):
        return customer_link(feedback.user) if feedback.user else "未登录提交"

    @admin.display(description="处理状态", ordering="handled_at")
    def status(self, feedback):
        return "已处理" if feedback.handled_at else format_html('<strong>{}</strong>', "待处理")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_handle_permission(self, request) -> bool:
        return request.user.has_perm(HANDLE_FEEDBACK)

    @staff_action(
        description="回复并标记为已处理", verb="处理意见反馈", unit="条", permissions=["handle"], fields=["handled_by"], form=ReplyForm,
    )
    def handle(self, request, feedback, form):
        return handle_feedback(feedback, by=request.user, reply=form.cleaned_data.get("reply", ""))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        feedback = self.get_object(request, object_id)
        can_reply = feedback is not None and feedback.handled_at is None and self.has_handle_permission(request)
        extra_context = {**(extra_context or {}), "reply_form": ReplyForm() if can_reply else None}
        return super().change_view(request, object_id, form_url, extra_context)

    def response_action(self, request, queryset):
        """The reply form of a feedback's page comes back to that page."""
        response = super().response_action(request, queryset)
        back = request.POST.get("back_to_feedback", "")
        if response is not None and response.status_code == 302 and back.isascii() and back.isdigit():
            return redirect("admin:accounts_feedback_change", back)
        return response


@admin.register(AppVersion)
class AppVersionAdmin(StaffAdminMixin, admin.ModelAdmin):
    list_display = ["app_type", "version_code", "version_name", "force_update", "created_at"]
    list_filter = ["app_type", "force_update"]
    search_fields = ["version_name"]
