"""Loan applications, their schedules and the repayments posted against them."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from cashloan.models import ZERO, MoneyField, RateField
from products.models import Product
from products.terms import IntervalUnit, RepayType, TermUnit
from risk.kinds import Outcome

from .amortization import LoanTerms


class ApplicationStatus(models.IntegerChoices):
    PENDING = 0, "待审核"
    IN_REVIEW = 1, "审核中"
    APPROVED = 2, "审核成功"
    REJECTED = 3, "审核拒绝"
    DISBURSED = 4, "已放款"
    PAID_OFF = 5, "已还完"


UNFINISHED_STATUSES = (
    ApplicationStatus.PENDING,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.APPROVED,
    ApplicationStatus.DISBURSED,
)

# Loans whose money was lent: they have a schedule, and count in "total lent" (§27).
SERVICED_STATUSES = (ApplicationStatus.DISBURSED, ApplicationStatus.PAID_OFF)


class LoanApplication(models.Model):
    """One loan, from application to pay-off (CONTRACT §8 statuses 0–5).

    The product's terms are copied at application time, so a later product edit never
    changes a loan already applied for.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField("借款编号", max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="loans", verbose_name="客户")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="loans", verbose_name="产品")
    status = models.IntegerField("状态", choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING, db_index=True)

    apply_amount = MoneyField("借贷金额")
    service_fee = MoneyField("服务费（放款时扣除）", default=ZERO)
    reply_amount = MoneyField("到账金额")
    interest_rate = RateField("年化利率")
    penalty_rate = RateField("罚息年利率")
    period_fee = MoneyField("每期费用", default=ZERO)
    term_count = models.PositiveIntegerField("借贷期限")
    term_unit = models.PositiveSmallIntegerField("期限单位", choices=TermUnit.choices())
    repay_term_count = models.PositiveIntegerField("还款间隔")
    repay_term_unit = models.PositiveSmallIntegerField("还款间隔单位", choices=IntervalUnit.choices())
    repay_type = models.PositiveSmallIntegerField("还款方式", choices=RepayType.choices())
    annualized_cost_rate = RateField("年化综合成本（IRR）", null=True, blank=True)

    purpose = models.CharField("借款用途", max_length=4, blank=True)
    other_channels = models.CharField("其他渠道借款", max_length=4, blank=True)
    longitude = models.CharField("经度", max_length=32, blank=True)
    latitude = models.CharField("纬度", max_length=32, blank=True)
    operator_order_id = models.CharField("运营商授权订单号", max_length=64, blank=True)
    contact_name = models.CharField("联系人姓名", max_length=50, blank=True)
    contact_phone = models.CharField("联系人电话", max_length=20, blank=True)
    remark = models.CharField("备注", max_length=500, blank=True)
    phonebook = models.JSONField("通讯录", default=list, blank=True)

    # The login the application's session came from, and the risk decision (CONTRACT §12):
    # its outcome ("" before the rules existed), every rule that fired with what it saw, and
    # the facts the rules read, as they were (a dry run replays draft rules over them).
    device_token = models.CharField("申请设备 token", max_length=255, blank=True)
    risk_outcome = models.CharField("风控决策", max_length=10, choices=Outcome.CHOICES, blank=True)
    risk_hits = models.JSONField("触发的风控规则", default=list, blank=True)
    risk_facts = models.JSONField("风控决策依据", null=True, blank=True)

    applied_at = models.DateTimeField("申请时间", auto_now_add=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    disbursed_at = models.DateTimeField("放款时间", null=True, blank=True)
    paid_off_at = models.DateTimeField("结清时间", null=True, blank=True)

    # Written off by finance (CONTRACT §14): the customer still sees an unpaid loan (status 4);
    # penalty stops at this date and later repayments are recoveries.
    written_off_on = models.DateField("核销日期", null=True, blank=True)
    written_off_at = models.DateTimeField("核销时间", null=True, blank=True)
    written_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="核销人"
    )
    write_off_reason = models.CharField("核销原因", max_length=200, blank=True)

    # The review (CONTRACT §11): the officer who claimed it (only while in review, status 1),
    # the staff user who decided it (the approver may not disburse it: FOUR_EYES), and a
    # rejection's reason from the list staff extend.
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="领取人"
    )
    claimed_at = models.DateTimeField("领取时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="审核人"
    )
    reject_reason = models.ForeignKey(
        "RejectReason", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="拒绝原因"
    )

    class Meta:
        verbose_name = "借款申请"
        verbose_name_plural = "借款申请"
        ordering = ["-applied_at"]
        permissions = [
            ("review_loanapplication", "审核（领取、释放、审核通过、拒绝）"),
            ("disburse_loanapplication", "放款"),
            ("write_off_loanapplication", "核销贷款"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=[0, 1, 2, 4]),
                name="one_unfinished_loan_per_user",
                violation_error_message="该客户已有未结清的借款",
            ),
            models.CheckConstraint(
                condition=Q(claimed_by__isnull=True) | Q(status=1),
                name="claimed_only_in_review",
                violation_error_message="只有审核中的借款有领取人",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-applied_at"]),
            models.Index(fields=["applied_at"]),  # the dry run's last N, the decision figures by date
            models.Index(fields=["device_token", "applied_at"]),  # applications from one device
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_written_off(self) -> bool:
        return self.written_off_on is not None

    def penalty_date(self, today: date) -> date:
        """The day penalties are computed to: today, or the write-off date (no accrual after it)."""
        return min(today, self.written_off_on) if self.written_off_on else today

    def amortization_terms(self) -> LoanTerms:
        """The amortisation engine's view of this loan (the terms copied at application time)."""
        return LoanTerms(
            amount=self.apply_amount,
            annual_rate=self.interest_rate,
            term_count=self.term_count,
            term_unit=self.term_unit,
            repay_type=self.repay_type,
            interval_count=self.repay_term_count,
            interval_unit=self.repay_term_unit,
            period_fee=self.period_fee,
        )


class RejectReason(models.Model):
    """A reason an officer picks when rejecting (CONTRACT §11: a list staff can extend).

    Never deleted once used (rejections name it): a reason no longer offered is switched off.
    """

    name = models.CharField("原因", max_length=50, unique=True)
    is_active = models.BooleanField("可选用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=100, help_text="数字小的排在前面")

    class Meta:
        verbose_name = "拒绝原因"
        verbose_name_plural = "拒绝原因"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Disbursement(models.Model):
    """One payout attempt of a loan through the disbursement provider (``DISBURSEMENT_PROVIDER``).

    A failed attempt is kept with the provider's error; the loan then stays approved (status 2).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(LoanApplication, on_delete=models.PROTECT, related_name="disbursements", verbose_name="借款")
    amount = MoneyField("打款金额")
    provider = models.CharField("放款渠道", max_length=50)
    provider_reference = models.CharField("渠道流水号", max_length=100, blank=True)
    succeeded = models.BooleanField("成功")
    error = models.CharField("失败原因", max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    requested_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "放款记录"
        verbose_name_plural = "放款记录"
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.application.code} 放款 {self.amount} 元（{'成功' if self.succeeded else '失败'}）"


class Actor(models.TextChoices):
    """Who changed a loan's status (CONTRACT §11): three distinct kinds."""

    STAFF = "staff", "员工"
    CUSTOMER = "customer", "客户"
    SYSTEM = "system", "系统"


class StatusChange(models.Model):
    """Every status change of a loan, with who made it and when (``changed_by``: the staff user)."""

    application = models.ForeignKey(LoanApplication, on_delete=models.CASCADE, related_name="status_changes", verbose_name="借款")
    from_status = models.IntegerField("原状态", choices=ApplicationStatus.choices, null=True)
    to_status = models.IntegerField("新状态", choices=ApplicationStatus.choices)
    actor = models.CharField("操作方", max_length=10, choices=Actor.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    changed_at = models.DateTimeField("时间", auto_now_add=True)
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = "状态变更记录"
        verbose_name_plural = "状态变更记录"
        ordering = ["changed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(actor="staff", changed_by__isnull=False) | (~Q(actor="staff") & Q(changed_by__isnull=True)),
                name="status_change_staff_names_the_user",
                violation_error_message="员工操作须记录操作人，客户和系统的操作不记录员工",
            )
        ]


class Repayment(models.Model):
    """One posting of money received from the borrower (``current`` or ``all``)."""

    class Kind(models.TextChoices):
        CURRENT = "current", "按期还款"
        ALL = "all", "一次性还清"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(LoanApplication, on_delete=models.PROTECT, related_name="repayments", verbose_name="借款")
    kind = models.CharField("还款类型", max_length=10, choices=Kind.choices)
    amount = MoneyField("金额")
    principal = MoneyField("本金", default=ZERO)
    interest = MoneyField("利息", default=ZERO)
    fee = MoneyField("费用", default=ZERO)
    penalty = MoneyField("罚息", default=ZERO)
    provider = models.CharField("支付渠道", max_length=50)
    provider_reference = models.CharField("渠道流水号", max_length=100, blank=True)
    posted_at = models.DateTimeField("入账时间", auto_now_add=True)
    effective_date = models.DateField("业务日期", help_text="计算罚息与提前结清利息所用的日期（亚洲/上海）")
    is_recovery = models.BooleanField("核销后收回", default=False)
    # A wrong repayment is reversed, never deleted (CONTRACT §15; ``loans.reversals``).
    reversed_on = models.DateField("冲正日期", null=True, blank=True)

    class Meta:
        verbose_name = "还款记录"
        verbose_name_plural = "还款记录"
        ordering = ["-posted_at"]

    def __str__(self) -> str:
        reversed_text = "，已冲正" if self.reversed_on else ""
        return f"还款 {self.amount} 元（{self.get_kind_display()}{reversed_text}）"


class RepaymentPeriod(models.Model):
    """One period of a loan's schedule (the seed's 还款计划, addressed by ``id``).

    ``penalty`` is recomputed from (due date, as-of date) by the overdue job, never added to.
    Once paid, the ``paid_*`` amounts record what was actually collected (a pay-off waives
    later periods' interest), and ``repayment`` the posting that paid it.
    """

    class Settlement(models.IntegerChoices):
        UNPAID = 0, "未还"
        ON_SCHEDULE = 1, "已还"
        EARLY = 2, "提前结清"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(LoanApplication, on_delete=models.CASCADE, related_name="periods", verbose_name="借款")
    number = models.PositiveIntegerField("期数")
    start_date = models.DateField("起息日")
    due_date = models.DateField("约定还款日", db_index=True)
    principal = MoneyField("应还本金")
    interest = MoneyField("应还利息")
    fee = MoneyField("应还费用", default=ZERO)
    penalty = MoneyField("罚息", default=ZERO)
    is_overdue = models.BooleanField("逾期", default=False, db_index=True)
    # Waived by approved waivers (``loans.waivers``): the period asks for that much less. The
    # penalty waived is subtracted from the penalty computed from the due date; ``penalty``
    # holds what is left (what the books carry).
    waived_interest = MoneyField("减免利息", default=ZERO)
    waived_fee = MoneyField("减免费用", default=ZERO)
    waived_penalty = MoneyField("减免罚息", default=ZERO)
    recognised_on = models.DateField(
        "利息费用确认日", null=True, blank=True, help_text="到期日任务将本期利息与费用记入应收的业务日期"
    )

    settlement = models.IntegerField("还款状态", choices=Settlement.choices, default=Settlement.UNPAID, db_index=True)
    paid_principal = MoneyField("实还本金", default=ZERO)
    paid_interest = MoneyField("实还利息", default=ZERO)
    paid_fee = MoneyField("实还费用", default=ZERO)
    paid_penalty = MoneyField("实还罚息", default=ZERO)
    paid_at = models.DateTimeField("还款时间", null=True, blank=True)
    repayment = models.ForeignKey(
        Repayment, on_delete=models.PROTECT, null=True, blank=True, related_name="periods", verbose_name="还款记录"
    )

    class Meta:
        verbose_name = "还款计划"
        verbose_name_plural = "还款计划"
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="one_row_per_period")]

    def __str__(self) -> str:
        return f"{self.application.code} 第{self.number}期"

    @property
    def is_paid(self) -> bool:
        return self.settlement != self.Settlement.UNPAID

    @property
    def interest_due(self):
        return self.interest - self.waived_interest

    @property
    def fee_due(self):
        return self.fee - self.waived_fee

    @property
    def due_total(self):
        return self.principal + self.interest_due + self.fee_due + self.penalty


from .finance_models import OfflineRepayment, Reversal, Waiver, WaiverLine  # noqa: E402,F401  (Django finds them here)
