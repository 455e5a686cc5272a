"""Small model helpers shared by the apps."""

from decimal import Decimal

from axes.models import AccessAttempt
from django.db import models


class MoneyField(models.DecimalField):
    """An amount of yuan: Decimal with two places (never float)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


class RateField(models.DecimalField):
    """An annual rate as a fraction with four places (0.3600 = 36 %)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 8)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(*args, **kwargs)


ZERO = Decimal("0.00")


class StaffLoginFailure(AccessAttempt):
    """Failed staff (admin) logins as django-axes keeps them: one row per user name, address and
    browser, with its count. A superuser unlocks at 系统 → 后台登录失败记录 (``cashloan.admin``)."""

    class Meta:
        proxy = True
        verbose_name = "后台登录失败记录"
        verbose_name_plural = "后台登录失败记录"
