"""Back office of loans: officers claim, approve and reject, finance disburses (the queue, the
review sheet and those actions are in :mod:`loans.review_admin`); finance writes loans off
(with a reason).

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

from accounts.crypto import mask_number
from cashloan.admin_actions import ReasonForm, StaffAdminMixin, staff_action
from cashloan.admin_helpers import ReadOnlyAdminMixin, customer_link
from cashloan.exports import ChangelistExportMixin
from cashloan.money import percent_str
from messaging.masking import mask_mobile
from products.rules import PURPOSE_DATA

from . import decision_admin, lifecycle, writeoff
from .amortization import overdue_days
from .models import LoanApplication, Repayment, RepaymentPeriod
from .permissions import WRITE_OFF_PERMISSION
from .review_admin import ReviewAdminMixin


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


@admin.register(LoanApplication)
class LoanApplicationAdmin(ReviewAdminMixin, StaffAdminMixin, ChangelistExportMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ReviewAdminMixin.review_list_display
    list_filter = ReviewAdminMixin.review_list_filter
    search_fields = ReviewAdminMixin.review_search_fields
    search_help_text = "输入借款编号、完整手机号或姓名"
    date_hierarchy = "applied_at"
    actions = (*ReviewAdminMixin.review_actions, "write_off_loans")
    export_name = "借款申请"
    export_columns = [
        ("借款编号", "code"), ("客户手机号", "export_mobile"), ("姓名", "export_name_of"), ("身份证号", "export_id_number"),
        ("产品", "product"), ("借贷金额", "apply_amount"), ("到账金额", "reply_amount"), ("年化利率", "interest_rate_pct"),
        ("借贷期限", "term_text"), ("借款用途", "purpose_text"), ("状态", "get_status_display"), ("申请时间", "applied_at"),
        ("放款时间", "disbursed_at"), ("结清时间", "paid_off_at"),
    ]

    def export_queryset(self, request):
        return super().export_queryset(request).select_related("user__identity")

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

    def purpose_text(self, obj):
        return PURPOSE_DATA.get(obj.purpose, obj.purpose and f"其他（{obj.purpose}）") or "未填写"

    def get_urls(self):
        views = [
            ("risk-dry-run/", decision_admin.dry_run_view, "loans_risk_dry_run"),
            ("risk-figures/", decision_admin.figures_view, "loans_risk_figures"),
        ]
        own = [path(route, self.admin_site.admin_view(lambda request, view=view: view(self, request)), name=name) for route, view, name in views]
        return own + self.review_urls() + super().get_urls()

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
