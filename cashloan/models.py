"""Small model helpers shared by the apps."""

from decimal import Decimal

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
