import re
import uuid

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q

from .masking import mask_mobile


class CustomerMessageType(models.IntegerChoices):
    SUBMITTED = 11, "提交审核"
    APPROVED = 12, "审核通过"
    REJECTED = 13, "审核拒绝"
    DISBURSED = 14, "放款"
    REPAYMENT_REMINDER = 15, "还款提醒"
    REPAID = 16, "已还款"
    OVERDUE = 17, "逾期催收"
    OTHER = 99, "其它"


class CustomerMessage(models.Model):
    """A message to one customer (seed §24): written by the loan services or by staff (99)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages", verbose_name="客户")
    message_type = models.IntegerField("消息类型", choices=CustomerMessageType.choices, default=CustomerMessageType.OTHER)
    title = models.CharField("标题", max_length=100)
    content = models.TextField("内容")
    application = models.ForeignKey(
        "loans.LoanApplication", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="借款"
    )
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="创建人"
    )

    class Meta:
        verbose_name = "客户消息"
        verbose_name_plural = "客户消息"
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["user", "-sent_at"])]

    def __str__(self) -> str:
        return self.title


class SystemMessageType(models.IntegerChoices):
    ACTIVITY = 0, "活动消息"
    NOTICE = 1, "公告消息"


UNSAFE_URL_CHARACTERS = frozenset("\"'<>`\\")


def validate_event_url(value: str) -> None:
    """An http(s) URL, and nothing that could close an HTML attribute or open a tag in a page
    or app that shows it (quotes, angle brackets, backquote, backslash)."""
    if any(character in UNSAFE_URL_CHARACTERS for character in value):
        raise ValidationError("活动链接不能包含引号、尖括号、反引号或反斜杠", code="unsafe")
    URLValidator(schemes=["http", "https"], message="请输入以 http:// 或 https:// 开头的有效链接")(value)


class SystemMessage(models.Model):
    """A broadcast (seed §25) that staff write; shown once ``publish_at`` has passed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    message_type = models.IntegerField("消息类型", choices=SystemMessageType.choices, default=SystemMessageType.NOTICE)
    title = models.CharField("标题", max_length=100)
    content = models.TextField("内容")
    event_url = models.URLField("活动链接", blank=True, validators=[validate_event_url])
    publish_at = models.DateTimeField("发布时间", db_index=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "系统消息"
        verbose_name_plural = "系统消息"
        ordering = ["-publish_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.message_type == SystemMessageType.ACTIVITY and not self.event_url:
            raise ValidationError({"event_url": "活动消息需要填写活动链接"})


SMS_PURPOSES = {
    "register": "注册验证码",
    "reset_password": "重置密码验证码",
    "submitted": "提交审核",
    "approved": "审核通过",
    "rejected": "审核拒绝",
    "disbursed": "放款通知",
    "reminder": "还款提醒",
    "repaid": "还款成功",
    "overdue": "逾期提醒",
    "dunning": "催收",
    "reversal": "还款冲正",
}
CODE_PURPOSES = ("register", "reset_password")
_CODE = re.compile(r"\d{4,8}")


def sms_purpose_label(purpose: str) -> str:
    """The SMS's purpose in words (an unknown one as 其他, with its code)."""
    if not purpose:
        return "其他"
    return SMS_PURPOSES.get(purpose, f"其他（{purpose}）")


class SmsMessage(models.Model):
    """Every SMS the system sends, recorded before it is handed to the gateway.

    A code message keeps its code only sealed, until delivery (``messaging.code_messages``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    mobile = models.CharField("手机号", max_length=11, db_index=True)
    text = models.TextField("内容", help_text="验证码短信的验证码显示为 ******")
    purpose = models.CharField("用途", max_length=32, blank=True)
    has_code = models.BooleanField("验证码短信", default=False)
    # The real text of a code message, encrypted, until it is delivered (messaging.code_messages).
    sealed_text = models.TextField(blank=True, editable=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    # Quiet hours (CONTRACT §13): a message that reached delivery at night waits until this time.
    not_before = models.DateTimeField("延后发送至", null=True, blank=True, help_text="夜间（21:00–08:00）不发送，顺延至早上 8 点")
    # The daily cap: at most one message per subject (a loan: "loan:<id>") and day.
    cap_key = models.CharField("限发对象", max_length=64, blank=True, editable=False)
    cap_day = models.DateField("限发日期", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "短信记录"
        verbose_name_plural = "短信记录"
        ordering = ["-created_at"]
        permissions = [("resend_smsmessage", "可以重新发送短信")]
        constraints = [
            models.UniqueConstraint(
                fields=["cap_key", "cap_day"], condition=Q(cap_day__isnull=False), name="one_capped_sms_per_subject_day"
            )
        ]

    def __str__(self) -> str:
        return f"{mask_mobile(self.mobile)} {self.purpose_label}"

    @property
    def purpose_label(self) -> str:
        return sms_purpose_label(self.purpose)

    @property
    def masked_text(self) -> str:
        """The text as staff may read it: a one-time code never shows (CONTRACT §11)."""
        return _CODE.sub("******", self.text) if self.purpose in CODE_PURPOSES else self.text


class H5Page(models.Model):
    """The text of an H5 page (seed §5, §6), edited by staff; templates render it."""

    slug = models.SlugField("标识", max_length=50, unique=True)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文", help_text="纯文本，空行分段")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "H5 页面"
        verbose_name_plural = "H5 页面"

    def __str__(self) -> str:
        return self.title


class NoticeLog(models.Model):
    """One daily notice sent for one period: the unique row makes the daily job idempotent."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "还款提醒"
        OVERDUE = "overdue", "逾期催收"
        DUNNING = "dunning", "催收短信"

    period = models.ForeignKey(
        "loans.RepaymentPeriod", on_delete=models.CASCADE, related_name="+", verbose_name="还款计划"
    )
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    date = models.DateField("日期")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "提醒发送记录"
        verbose_name_plural = "提醒发送记录"
        ordering = ["-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["period", "kind", "date"], name="one_notice_per_period_kind_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class AdminActionLog(LogEntry):
    """Django's admin LogEntry under its own name, for the read-only 操作日志 admin."""

    class Meta:
        proxy = True
        verbose_name = "操作日志"
        verbose_name_plural = "操作日志"
