"""Collections (催收, CONTRACT §13): a case per overdue loan, its assignments, the contact log and
its promises, the daily snapshot the reports read, the dunning texts."""

import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from cashloan.models import ZERO, MoneyField

from .buckets import BUCKET_CHOICES

STAFF = settings.AUTH_USER_MODEL


class CaseStatus(models.TextChoices):
    OPEN = "open", "催收中"
    REPAID = "repaid", "已还清结案"
    WRITTEN_OFF = "written_off", "核销结案"


class PromiseStatus(models.TextChoices):
    NONE = "", "—"
    PENDING = "pending", "待兑现"
    KEPT = "kept", "已兑现"
    BROKEN = "broken", "已跳票"
    REPLACED = "replaced", "已改约"


class CollectionCase(models.Model):
    """One loan's collection case: opened by the daily job on the loan's first overdue day,
    updated every day (DPD, bucket, what is due), closed by the repayment that clears the overdue
    periods or by the write-off. One open case per loan, held by the database."""

    loan = models.ForeignKey("loans.LoanApplication", on_delete=models.PROTECT, related_name="collection_cases", verbose_name="借款")
    status = models.CharField("状态", max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField("入催日期")
    closed_on = models.DateField("结案日期", null=True, blank=True)
    as_of = models.DateField("数据日期", help_text="逾期天数与应还金额所依据的日期")
    dpd = models.PositiveIntegerField("逾期天数")
    bucket = models.CharField("账龄", max_length=3, choices=BUCKET_CHOICES)
    due_principal = MoneyField("应还本金", default=ZERO)
    due_interest = MoneyField("应还利息", default=ZERO)
    due_fee = MoneyField("应还费用", default=ZERO)
    due_penalty = MoneyField("应还罚息", default=ZERO)
    due = MoneyField("应还合计", default=ZERO)
    collector = models.ForeignKey(STAFF, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="催收员")
    broken_promise = models.BooleanField("跳票", default=False)
    promise_date = models.DateField("承诺还款日", null=True, blank=True)
    promise_amount = MoneyField("承诺金额", null=True, blank=True)
    promise_status = models.CharField("最近承诺", max_length=8, choices=PromiseStatus.choices, blank=True)
    last_contact_at = models.DateTimeField("最近联系", null=True, blank=True)

    class Meta:
        verbose_name = "催收案件"
        verbose_name_plural = "催收案件"
        ordering = ["-dpd", "pk"]
        permissions = [("assign_collectioncase", "分案与调案")]
        constraints = [
            models.UniqueConstraint(fields=["loan"], condition=Q(status="open"), name="one_open_case_per_loan"),
        ]
        indexes = [
            models.Index(fields=["status", "collector", "-dpd"]),
            models.Index(fields=["status", "bucket"]),
        ]

    def __str__(self) -> str:
        return f"{self.loan.code}（{self.bucket}）" if self.loan_id else "催收案件"

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class CaseDay(models.Model):
    """A case as it stood at the end of one day (the daily job writes it, later changes that day
    rewrite it; a case closed that day has none): ``manage.py collections --date`` and the
    reports (roll rates, cases by bucket on a date) read these."""

    case = models.ForeignKey(CollectionCase, on_delete=models.CASCADE, related_name="days", verbose_name="案件")
    date = models.DateField("日期")
    dpd = models.PositiveIntegerField("逾期天数")
    bucket = models.CharField("账龄", max_length=3, choices=BUCKET_CHOICES)
    due = MoneyField("应还合计")
    collector = models.ForeignKey(STAFF, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="催收员")
    broken_promise = models.BooleanField("跳票", default=False)

    class Meta:
        verbose_name = "案件日快照"
        verbose_name_plural = "案件日快照"
        constraints = [models.UniqueConstraint(fields=["case", "date"], name="one_snapshot_per_case_day")]
        indexes = [models.Index(fields=["date", "bucket"])]


class Assignment(models.Model):
    """Every assignment of a case, kept: by the system (round-robin) or by the collections lead."""

    case = models.ForeignKey(CollectionCase, on_delete=models.CASCADE, related_name="assignments", verbose_name="案件")
    collector = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+", verbose_name="催收员")
    previous = models.ForeignKey(STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="原催收员")
    assigned_by = models.ForeignKey(
        STAFF, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="分案人", help_text="空：系统自动分案"
    )
    pool = models.CharField("轮转分组", max_length=3, blank=True, help_text="按账龄分案时为案件的账龄")
    bucket = models.CharField("分案时账龄", max_length=3, choices=BUCKET_CHOICES)
    note = models.CharField("说明", max_length=200, blank=True)
    assigned_at = models.DateTimeField("分案时间", auto_now_add=True)

    class Meta:
        verbose_name = "分案记录"
        verbose_name_plural = "分案记录"
        ordering = ["-assigned_at", "-pk"]
        indexes = [models.Index(fields=["pool", "-id"], condition=Q(assigned_by__isnull=True), name="automatic_assignments")]

    def __str__(self) -> str:
        return f"{self.case} → {self.collector}"


class Channel(models.TextChoices):
    CALL = "call", "电话"
    SMS = "sms", "短信"
    APP = "app", "应用内消息"


class Result(models.TextChoices):
    NO_ANSWER = "no_answer", "无人接听"
    PROMISE = "promise", "承诺还款"
    REFUSED = "refused", "拒绝还款"
    WRONG_NUMBER = "wrong_number", "号码错误"
    PAID = "paid", "已还款"


class ContactLog(models.Model):
    """One contact with the borrower, as the collector logged it; a promise carries its date
    and amount, and is later marked kept or broken."""

    case = models.ForeignKey(CollectionCase, on_delete=models.CASCADE, related_name="contacts", verbose_name="案件")
    collector = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+", verbose_name="记录人")
    created_at = models.DateTimeField("时间", auto_now_add=True)
    channel = models.CharField("方式", max_length=8, choices=Channel.choices)
    result = models.CharField("结果", max_length=16, choices=Result.choices)
    note = models.TextField("备注", blank=True)
    promise_date = models.DateField("承诺还款日", null=True, blank=True)
    promise_amount = MoneyField("承诺金额", null=True, blank=True)
    promise_status = models.CharField("承诺状态", max_length=8, choices=PromiseStatus.choices, blank=True)

    class Meta:
        verbose_name = "催收记录"
        verbose_name_plural = "催收记录"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}：{self.get_result_display()}"


