"""Helpers of the collections tests: collectors, an overdue loan, the job for a day."""

from datetime import date, timedelta

from loans.overdue import mark_overdue
from recovery.models import CaseStatus, CollectionCase
from tests.backoffice.helpers import staff_in
from tests.loans.helpers import disbursed_loan

DISBURSED = date(2025, 1, 1)  # the seed's loan: 500 for 14 days at 36 % (interest 7.00), penalty 54 %
DUE = date(2025, 1, 15)


def collector(username: str, **fields):
    return staff_in("催收专员", username=username, **fields)


def lead(username: str = "lead"):
    return staff_in("催收主管", username=username)


def seed_loan(**fields):
    """500 + 7.00 interest due 2025-01-15; 0.75 penalty a day from 01-16."""
    return disbursed_loan(DISBURSED, **fields)


def day(dpd: int) -> date:
    """The day the seed loan is ``dpd`` days past due."""
    return DUE + timedelta(days=dpd)


def run_job(dpd: int) -> date:
    as_of = day(dpd)
    mark_overdue(as_of)
    return as_of


def open_case_of(loan) -> CollectionCase:
    return CollectionCase.objects.get(loan=loan, status=CaseStatus.OPEN)
