"""Collections in the back office (CONTRACT §13).

* 催收案件: a collector's "my cases" (only their own; another's case answers 403), sorted by DPD
  and promise date; the case page shows what §13 allows and the contact-log form. The
  collections lead reads every case and reassigns one or many (调案).
* 分案记录, 催收回款: every assignment and the money recovered, read-only.
* 催收短信模板 (one per bucket) and 催收员负责账龄 (for ``COLLECTION_ASSIGN_BY_BUCKET``).
* 催收报表: open cases and amounts by bucket and collector, roll rates, recovered amounts.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from cashloan.admin_actions import StaffAdminMixin, staff_action
from cashloan.admin_helpers import ReadOnlyAdminMixin
from cashloan.exports import export_response
from cashloan.oplog import log_staff_action
from messaging.masking import mask_mobile

from . import assignment, contacts, reports, selectors
from .buckets import BUCKET_CHOICES
from .models import (
    Assignment,
    CaseRecovery,
    CaseStatus,
    Channel,
    CollectionCase,
    CollectionReport,
    CollectorBuckets,
    DunningTemplate,
    PromiseStatus,
    Result,
)
from .permissions import ASSIGN, REPORTS


def collector_name(user) -> str:
    if user is None:
        return "未分配"
    return f"{user.real_name}（{user.username}）" if user.real_name else user.username


class NotYourCase(PermissionDenied):
    """A collector asked for a case that is not theirs."""


class CollectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return collector_name(obj)


class ReassignForm(forms.Form):
    """The lead picks the collector (no one is preselected: a confirmation clicked through must
    not hand the cases to whoever sorts first); the page lists each case with its collector."""

    template = "admin/recovery/reassign_form.html"

    collector = CollectorChoiceField(label="改派给", queryset=get_user_model().objects.none(), empty_label="请选择催收员")
    note = forms.CharField(label="说明", max_length=200, required=False, help_text="选填，记入分案记录，例如“离职交接”")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collector"].queryset = assignment.active_collectors()

    def reason_text(self) -> str:
        return self.cleaned_data.get("note", "")

    def page_context(self, objects, request) -> dict:
        cases = CollectionCase.objects.filter(pk__in=[case.pk for case in objects]).select_related("loan__user", "collector")
        return {"cases": [(case, collector_name(case.collector)) for case in cases.order_by("-dpd", "pk")]}


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label="联系方式", choices=Channel.choices)
    result = forms.ChoiceField(label="结果", choices=Result.choices)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 50}))
    promise_date = forms.DateField(
        label="承诺还款日", required=False, widget=forms.TextInput(attrs={"placeholder": "例如 2026-01-01"}),
        help_text="结果为「承诺还款」时必填",
    )
    promise_amount = forms.DecimalField(label="承诺金额（元）", required=False, max_digits=14, decimal_places=2, min_value=0)


class StatusFilter(admin.SimpleListFilter):
    """Open cases unless asked otherwise."""

    title = "状态"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*CaseStatus.choices, ("all", "全部")]

    def queryset(self, request, queryset):
        value = self.value() or CaseStatus.OPEN
        return queryset if value == "all" else queryset.filter(status=value)

    def choices(self, changelist):
        current = self.value() or CaseStatus.OPEN
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


class PromiseFilter(admin.SimpleListFilter):
    """The promises a collector follows up: due by today (call before the day ends), or pending."""

    title = "承诺"
    parameter_name = "promise"

    def lookups(self, request, model_admin):
        return [("today", "今日到期"), ("pending", "待兑现")]

    def queryset(self, request, queryset):
        if self.value() == "today":
            return queryset.filter(promise_status=PromiseStatus.PENDING, promise_date__lte=timezone.localdate())
        if self.value() == "pending":
            return queryset.filter(promise_status=PromiseStatus.PENDING)
        return queryset


class CollectorFilter(admin.SimpleListFilter):
    title = "催收员"
    parameter_name = "collector"

    def lookups(self, request, model_admin):
        if not selectors.sees_every_case(request.user):
            return []
        return [("none", "未分配"), *((str(user.pk), collector_name(user)) for user in assignment.active_collectors())]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(collector__isnull=True)
        if self.value() and self.value().isascii() and self.value().isdigit():  # not "²": int() refuses it
            return queryset.filter(collector_id=int(self.value()))
        return queryset


@admin.register(CollectionCase)
class CollectionCaseAdmin(StaffAdminMixin, admin.ModelAdmin):
    list_display = ("loan_code", "borrower", "bucket_code", "dpd", "due", "promise", "collector_short", "last_contact", "opened")
    list_display_links = ("loan_code",)
    list_filter = (StatusFilter, "bucket", "broken_promise", PromiseFilter, CollectorFilter)
    search_fields = ("loan__code",)
    search_help_text = "按借款编号搜索"
    list_select_related = ("loan__user", "collector")
    actions = ["reassign_cases"]
    list_per_page = 50

    def get_queryset(self, request):
        return selectors.cases_visible_to(request.user)

    def get_ordering(self, request):
        return ["-dpd", F("promise_date").asc(nulls_last=True), "pk"]

    def get_list_display(self, request):
        if selectors.sees_every_case(request.user):
            return self.list_display
        return [name for name in self.list_display if name != "collector_short"]  # a collector's own, every one

    def changelist_view(self, request, extra_context=None):
        title = "全部催收案件" if selectors.sees_every_case(request.user) else "我的催收案件"
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or selectors.may_open(request.user, obj))

    def has_assign_permission(self, request) -> bool:
        return request.user.has_perm(ASSIGN)

    # --- columns ------------------------------------------------------------------------------

    @admin.display(description="借款编号", ordering="loan__code")
    def loan_code(self, case):
        return case.loan.code

    @admin.display(description="借款人")
    def borrower(self, case):
        user = case.loan.user
        return format_html('{} <span class="mobile">{}</span>', user.real_name or "—", mask_mobile(user.mobile or ""))

    @admin.display(description="承诺", ordering="promise_date")
    def promise(self, case):
        if case.promise_status == PromiseStatus.PENDING and case.promise_date:
            return f"{case.promise_date:%m-%d} 还 {case.promise_amount}"
        if case.broken_promise:
            return format_html('<strong class="broken">{}</strong>', "跳票")
        if case.promise_status == PromiseStatus.KEPT:
            return "已兑现"
        return "—"

    @admin.display(description="账龄", ordering="bucket")
    def bucket_code(self, case):
        return case.bucket

    @admin.display(description="催收员", ordering="collector__username")
    def collector_short(self, case):
        return (case.collector.real_name or case.collector.username) if case.collector_id else "未分配"

    @admin.display(description="最近联系", ordering="last_contact_at")
    def last_contact(self, case):
        return timezone.localtime(case.last_contact_at).strftime("%m-%d %H:%M") if case.last_contact_at else "—"

    @admin.display(description="入催日期", ordering="opened_on")
    def opened(self, case):
        return case.opened_on.isoformat()

    # --- the lead reassigns ---------------------------------------------------------------------

    @staff_action(
        description="调案（改派给催收员）", verb="调案", unit="件", permissions=["assign"], fields=["collector"],
        form=ReassignForm, refusals=(assignment.AssignmentRefused,),
    )
    def reassign_cases(self, request, case, form):
        return assignment.reassign(case, form.cleaned_data["collector"], by=request.user, note=form.reason_text())

    # --- the case page ----------------------------------------------------------------------------

    def _case_or_403(self, request, object_id) -> CollectionCase:
        if not super().has_view_permission(request):
            raise PermissionDenied
        object_id = str(object_id)
        case = CollectionCase.objects.filter(pk=object_id).first() if object_id.isascii() and object_id.isdigit() else None
        if case is None:
            raise Http404("没有这个案件")
        if not selectors.may_open(request.user, case):
            raise NotYourCase
        return case

    def _not_yours(self, request) -> TemplateResponse:
        """Another collector's case: a 403 in the back office that says why and leads back to
        the collector's own list (the site's bare 403 page says only 无权访问)."""
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": "无权访问此案件"}
        return TemplateResponse(request, "admin/recovery/not_your_case.html", context, status=403)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """What CONTRACT §13 lets the collector see, and the contact form; each time the page is
        shown (a full mobile on it) is a row of the operation log."""
        try:
            case = self._case_or_403(request, object_id)
        except NotYourCase:
            return self._not_yours(request)
        today = timezone.localdate()
        form = None
        if selectors.may_log_contact(request.user, case):
            form = ContactForm(request.POST or None)
            if request.method == "POST" and form.is_valid():
                try:
                    contacts.log_contact(case, request.user, today=today, **form.cleaned_data)
                except contacts.ContactRefused as error:
                    form.add_error(None, error)
                else:
                    self.message_user(request, "已记录本次联系", messages.SUCCESS)
                    return redirect("admin:recovery_collectioncase_change", case.pk)
        elif request.method == "POST":
            raise PermissionDenied
        page = selectors.case_page(case.pk, today)
        log_staff_action(request.user, "查看催收案件（借款人完整手机号、紧急联系人电话）", obj=case)  # a refused form shows it too
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": case,
            "title": f"催收案件：{case.loan.code}",
            "page": page,
            "form": form,
            "collector": collector_name(case.collector),
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/recovery/case.html", context)

    def history_view(self, request, object_id, extra_context=None):
        try:
            self._case_or_403(request, object_id)
        except NotYourCase:
            return self._not_yours(request)
        return super().history_view(request, object_id, extra_context)


@admin.register(Assignment)
class AssignmentAdmin(StaffAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("assigned_at", "case", "bucket", "previous_name", "collector_name", "by", "note")
    list_select_related = ("case__loan", "previous", "collector", "assigned_by")
    list_filter = ("bucket",)
    search_fields = ("case__loan__code",)
    search_help_text = "按借款编号搜索"

    @admin.display(description="原催收员")
    def previous_name(self, row):
        return collector_name(row.previous) if row.previous_id else "—"

    @admin.display(description="催收员")
    def collector_name(self, row):
        return collector_name(row.collector)

    @admin.display(description="分案人")
    def by(self, row):
        return collector_name(row.assigned_by) if row.assigned_by_id else "系统"


@admin.register(CaseRecovery)
class CaseRecoveryAdmin(StaffAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("date", "case", "amount", "bucket", "collector_name", "reversed_on")
    list_select_related = ("case__loan", "collector", "repayment")
    list_filter = ("bucket",)
    search_fields = ("case__loan__code",)
    search_help_text = "按借款编号搜索"
    date_hierarchy = "date"

    @admin.display(description="催收员")
    def collector_name(self, row):
        return collector_name(row.collector)

    @admin.display(description="冲正日期（不计回款）")
    def reversed_on(self, row):
        return row.repayment.reversed_on or "—"


@admin.register(DunningTemplate)
class DunningTemplateAdmin(StaffAdminMixin, admin.ModelAdmin):
    list_display = ("bucket", "text", "updated_at")
    fields = ("bucket", "text")
    readonly_fields = ("bucket",)

    def has_add_permission(self, request):
        return False  # one per bucket, made by the migration

    def has_delete_permission(self, request, obj=None):
        return False


class CollectorBucketsForm(forms.ModelForm):
    collector = CollectorChoiceField(label="催收员", queryset=get_user_model().objects.none(), empty_label="请选择催收员")
    buckets = forms.MultipleChoiceField(label="负责账龄", choices=BUCKET_CHOICES, widget=forms.CheckboxSelectMultiple, required=False)

    class Meta:
        model = CollectorBuckets
        fields = ("collector", "buckets")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collector"].queryset = assignment.active_collectors()


@admin.register(CollectorBuckets)
class CollectorBucketsAdmin(StaffAdminMixin, admin.ModelAdmin):
    form = CollectorBucketsForm
    list_display = ("collector", "buckets_text")

    @admin.display(description="负责账龄")
    def buckets_text(self, row):
        return "、".join(row.buckets) or "无"

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"by_bucket": assignment.by_bucket(), **(extra_context or {})})


@admin.register(CollectionReport)
class CollectionReportAdmin(StaffAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The lead's reports; the changelist is the page."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [path("", self.admin_site.admin_view(self.changelist_view), name="%s_%s_changelist" % info)]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(REPORTS)

    def get_queryset(self, request):
        return self.model.objects.none()  # a page, not a list of rows

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        form = reports.ReportForm(request.GET or None, today=today)
        choice = form.choice()
        table = request.GET.get("table")
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx") and table in reports.TABLES:
            title, filename, header, rows = reports.export(table, choice)
            log_staff_action(request.user, f"导出{title}（{fmt.upper()}）", model=CollectionReport)
            return export_response(fmt, filename, header, rows)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "催收报表",
            "form": form,
            "choice": choice,
            "open_table": reports.open_by_collector(choice.on),
            "roll_rates": reports.roll_rates(choice.roll_from),
            "recovered": reports.recovered(choice.start, choice.end),
            "export_query": request.GET.urlencode(),
            # today's table links each collector to their cases in the list (which shows today)
            "cases_link": reverse("admin:recovery_collectioncase_changelist") if choice.on == today else "",
        }
        return TemplateResponse(request, "admin/recovery/reports.html", context)