class CollectorBuckets(models.Model):
    """The buckets a collector works when ``COLLECTION_ASSIGN_BY_BUCKET`` is on."""

    collector = models.OneToOneField(STAFF, on_delete=models.CASCADE, related_name="collection_buckets", verbose_name="催收员")
    buckets = models.JSONField("负责账龄", default=list)

    class Meta:
        verbose_name = "催收员负责账龄"
        verbose_name_plural = "催收员负责账龄"

    def __str__(self) -> str:
        return f"{self.collector}：{'、'.join(self.buckets) or '无'}"


PLACEHOLDERS = {"姓名": "借款人姓名", "金额": "应还合计（元）", "逾期天数": "逾期天数", "到期日": "最早未还一期的到期日"}


def validate_template(text: str) -> None:
    """Only the known placeholders, each as ``{名称}``: a format spec or a conversion
    (``{金额:d}``, ``{姓名!x}``) could fail or balloon when the daily job renders the text."""
    try:
        parsed = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text) if name is not None]
    except ValueError:
        raise ValidationError("花括号不成对：占位符写作 {姓名}，正文中的花括号写作 {{ 与 }}") from None
    if any(spec or conversion for _, spec, conversion in parsed):
        raise ValidationError("占位符只能写作 {姓名} 这样的形式，不能带 : 或 ! 后的格式")
    fields = [name for name, _, _ in parsed]
    unknown = sorted({name for name in fields if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(f"未知的占位符：{'、'.join(unknown) or '{}'}；可用：{'、'.join('{' + p + '}' for p in PLACEHOLDERS)}")


class DunningTemplate(models.Model):
    """The dunning SMS of one bucket, edited by staff; it replaces the overdue notice of a loan
    with an open case."""

    bucket = models.CharField("账龄", max_length=3, choices=BUCKET_CHOICES, unique=True)
    text = models.TextField(
        "短信内容", validators=[validate_template], help_text="占位符：{姓名} {金额} {逾期天数} {到期日}"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "催收短信模板"
        verbose_name_plural = "催收短信模板"
        ordering = ["bucket"]

    def __str__(self) -> str:
        return self.get_bucket_display()


class CaseRecovery(models.Model):
    """Money paid on a loan while its case was open, with the collector and bucket of that
    moment (written in the repayment's transaction): the lead's recovered-amount report."""

    case = models.ForeignKey(CollectionCase, on_delete=models.CASCADE, related_name="recoveries", verbose_name="案件")
    repayment = models.OneToOneField("loans.Repayment", on_delete=models.PROTECT, related_name="+", verbose_name="还款")
    date = models.DateField("业务日期")
    amount = MoneyField("金额")
    collector = models.ForeignKey(STAFF, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="催收员")
    bucket = models.CharField("账龄", max_length=3, choices=BUCKET_CHOICES)

    class Meta:
        verbose_name = "催收回款"
        verbose_name_plural = "催收回款"
        indexes = [models.Index(fields=["date"])]


class CollectionReport(CollectionCase):
    """The collections lead's reports page (no rows of its own)."""

    class Meta:
        proxy = True
        verbose_name = "催收报表"
        verbose_name_plural = "催收报表"
        default_permissions = ("view",)
