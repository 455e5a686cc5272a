"""Loans made by the ORM for the messaging tests (the loans app's services are not needed)."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from loans.models import ApplicationStatus, LoanApplication, Repayment, RepaymentPeriod
from tests.factories import LoanApplicationFactory


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
    """A disbursed loan with one period per due date given (principal split evenly)."""
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
    row = Repayment.objects.create(application=loan, kind="current", amount=Decimal(amount), provider="test")
    if posted_at is not None:
        Repayment.objects.filter(pk=row.pk).update(posted_at=posted_at)
    return row
