"""Back office of loans: officers review, approve, reject and disburse through admin actions;
finance writes loans off (with a reason).

Loan data is read-only here (no amounts are ever edited by hand); the only writes are the
actions (``cashloan.admin_actions.staff_action``), which call :mod:`loans.lifecycle` for each
selected loan, log each change in the operation log, and report, per loan, what was done and
what was refused.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.urls import path
from django.utils.html import format_html, format_html_join

from cashloan.admin_actions import ReasonForm, StaffAdminMixin, staff_action
from cashloan.admin_helpers import ReadOnlyAdminMixin

from risk.kinds import Outcome, seen_text

from . import decision_admin, lifecycle, writeoff
from .models import LoanApplication, Repayment, RepaymentPeriod, StatusChange
from .permissions import REVIEW_PERMISSION, WRITE_OFF_PERMISSION


class RejectForm(ReasonForm):
    """CONTRACT §11: a reject form has ``reason`` and ``note``."""

    reason = forms.CharField(label="拒绝原因", max_length=200)
    note = forms.CharField(label="备注", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))

    def reason_text(self) -> str:
        note = self.cleaned_data.get("note", "").strip()
        return f"{self.cleaned_data['reason']}（{note}）" if note else self.cleaned_data["reason"]


class WriteOffForm(ReasonForm):
    reason = forms.CharField(label="核销原因", max_length=200, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = (
            f"逾期满 {settings.WRITE_OFF_MIN_DPD} 天的借款才能核销。核销后，借款的本金、应收利息、应收费用与应收罚息转入"
            "「6701 信用减值损失」，不再计提罚息，不再催收；客户仍看到未结清的借款，此后的还款记为「6301 营业外收入」。"
        )


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class RepaymentPeriodInline(ReadOnlyInline):
    model = RepaymentPeriod
    verbose_name_plural = "还款计划"
    fields = (
        "number", "start_date", "due_date", "principal", "interest", "fee", "penalty", "is_overdue",
        "settlement", "paid_principal", "paid_interest", "paid_fee", "paid_penalty", "paid_at",
    )
    ordering = ("number",)


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    verbose_name_plural = "状态变更记录"
    fields = ("changed_at", "from_status", "to_status", "actor", "changed_by", "note")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class RepaymentInline(ReadOnlyInline):
    model = Repayment
    verbose_name_plural = "还款记录"
    fields = (
        "posted_at", "effective_date", "kind", "amount", "principal", "interest", "fee", "penalty", "is_recovery", "provider",
        "provider_reference",
    )


@admin.register(LoanApplication)
class LoanApplicationAdmin(StaffAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "customer_mobile", "product", "apply_amount", "status", "applied_at", "disbursed_at")
    list_filter = ("status", "product")
    search_fields = ("code", "user__mobile")
    list_select_related = ("user", "product")
    date_hierarchy = "applied_at"
    inlines = (RepaymentPeriodInline, StatusChangeInline, RepaymentInline)
    actions = ("approve_applications", "reject_applications", "disburse_applications", "write_off_loans")
    exclude = ("phonebook", "risk_hits", "risk_facts")
    readonly_fields = ("customer_mobile", "risk_decision")

    @admin.display(description="客户手机号", ordering="user__mobile")
    def customer_mobile(self, obj):
        return obj.user.mobile or obj.user.username

    @admin.display(description="触发的风控规则")
    def risk_decision(self, obj):
        """Every rule that fired, with what it saw (CONTRACT §12)."""
        if not obj.risk_outcome:
            return "（申请早于风控规则上线）"
        if not obj.risk_hits:
            return "没有规则触发：等待信贷专员审核"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((hit["name"], Outcome.LABELS.get(hit["outcome"], hit["outcome"]), seen_text(hit["seen"], hit["error"])) for hit in obj.risk_hits),
        )
        return format_html('<table class="risk-hits"><thead><tr><th>规则</th><th>结果</th><th>看到的数据</th></tr></thead><tbody>{}</tbody></table>', rows)

    def get_urls(self):
        views = [
            ("risk-dry-run/", decision_admin.dry_run_view, "loans_risk_dry_run"),
            ("risk-figures/", decision_admin.figures_view, "loans_risk_figures"),
        ]
        own = [path(route, self.admin_site.admin_view(lambda request, view=view: view(self, request)), name=name) for route, view, name in views]
        return own + super().get_urls()

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm(REVIEW_PERMISSION)

    @staff_action(
        description="审核通过所选借款", verb="审核通过", unit="笔", permissions=["review"], fields=["status"],
        refusals=(lifecycle.LifecycleError,),
    )
    def approve_applications(self, request, loan, form):
        return lifecycle.approve(loan, request.user)

    @staff_action(
        description="拒绝所选借款", verb="拒绝", unit="笔", permissions=["review"], fields=["status"], form=RejectForm,
        refusals=(lifecycle.LifecycleError,),
    )
    def reject_applications(self, request, loan, form):
        return lifecycle.reject(loan, request.user, form.reason_text())

    @staff_action(
        description="放款（今日）所选借款", verb="放款", unit="笔", permissions=["review"], fields=["status"],
        refusals=(lifecycle.LifecycleError,),
    )
    def disburse_applications(self, request, loan, form):
        return lifecycle.disburse(loan, request.user)

    def has_write_off_permission(self, request) -> bool:
        return request.user.has_perm(WRITE_OFF_PERMISSION)

    @staff_action(
        description="核销所选借款", verb="核销", unit="笔", permissions=["write_off"],
        fields=["written_off_on"], form=WriteOffForm, refusals=(lifecycle.LifecycleError,),
    )
    def write_off_loans(self, request, loan, form):
        """CONTRACT §14: at least WRITE_OFF_MIN_DPD days past due; the service refuses the others."""
        return writeoff.write_off(loan, request.user, form.reason_text())


@admin.register(RepaymentPeriod)
class RepaymentPeriodAdmin(StaffAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "application", "number", "due_date", "principal", "interest", "fee", "penalty", "is_overdue", "settlement", "paid_at",
    )
    list_filter = ("is_overdue", "settlement", "due_date")
    search_fields = ("application__code", "application__user__mobile")
    list_select_related = ("application",)
    ordering = ("due_date", "application", "number")


@admin.register(Repayment)
class RepaymentAdmin(StaffAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("posted_at", "application", "kind", "amount", "principal", "interest", "fee", "penalty", "provider", "provider_reference")
    list_filter = ("kind", "provider")
    search_fields = ("application__code", "application__user__mobile", "provider_reference")
    list_select_related = ("application",)
    date_hierarchy = "posted_at"
