"""Finance's operations on a loan (CONTRACT §15), each proposed by one staff user and decided by
another: offline repayments, reversals of a repayment, waivers (减免).

Models only (the services are ``loans.offline``, ``loans.reversals``, ``loans.waivers``);
``loans.models`` imports them so Django finds them. Related models are named by string, so
this module imports nothing of ``loans``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cashloan.models import MoneyField


class Decision(models.TextChoices):
    PENDING = "pending", "待复核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "已驳回"


class FourEyes(models.Model):
    """Who proposed, who decided, when, and the decision's note (a rejection's reason)."""

    status = models.CharField("状态", max_length=10, choices=Decision.choices, default=Decision.PENDING, db_index=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="经办人")
    proposed_at = models.DateTimeField("登记时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="复核人"
    )
    decided_at = models.DateTimeField("复核时间", null=True, blank=True)
    decision_note = models.CharField("复核意见", max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status == Decision.PENDING


class OfflineRepayment(FourEyes):
    """Money received outside the app (bank transfer, counter), posted as a repayment of its
    kind once a second finance user confirms it."""

    class Channel(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", "银行转账"
        COUNTER = "counter", "柜台现金"
        OTHER = "other", "其他"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey(
        "loans.LoanApplication", on_delete=models.PROTECT, related_name="offline_repayments", verbose_name="借款"
    )
    kind = models.CharField("还款类型", max_length=10, choices=[("current", "按期还款"), ("all", "一次性还清")])
    period = models.ForeignKey(
        "loans.RepaymentPeriod", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="还款期次",
        help_text="按期还款时必选：所还的那一期",
    )
    amount = MoneyField("到账金额")
    received_on = models.DateField("到账日期", help_text="罚息与提前结清利息计算到此日")
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    reference = models.CharField("流水号 / 凭证号", max_length=100)
    proof = models.FileField("凭证", upload_to="offline_proofs/%Y/%m/", max_length=200)
    note = models.CharField("备注", max_length=200, blank=True)
    repayment = models.OneToOneField(
        "loans.Repayment", on_delete=models.PROTECT, null=True, blank=True, related_name="offline", verbose_name="还款记录"
    )

    class Meta:
        verbose_name = "线下还款"
        verbose_name_plural = "线下还款登记"
        ordering = ["-proposed_at"]
        permissions = [("confirm_offlinerepayment", "复核线下还款（确认入账或驳回）")]

    def __str__(self) -> str:
        return f"线下还款 {self.amount} 元（{self.application.code if self.application_id else ''}）"


class Waiver(FourEyes):
    """Part or all of a loan's penalty, interest or fees waived; approved by 风控 or a superuser."""

    class Component(models.TextChoices):
        PENALTY = "penalty", "罚息"
        INTEREST = "interest", "利息"
        FEE = "fee", "费用"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    application = models.ForeignKey("loans.LoanApplication", on_delete=models.PROTECT, related_name="waivers", verbose_name="借款")
    component = models.CharField("减免项目", max_length=10, choices=Component.choices)
    amount = MoneyField("减免金额")
    reason = models.CharField("减免原因", max_length=200)
    effective_date = models.DateField("入账日期", null=True, blank=True)

    class Meta:
        verbose_name = "减免"
        verbose_name_plural = "减免申请"
        ordering = ["-proposed_at"]
        permissions = [("approve_waiver", "审批减免")]

    def __str__(self) -> str:
        return f"减免{self.get_component_display()} {self.amount} 元"


class WaiverLine(models.Model):
    """What one approved waiver took off one period (earliest period first)."""

    waiver = models.ForeignKey(Waiver, on_delete=models.PROTECT, related_name="lines", verbose_name="减免")
    period = models.ForeignKey("loans.RepaymentPeriod", on_delete=models.PROTECT, related_name="waiver_lines", verbose_name="还款期次")
    amount = MoneyField("金额")

    class Meta:
        verbose_name = "减免明细"
        verbose_name_plural = "减免明细"


class Reversal(FourEyes):
    """A wrong repayment undone: a reversing entry, its periods unpaid again. The repayment stays."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    repayment = models.ForeignKey("loans.Repayment", on_delete=models.PROTECT, related_name="reversals", verbose_name="还款记录")
    reason = models.CharField("冲正原因", max_length=200)
    effective_date = models.DateField("入账日期", null=True, blank=True)
    period_numbers = models.JSONField("恢复为未还的期次", default=list, blank=True)

    class Meta:
        verbose_name = "还款冲正"
        verbose_name_plural = "还款冲正"
        ordering = ["-proposed_at"]
        permissions = [("approve_reversal", "审批还款冲正")]
        constraints = [
            models.UniqueConstraint(
                fields=["repayment"], condition=~Q(status="rejected"), name="one_live_reversal_per_repayment",
                violation_error_message="该笔还款已有冲正申请",
            )
        ]

    def __str__(self) -> str:
        return f"冲正 {self.repayment}"
