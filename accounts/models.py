from django.contrib.auth.models import AbstractUser
from django.db import models

from cashloan.models import MoneyField


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

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.mobile or self.username

    @property
    def verifications_complete(self) -> bool:
        return self.real_name_verified and self.bank_card_verified and self.mobile_verified and self.info_completed
