"""The books: journal entries and their lines (append-only), and each loan's daily balances.

Amounts are integer cents: debits positive, credits negative, so a balance is a sum.
Entries and lines are never updated or deleted (on PostgreSQL a trigger refuses it; see
migration 0002); a correction is a reversing entry. ``DailyBalance`` is derived data kept by
the posting functions in the same transaction, so a balance as of any date is one row per
(loan, account) instead of every line.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .accounts import ActorKind, Account, EntryKind


class JournalEntry(models.Model):
    """One money event of one loan: balanced lines, posted once (``event_key`` is unique)."""

    event_key = models.CharField("事件键", max_length=120, unique=True)
    kind = models.CharField("类型", max_length=20, choices=EntryKind.choices)
    loan = models.ForeignKey(
        "loans.LoanApplication", on_delete=models.PROTECT, related_name="journal_entries", verbose_name="借款"
    )
    effective_date = models.DateField("业务日期")
    posted_at = models.DateTimeField("记账时间", default=timezone.now)
    actor_kind = models.CharField("操作方", max_length=10, choices=ActorKind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    actor_job = models.CharField("任务", max_length=50, blank=True)
    memo = models.CharField("摘要", max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by", verbose_name="冲正的分录"
    )

    class Meta:
        verbose_name = "会计分录"
        verbose_name_plural = "会计分录（日记账）"
        ordering = ["-effective_date", "-posted_at", "-id"]
        permissions = [("export_journalentry", "导出账簿（CSV、Excel）")]
        indexes = [
            models.Index(fields=["loan", "effective_date"]),
            models.Index(fields=["effective_date", "kind"]),
        ]

    def __str__(self) -> str:
        return self.event_key

    @property
    def actor(self) -> str:
        if self.actor_kind == ActorKind.SYSTEM:
            return f"系统任务 {self.actor_job}"
        user = self.actor_user
        name = (user.get_username() if user else "") or "—"
        return f"{ActorKind(self.actor_kind).label} {name}"


class JournalLine(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines", verbose_name="分录")
    account = models.CharField("科目", max_length=4, choices=Account.choices)
    loan = models.ForeignKey("loans.LoanApplication", on_delete=models.PROTECT, related_name="+", verbose_name="借款")
    amount = models.BigIntegerField("金额（分，借正贷负）")

    class Meta:
        verbose_name = "分录行"
        verbose_name_plural = "分录行"
        ordering = ["entry", "account"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="journal_line_not_zero")]
        indexes = [models.Index(fields=["loan", "account"])]

    def __str__(self) -> str:
        return f"{self.account} {self.amount}"


class DailyBalance(models.Model):
    """One account of one loan at the end of a day on which it moved."""

    loan = models.ForeignKey("loans.LoanApplication", on_delete=models.PROTECT, related_name="+", verbose_name="借款")
    account = models.CharField("科目", max_length=4, choices=Account.choices)
    date = models.DateField("业务日期")
    debits = models.BigIntegerField("当日借方（分）", default=0)
    credits = models.BigIntegerField("当日贷方（分）", default=0)
    balance = models.BigIntegerField("日终余额（分）", default=0)

    class Meta:
        verbose_name = "日终余额"
        verbose_name_plural = "日终余额"
        constraints = [models.UniqueConstraint(fields=["loan", "account", "date"], name="one_balance_per_loan_account_day")]
        indexes = [models.Index(fields=["date"])]


class Reconciliation(models.Model):
    """One run of ``manage.py reconcile``: the books against the loans as of ``as_of``."""

    as_of = models.DateField("对账日期")
    ran_at = models.DateTimeField("运行时间", default=timezone.now)
    loans_checked = models.PositiveIntegerField("核对借款笔数", default=0)
    difference_count = models.PositiveIntegerField("差异数", default=0)
    differences = models.JSONField("差异明细", default=list, blank=True)

    class Meta:
        verbose_name = "对账记录"
        verbose_name_plural = "对账记录"
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"{self.as_of} {'平' if self.ok else f'{self.difference_count} 处差异'}"

    @property
    def ok(self) -> bool:
        return self.difference_count == 0


class TrialBalance(JournalEntry):
    """The trial balance page (试算平衡表) in the admin's menu; no table of its own."""

    class Meta:
        proxy = True
        verbose_name = "试算平衡表"
        verbose_name_plural = "试算平衡表"


class LoanStatement(JournalEntry):
    """A loan's statement page (借款分户账) in the admin's menu; no table of its own."""

    class Meta:
        proxy = True
        verbose_name = "借款分户账"
        verbose_name_plural = "借款分户账"
