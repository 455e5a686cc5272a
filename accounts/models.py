import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.lookups import Exact, In

from cashloan.models import MoneyField
from messaging.masking import mask_mobile

from . import snapshots
from .fields import EncryptedCharField


class UserQuerySet(models.QuerySet):
    """Writes that bypass ``save()`` still change the users' versions (``accounts.snapshots``)."""

    def update(self, **kwargs):
        user_ids = self._named_ids()
        if user_ids is None:
            user_ids = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        snapshots.bump_versions(user_ids)
        return count

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        count = super().bulk_update(objs, fields, batch_size=batch_size)
        snapshots.bump_versions(obj.pk for obj in objs)
        return count

    bulk_update.alters_data = True

    def _named_ids(self) -> list | None:
        """The ids a ``filter(pk=…)`` or ``filter(pk__in=…)`` confines the rows to, without a
        query; None when the filter does not (the rows are then looked up)."""
        where = self.query.where
        if where.connector != "AND" or where.negated:
            return None
        for child in where.children:
            target = getattr(getattr(child, "lhs", None), "target", None)
            if target is None or not target.primary_key or getattr(child, "negated", False):
                continue
            if isinstance(child, Exact) and not hasattr(child.rhs, "resolve_expression"):
                return [child.rhs]
            if isinstance(child, In) and isinstance(child.rhs, (list, tuple, set, frozenset)):
                return list(child.rhs)
        return None


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A login: app customers sign in with their mobile (``username`` = mobile); staff too.

    The verification flags are what other apps read (loans checks eligibility with
    ``verifications_complete`` and the blacklist/risk flags).
    """

    mobile = models.CharField("手机号", max_length=11, unique=True, null=True, blank=True)
    real_name = models.CharField("姓名", max_length=50, blank=True)

    real_name_verified = models.BooleanField("身份信息已认证", default=False)
    bank_card_verified = models.BooleanField("银行卡已认证", default=False)
    mobile_verified = models.BooleanField("手机已认证", default=False)
    info_completed = models.BooleanField("个人信息已完善", default=False)

    is_blacklisted = models.BooleanField("黑名单", default=False)
    is_risk = models.BooleanField("风险客户", default=False)
    total_credit = MoneyField("总授信额度", null=True, blank=True, help_text="为空表示不限额度")

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        """Staff by their user name; a customer by the masked mobile, so no page that names a
        customer shows the full number (CONTRACT §11: a full mobile is shown only when logged)."""
        if self.is_staff or not self.mobile:
            return self.username
        return mask_mobile(self.mobile)

    @property
    def verifications_complete(self) -> bool:
        return self.real_name_verified and self.bank_card_verified and self.mobile_verified and self.info_completed


class CustomerManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().filter(is_staff=False)


class StaffManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().filter(is_staff=True)


class Customer(User):
    """The app's customers (``is_staff`` off): the back office's 客户 list and customer page."""

    objects = CustomerManager()

    class Meta:
        proxy = True
        verbose_name = "客户"
        verbose_name_plural = "客户"
        permissions = [
            ("change_customer_flags", "调整客户的黑名单与风险标记"),
            ("reveal_customer", "查看客户完整的手机号、身份证号与银行卡号（记入操作日志）"),
        ]


class Staff(User):
    """Back-office staff (``is_staff`` on): the 职员 list, where superusers give roles."""

    objects = StaffManager()

    class Meta:
        proxy = True
        verbose_name = "职员"
        verbose_name_plural = "职员"


class AppType(models.TextChoices):
    ANDROID = "1", "安卓"
    IOS = "2", "iOS"
    OTHER = "3", "其他"


class Identity(models.Model):
    """The verified real-name identity of a customer (seed §32): name and ID number."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity", verbose_name="用户")
    real_name = models.CharField("姓名", max_length=50)
    id_number = EncryptedCharField("身份证号")
    id_number_digest = models.CharField("身份证号摘要", max_length=64, unique=True, editable=False)
    verified_at = models.DateTimeField("认证时间")

    class Meta:
        verbose_name = "身份认证"
        verbose_name_plural = "身份认证"

    def __str__(self) -> str:
        return self.real_name


