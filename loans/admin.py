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
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from accounts.crypto import mask_number
from cashloan.admin_actions import ReasonForm, StaffAdminMixin, staff_action
from cashloan.admin_helpers import ReadOnlyAdminMixin, customer_link
from cashloan.exports import ChangelistExportMixin
from cashloan.money import percent_str
from messaging.masking import mask_mobile
from products.rules import OTHER_CHANNELS_DATA, PURPOSE_DATA

from risk.kinds import Outcome, seen_text

from . import decision_admin, lifecycle, writeoff
from .amortization import overdue_days
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


CHANNEL_LABELS = {"immediate": "即时记账"}


def channel_label(name: str) -> str:
    """A payment provider's name as staff read it (the default's is ``immediate``)."""
    return CHANNEL_LABELS.get(name, name)


def masked_mobile(user) -> str:
    return mask_mobile(user.mobile or "")


def masked_id_number(user) -> str:
    identity = getattr(user, "identity", None) if hasattr(user, "identity") else None
    return mask_number(identity.id_number) if identity else ""


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
        "posted_at", "effective_date", "kind", "amount", "principal", "interest", "fee", "penalty", "is_recovery", "channel",
        "provider_reference",
    )

    @admin.display(description="支付渠道")
    def channel(self, repayment):
        return channel_label(repayment.provider)


@admin.register(LoanApplication)
class LoanApplicationAdmin(StaffAdminMixin, ChangelistExportMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "customer", "product", "apply_amount", "status", "applied_at", "disbursed_at")
    list_filter = ("status", "product")
    search_fields = ("code", "=user__mobile")
    list_select_related = ("user", "product")
    date_hierarchy = "applied_at"
    inlines = (RepaymentPeriodInline, StatusChangeInline, RepaymentInline)
    actions = ("approve_applications", "reject_applications", "disburse_applications", "write_off_loans")
    exclude = (
        "phonebook", "risk_hits", "risk_facts", "user", "purpose", "other_channels", "interest_rate", "penalty_rate",
        "annualized_cost_rate",
    )
    readonly_fields = ("customer", "purpose_text", "other_channels_text", "rates", "risk_decision")
    export_name = "借款申请"
    export_columns = [
        ("借款编号", "code"), ("客户手机号", "export_mobile"), ("姓名", "export_name_of"), ("身份证号", "export_id_number"),
        ("产品", "product"), ("借贷金额", "apply_amount"), ("到账金额", "reply_amount"), ("年化利率", "interest_rate_pct"),
        ("借贷期限", "term_text"), ("借款用途", "purpose_text"), ("状态", "get_status_display"), ("申请时间", "applied_at"),
        ("放款时间", "disbursed_at"), ("结清时间", "paid_off_at"),
    ]

    def export_queryset(self, request):
        return super().export_queryset(request).select_related("user__identity")

    @admin.display(description="客户", ordering="user__mobile")
    def customer(self, obj):
        return customer_link(obj.user)

    @admin.display(description="借款用途")
    def purpose_text(self, obj):
        return PURPOSE_DATA.get(obj.purpose, obj.purpose and f"其他（{obj.purpose}）") or "未填写"

    @admin.display(description="其他渠道借款")
    def other_channels_text(self, obj):
        return OTHER_CHANNELS_DATA.get(obj.other_channels, obj.other_channels and f"其他（{obj.other_channels}）") or "未填写"

    @admin.display(description="利率")
    def rates(self, obj):
        cost = f"；年化综合成本（IRR）{percent_str(obj.annualized_cost_rate)}" if obj.annualized_cost_rate is not None else ""
        return f"年化利率 {percent_str(obj.interest_rate)}；罚息年利率 {percent_str(obj.penalty_rate)}{cost}"

    def interest_rate_pct(self, obj):
        return percent_str(obj.interest_rate)

    def term_text(self, obj):
        return f"{obj.term_count} {obj.get_term_unit_display()}"

    def get_status_display(self, obj):
        return obj.get_status_display()

    def export_mobile(self, obj):
        return masked_mobile(obj.user)

    def export_name_of(self, obj):
        return obj.user.real_name

    def export_id_number(self, obj):
        return masked_id_number(obj.user)

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
class RepaymentPeriodAdmin(StaffAdminMixin, ChangelistExportMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The schedules; filtered on 逾期, the overdue periods (and their export)."""

    list_display = (
        "application", "customer", "number", "due_date", "principal", "interest", "fee", "penalty", "is_overdue", "settlement", "paid_at",
    )
    list_filter = ("is_overdue", "settlement", "due_date")
    search_fields = ("application__code", "=application__user__mobile")
    list_select_related = ("application__user",)
    ordering = ("due_date", "application", "number")
    export_name = "还款计划"
    export_columns = [
        ("借款编号", "application"), ("客户手机号", "export_mobile"), ("姓名", "export_name_of"), ("身份证号", "export_id_number"),
        ("期数", "number"), ("约定还款日", "due_date"), ("逾期天数", "days_overdue"), ("应还本金", "principal"),
        ("应还利息", "interest"), ("应还费用", "fee"), ("罚息", "penalty"), ("还款状态", "settlement_text"),
    ]

    def export_queryset(self, request):
        return super().export_queryset(request).select_related("application__user__identity")

    @admin.display(description="客户", ordering="application__user__mobile")
    def customer(self, period):
        return customer_link(period.application.user)

    def export_mobile(self, period):
        return masked_mobile(period.application.user)

    def export_name_of(self, period):
        return period.application.user.real_name

    def export_id_number(self, period):
        return masked_id_number(period.application.user)

    def days_overdue(self, period):
        return overdue_days(period.due_date, timezone.localdate()) if not period.is_paid else 0

    def settlement_text(self, period):
        return period.get_settlement_display()


@admin.register(Repayment)
class RepaymentAdmin(StaffAdminMixin, ChangelistExportMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "posted_at", "application", "customer", "kind", "amount", "principal", "interest", "fee", "penalty", "channel", "provider_reference",
    )
    list_filter = ("kind", "is_recovery")
    search_fields = ("application__code", "=application__user__mobile", "provider_reference")
    list_select_related = ("application__user",)
    date_hierarchy = "posted_at"
    exclude = ("provider",)
    readonly_fields = ("channel",)
    export_name = "还款记录"
    export_columns = [
        ("入账时间", "posted_at"), ("业务日期", "effective_date"), ("借款编号", "application"), ("客户手机号", "export_mobile"),
        ("姓名", "export_name_of"), ("还款类型", "kind_text"), ("金额", "amount"), ("本金", "principal"), ("利息", "interest"),
        ("费用", "fee"), ("罚息", "penalty"), ("支付渠道", "channel"), ("渠道流水号", "provider_reference"), ("核销后收回", "is_recovery"),
    ]

    @admin.display(description="客户", ordering="application__user__mobile")
    def customer(self, repayment):
        return customer_link(repayment.application.user)

    @admin.display(description="支付渠道", ordering="provider")
    def channel(self, repayment):
        return channel_label(repayment.provider)

    def kind_text(self, repayment):
        return repayment.get_kind_display()

    def export_mobile(self, repayment):
        return masked_mobile(repayment.application.user)

    def export_name_of(self, repayment):
        return repayment.application.user.real_name
from . import finance_admin  # noqa: E402,F401  (registers 线下还款登记, 减免申请, 还款冲正)
