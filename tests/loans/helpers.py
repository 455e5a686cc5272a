"""Helpers of the loans tests: loans disbursed through the lifecycle services, staff, login."""

from datetime import date

from loans import lifecycle
from loans.models import LoanApplication
from tests.factories import LoanApplicationFactory, UserFactory


def staff_user(**fields):
    return UserFactory(is_staff=True, real_name="信贷员", **fields)


def disbursed_loan(on: date, *, by=None, paid_out_by=None, **fields) -> LoanApplication:
    """A loan approved (by ``by``) and disbursed (by ``paid_out_by``: four eyes) on ``on`` through
    the lifecycle services; without staff, the system does both."""
    loan = LoanApplicationFactory(**fields)
    lifecycle.approve(loan, by)
    return lifecycle.disburse(loan, paid_out_by, on=on)


def login(api, user):
    """Log ``user`` in on the signed client (the login endpoint is accounts'; not under test here)."""
    api.client.force_login(user)
    return api