class BankCard(models.Model):
    """The customer's verified bank card (seed §30); a new verification replaces it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bank_card", verbose_name="用户")
    card_number = EncryptedCharField("银行卡号")
    reserved_mobile = models.CharField("预留手机号", max_length=11)
    verified_at = models.DateTimeField("认证时间")

    class Meta:
        verbose_name = "银行卡"
        verbose_name_plural = "银行卡"

    def __str__(self) -> str:
        return f"{self.user} 的银行卡"


class Education(models.IntegerChoices):
    PRIMARY = 1, "小学"
    JUNIOR = 2, "初中"
    SENIOR = 3, "中专/高中"
    COLLEGE = 4, "专科"
    BACHELOR = 5, "本科"
    MASTER = 6, "硕士研究生"
    DOCTOR = 7, "博士研究生"


class MaritalStatus(models.IntegerChoices):
    SINGLE = 1, "未婚"
    MARRIED_NO_CHILDREN = 2, "已婚无子女"
    MARRIED_WITH_CHILDREN = 3, "已婚有子女"
    OTHER = 4, "其他"


class Duration(models.IntegerChoices):
    """Residence length and working hours share one scale; the API writes them ``01``..``05``."""

    UP_TO_3_MONTHS = 1, "3个月及以下"
    UP_TO_6_MONTHS = 2, "3个月-6个月"
    UP_TO_1_YEAR = 3, "6个月-1年"
    UP_TO_3_YEARS = 4, "1年-3年"
    OVER_3_YEARS = 5, "3年以上"


class Industry(models.IntegerChoices):
    GOVERNMENT = 1, "政府机关"
    MILITARY = 2, "军事机关"
    EDUCATION = 3, "教育、科研、设计机构"
    MEDIA = 4, "传媒、文化体育"
    HIGH_TECH = 5, "高新技术制造业"
    CONSTRUCTION = 6, "建筑业"
    MANUFACTURING = 7, "传统制造业"
    FINANCE = 8, "金融业"
    SERVICES = 9, "服务业"
    RETAIL = 10, "零售、商贸、企业"
    PROFESSIONAL = 11, "专业服务机构"
    PUBLIC_UTILITIES = 12, "公共事业"
    HOSPITAL = 13, "医院"
    OTHER = 14, "其他"


class PersonalInfo(models.Model):
    """Basic and work information (seed §33, §34); region fields are six-digit area codes."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_info", verbose_name="用户")
    education = models.PositiveSmallIntegerField("学历", choices=Education.choices)
    marital_status = models.PositiveSmallIntegerField("婚姻状况", choices=MaritalStatus.choices)
    registry_province = models.CharField("户籍所在省", max_length=6)
    registry_city = models.CharField("户籍所在市", max_length=6)
    registry_detail = models.CharField("户籍详细地址", max_length=200)
    house_province = models.CharField("居住省份", max_length=6)
    house_city = models.CharField("居住城市", max_length=6)
    house_county = models.CharField("居住区县", max_length=6)
    house_detail = models.CharField("现住址详细地址", max_length=200)
    residence_length = models.PositiveSmallIntegerField("居住时长", choices=Duration.choices)
    industry_type = models.PositiveSmallIntegerField("行业", choices=Industry.choices)
    work_province = models.CharField("单位地址-省", max_length=6)
    work_city = models.CharField("单位地址-市", max_length=6)
    work_county = models.CharField("单位地址-区", max_length=6)
    work_detail = models.CharField("单位详细地址", max_length=200)
    working_hours = models.PositiveSmallIntegerField("工作时长", choices=Duration.choices)
    company_name = models.CharField("单位名称", max_length=100)
    position = models.CharField("职位", max_length=50)
    month_income = MoneyField("月收入")
    payroll_day = models.PositiveSmallIntegerField("工资发放日")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "个人信息"
        verbose_name_plural = "个人信息"

    def __str__(self) -> str:
        return f"{self.user} 的个人信息"


class RelationType(models.IntegerChoices):
    PARENT = 1, "父母"
    CHILD = 2, "子女"
    SIBLING = 3, "兄弟姐妹"
    COLLEAGUE = 4, "同事"
    FRIEND = 6, "朋友"
    SPOUSE = 7, "配偶"
    GRANDPARENT = 9, "祖父母"


