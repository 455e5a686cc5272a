"""Querysets compiled once and run with other values (cashloan/prepared.py): the same rows as the
queryset built for those values, whichever values come first."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from loans import selectors
from loans.selectors import _REPAY_ROW_VALUES, _REPAY_ROWS, RepayCondition
from tests.factories import VerifiedUserFactory
from tests.loans.helpers import disbursed_loan

pytestmark = pytest.mark.django_db


def queryset_rows(user_id, condition, today, limit=None, offset=0):
    from django.db.models import Count, Window

    rows = selectors.repay_periods(user_id, condition, today).annotate(total=Window(Count("id"))).values_list(*_REPAY_ROW_VALUES)
    return list(rows[offset : offset + limit] if limit else rows)


@pytest.fixture
def borrowers():
    start = date(2025, 1, 15)
    users = [VerifiedUserFactory(), VerifiedUserFactory()]
    disbursed_loan(start, instalments=True, user=users[0], term_count=12, apply_amount=Decimal("6000.00"))
    disbursed_loan(start + timedelta(days=40), instalments=True, user=users[1], term_count=6, apply_amount=Decimal("3000.00"))
    return users


@pytest.mark.parametrize("condition", RepayCondition.VALUES)
def test_the_prepared_rows_are_the_querysets(borrowers, condition):
    for today in (date(2025, 3, 1), date(2025, 6, 20)):
        for user in borrowers:
            expected = queryset_rows(user.pk, condition, today)
            assert _REPAY_ROWS[condition].rows(user_id=user.pk, today=today) == expected
            assert _REPAY_ROWS[condition].rows(user_id=user.pk, today=today, limit=2, offset=1) == expected[1:3]


def test_the_overdue_rows_move_with_the_date(borrowers):
    """Condition 3 compares due dates with today: the date is a parameter, not compiled in."""
    early = _REPAY_ROWS[RepayCondition.OVERDUE].rows(user_id=borrowers[0].pk, today=date(2025, 3, 1))
    late = _REPAY_ROWS[RepayCondition.OVERDUE].rows(user_id=borrowers[0].pk, today=date(2025, 6, 20))
    assert 0 < len(early) < len(late)


def test_one_query_and_no_compiling_after_the_first(borrowers, monkeypatch):
    _REPAY_ROWS[RepayCondition.ALL].rows(user_id=borrowers[0].pk, today=date(2025, 3, 1))
    from django.db.models.sql import compiler

    monkeypatch.setattr(compiler.SQLCompiler, "as_sql", lambda *a, **k: pytest.fail("compiled again"))
    with CaptureQueriesContext(connection) as queries:
        _REPAY_ROWS[RepayCondition.ALL].rows(user_id=borrowers[1].pk, today=date(2025, 3, 1))
    assert len(queries) == 1
