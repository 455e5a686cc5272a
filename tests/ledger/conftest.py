"""Helpers for the books' tests: balances read back the slow way, quiet loan events."""

from contextlib import contextmanager

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings

from ledger.accounts import ACCOUNT_CODES
from ledger.models import JournalLine
from loans import lifecycle, repayments

# On top of the loaded profile (HYPOTHESIS_PROFILE=ci draws the same examples every time).
BOOKS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def quiet(monkeypatch):
    """No customer messages or SMS: these tests are about money."""
    for module in (lifecycle, repayments):
        monkeypatch.setattr(module, "notify_loan_event", lambda *args, **kwargs: None)


@contextmanager
def rolled_back():
    """Run one hypothesis example in a savepoint that is rolled back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def lines_of(loan) -> dict[str, int]:
    """Every account of the loan: the sum of its lines (cents), zero included."""
    sums = dict.fromkeys(ACCOUNT_CODES, 0)
    for account, amount in JournalLine.objects.filter(loan=loan).values_list("account", "amount"):
        sums[account] += amount
    return sums
