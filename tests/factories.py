"""The suite's factories: every factory_boy factory, the rows built from them without the
services, and ``freeze_today``. Per-app helpers (payloads, known-good data, set-ups that go
through the services) are in ``tests/<app>/helpers.py``.
"""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.crypto import encrypt_password  # noqa: F401  (what the app sends; tests import it from here)
from accounts.models import User
from loans.models import ApplicationStatus, LoanApplication, Repayment, RepaymentPeriod


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    username = factory.LazyAttribute(lambda user: user.mobile)
    password = factory.django.Password("secret123")


class VerifiedUserFactory(UserFactory):
    """A customer who passed the four verification steps (may apply for a loan)."""

    real_name = "王豆豆"
    real_name_verified = True
    bank_card_verified = True
    mobile_verified = True
    info_completed = True


class ProductFactory(factory.django.DjangoModelFactory):
    """Like the demo's "新现金贷": 500–5000, 7 or 14 days, 36 %, one payment at maturity."""

    class Meta:
        model = "products.Product"

    name = "新现金贷"
    code = factory.Sequence(lambda n: f"PRODUCT{n:06d}")
    amount_limit_type = 0
    single_min_amount = Decimal("500.00")
    single_max_amount = Decimal("5000.00")
    single_default_amount = Decimal("2000.00")
    interest_rate_limit_type = 1
    interest_rates = "0.36"
    default_interest_rate = Decimal("0.3600")
    term_units = "1"
    days_limit_type = 1
    single_days = "7,14"
    single_default_days = 7
    months_limit_type = 1
    single_months = ""
    repay_types = "1"
    repay_term_units = "1,2"
    default_repay_term_count = 1
    default_repay_term_unit = 1
    penalty_rate = Decimal("0.5400")

    class Params:
        instalments = factory.Trait(
            name="分期贷",
            single_min_amount=Decimal("1000.00"),
            single_max_amount=Decimal("50000.00"),
            single_default_amount=Decimal("10000.00"),
            interest_rate_limit_type=0,
            min_interest_rate=Decimal("0.1200"),
            max_interest_rate=Decimal("0.2400"),
            interest_rates="",
            default_interest_rate=Decimal("0.1200"),
            term_units="2",
            days_limit_type=1,
            single_days="",
            single_default_days=None,
            single_months="3,6,12",
            single_default_months=3,
            repay_types="1,2,3,4",
            repay_term_units="2",
            default_repay_term_count=1,
            default_repay_term_unit=2,
            service_fee_rate=Decimal("0.0100"),
        )


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


class LoanFactory(LoanApplicationFactory):
    """A 14-day, 1 000 yuan loan at 36 %, one payment at maturity, 100 yuan service fee."""

    code = factory.Sequence(lambda n: f"L{n:010d}")
    apply_amount = Decimal("1000.00")
    service_fee = Decimal("100.00")
    repay_term_count = 14


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RepaymentPeriod

    application = factory.SubFactory(LoanFactory, status=ApplicationStatus.DISBURSED)
    number = 1
    start_date = factory.LazyAttribute(lambda p: p.due_date - timedelta(days=14))
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=3))
    principal = Decimal("1000.00")
    interest = Decimal("14.00")
    fee = Decimal("0.00")


def disbursed_loan(*, user=None, periods: list[date] | None = None, **fields) -> LoanApplication:
    """A disbursed loan written by the ORM, one period per due date given (principal split
    evenly); ``tests.loans.helpers.disbursed_loan`` disburses through the lifecycle services."""
    if user is not None:
        fields["user"] = user
    fields.setdefault("status", ApplicationStatus.DISBURSED)
    loan = LoanFactory(disbursed_at=timezone.now(), **fields)
    due_dates = periods or [timezone.localdate() + timedelta(days=14)]
    share = (loan.apply_amount / len(due_dates)).quantize(Decimal("0.01"))
    for number, due in enumerate(due_dates, start=1):
        PeriodFactory(application=loan, number=number, due_date=due, principal=share)
    return loan


def repayment(loan, amount: str, posted_at=None) -> Repayment:
    """A repayment row (no period settled), posted now or at ``posted_at``."""
    day = timezone.localdate(posted_at) if posted_at is not None else timezone.localdate()
    row = Repayment.objects.create(
        application=loan, kind="current", amount=Decimal(amount), provider="test", effective_date=day
    )
    if posted_at is not None:
        Repayment.objects.filter(pk=row.pk).update(posted_at=posted_at)
    return row


def freeze_today(monkeypatch, day: date) -> None:
    """Make "today" (Asia/Shanghai) ``day``: ``timezone.localdate()`` without arguments; clocks
    and other dates unchanged."""
    real_localdate = timezone.localdate

    def localdate(value=None, tz=None):
        return day if value is None else real_localdate(value, tz)

    monkeypatch.setattr(timezone, "localdate", localdate)
