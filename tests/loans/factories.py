"""Loans built with the ORM (not through the apply endpoint), and helpers to move them along."""

from datetime import date
from decimal import Decimal

import factory

from loans import lifecycle
from loans.models import LoanApplication
from tests.factories import ProductFactory, UserFactory, VerifiedUserFactory


class LoanApplicationFactory(factory.django.DjangoModelFactory):
    """Status 0, like the seed's §26 sample: 500 for 14 days at 36 %, one payment, penalty 54 %."""

    class Meta:
        model = LoanApplication

    code = factory.Sequence(lambda n: f"LN{n:010d}")
    user = factory.SubFactory(VerifiedUserFactory)
    product = factory.SubFactory(ProductFactory)
    status = 0
    apply_amount = Decimal("500.00")
    service_fee = Decimal("0.00")
    reply_amount = factory.LazyAttribute(lambda loan: loan.apply_amount - loan.service_fee)
    interest_rate = Decimal("0.3600")
    penalty_rate = Decimal("0.5400")
    period_fee = Decimal("0.00")
    term_count = 14
    term_unit = 1
    repay_term_count = 1
    repay_term_unit = 1
    repay_type = 1
    purpose = "21"
    other_channels = "01"

    class Params:
        # Like 分期贷: 3000 over 3 months at 12 %, flat (type 4), monthly, 1 % service fee.
        instalments = factory.Trait(
            product=factory.SubFactory(ProductFactory, instalments=True),
            apply_amount=Decimal("3000.00"),
            service_fee=Decimal("30.00"),
            interest_rate=Decimal("0.1200"),
            term_count=3,
            term_unit=2,
            repay_term_count=1,
            repay_term_unit=2,
            repay_type=4,
        )


def staff_user(**fields):
    return UserFactory(is_staff=True, real_name="信贷员", **fields)


def disbursed_loan(on: date, *, by=None, **fields) -> LoanApplication:
    """A loan approved and disbursed on ``on`` through the lifecycle services."""
    loan = LoanApplicationFactory(**fields)
    lifecycle.approve(loan, by)
    return lifecycle.disburse(loan, by, on=on)


def freeze_today(monkeypatch, day: date) -> None:
    """Make "today" (Asia/Shanghai) ``day`` for the loans code; clocks and other dates unchanged."""
    from django.utils import timezone

    real_localdate = timezone.localdate

    def localdate(value=None, tz=None):
        return day if value is None else real_localdate(value, tz)

    monkeypatch.setattr(timezone, "localdate", localdate)


def login(api, user):
    """Log ``user`` in on the signed client (the login endpoint is accounts'; not under test here)."""
    api.client.force_login(user)
    return api