class Contact(models.Model):
    """An emergency contact of a customer (seed §35)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts", verbose_name="用户")
    rel_type = models.PositiveSmallIntegerField("关系", choices=RelationType.choices)
    real_name = models.CharField("姓名", max_length=50)
    phone_num = models.CharField("手机号", max_length=11)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "联系人"
        verbose_name_plural = "联系人"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.real_name


class Device(models.Model):
    """A device a customer logged in from (seed §4: ``appType`` and push ``token``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devices", verbose_name="用户")
    app_type = models.CharField("终端类型", max_length=1, choices=AppType.choices)
    token = models.CharField("设备 token", max_length=255)
    first_login_at = models.DateTimeField("首次登录时间", auto_now_add=True)
    last_login_at = models.DateTimeField("最近登录时间")

    class Meta:
        verbose_name = "登录设备"
        verbose_name_plural = "登录设备"
        ordering = ["-last_login_at"]
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="accounts_device_user_token")]
        indexes = [models.Index(fields=["token"], name="accounts_device_token")]  # customers sharing a device (risk rules)

    def __str__(self) -> str:
        return f"{self.user} {self.get_app_type_display()}"


FEEDBACK_SOURCES = {"1": "安卓 App", "2": "iOS App", "3": "其他"}


def feedback_source_label(source: str) -> str:
    """The seed leaves ``source`` open; the app sends its ``appType`` (1 安卓, 2 iOS)."""
    return FEEDBACK_SOURCES.get(source, f"其他（{source}）" if source else "未说明")


class Feedback(models.Model):
    """A suggestion sent from the app (seed §16); an operator handles it, replying with a
    customer message or not (``accounts.services.feedback.handle_feedback``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback", verbose_name="登录用户"
    )
    mobile = models.CharField("手机号", max_length=11)
    source = models.CharField("来源", max_length=20)
    suggestion = models.TextField("意见")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="处理人"
    )
    reply = models.TextField("回复", blank=True, help_text="作为客户消息发给提交意见的客户")

    class Meta:
        verbose_name = "意见反馈"
        verbose_name_plural = "意见反馈"
        ordering = ["-created_at"]
        permissions = [("handle_feedback", "处理意见反馈（回复客户）")]

    def __str__(self) -> str:
        return f"{mask_mobile(self.mobile)} {self.created_at:%Y-%m-%d}"

    @property
    def source_label(self) -> str:
        return feedback_source_label(self.source)


class AppVersion(models.Model):
    """A released app version (seed §17); the highest ``version_code`` per type is the latest."""

    app_type = models.CharField("App 类型", max_length=1, choices=AppType.choices)
    version_code = models.PositiveIntegerField("版本号", help_text="整数，越大越新")
    version_name = models.CharField("版本名称", max_length=30, help_text="例如 1.2.0")
    download_url = models.URLField("下载地址", max_length=500)
    force_update = models.BooleanField("强制更新", default=False)
    description = models.TextField("更新说明", blank=True)
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "App 版本"
        verbose_name_plural = "App 版本"
        ordering = ["app_type", "-version_code"]
        constraints = [models.UniqueConstraint(fields=["app_type", "version_code"], name="accounts_appversion_type_code")]

    def __str__(self) -> str:
        return f"{self.get_app_type_display()} {self.version_name}"


class CreditLimitChange(models.Model):
    """Every change of a customer's total credit, with its cause (CONTRACT §12).

    ``before`` / ``after`` empty means unlimited. Written only by ``accounts.credit_limits``.
    """

    class Cause(models.TextChoices):
        INITIAL = "initial", "注册初始额度"
        STAFF = "staff", "风控调整"
        RAISE = "raise", "按时结清提额"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credit_limit_changes", verbose_name="客户"
    )
    cause = models.CharField("原因类型", max_length=10, choices=Cause.choices)
    before = MoneyField("调整前额度", null=True, blank=True)
    after = MoneyField("调整后额度", null=True, blank=True)
    reason = models.CharField("说明", max_length=200, blank=True)
    loan_code = models.CharField("借款编号", max_length=32, blank=True, help_text="提额所依据的结清借款")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    changed_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "授信额度变更"
        verbose_name_plural = "授信额度变更"
        ordering = ["-changed_at", "-id"]
        permissions = [("set_credit_limit", "调整客户授信额度")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_cause_display()}"


class FlagChange(models.Model):
    """Every change of a customer's blacklist or risk flag, with who, when and why (CONTRACT §11).

    Written only by ``accounts.flags``.
    """

    class Flag(models.TextChoices):
        BLACKLIST = "is_blacklisted", "黑名单"
        RISK = "is_risk", "风险客户"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flag_changes", verbose_name="客户")
    flag = models.CharField("标记", max_length=20, choices=Flag.choices)
    before = models.BooleanField("调整前")
    after = models.BooleanField("调整后")
    reason = models.CharField("原因", max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    changed_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "标记变更"
        verbose_name_plural = "标记变更"
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.get_flag_display()}"
