"""Posted once under real concurrency (CONTRACT §14: "a retried request or a rerun job posts
nothing twice"). PostgreSQL row locks, real threads."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ledger.accounts import EntryKind
from ledger.models import JournalEntry
from ledger.selectors import kept_balances_differing_from_lines, unbalanced_entry_count
from loans.overdue import mark_overdue
from loans.reconciliation import reconcile
from tests.loans.helpers import disbursed_loan
from tests.loans.test_repayment_race import THREADS, run_together, signed_clients

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def books_are_whole(today):
    assert unbalanced_entry_count() == 0
    assert kept_balances_differing_from_lines(today) == []
    assert [str(d) for d in reconcile(today, record=False).differences] == []


@pytest.mark.parametrize("instalments, kinds", [(True, ["current"]), (False, ["current", "all"])], ids=["current", "current+all"])
def test_sixteen_concurrent_repayments_post_one_entry(instalments, kinds):
    """16 requests at once on the first (late, recognised) period: one repayment, one entry."""
    today = timezone.localdate()
    loan = disbursed_loan(today - timedelta(days=40), instalments=instalments)
    mark_overdue(today)
    first = str(loan.periods.get(number=1).pk)
    clients = signed_clients(loan.user, THREADS)
    replies = run_together(
        [lambda c=c, kind=kinds[i % len(kinds)]: c.post("/appCommonApi/gotoRepayment", {"id": first, "repayType": kind})
         for i, c in enumerate(clients)]
    )
    assert sorted(r.code for r in replies) == ["0000"] + ["20006002"] * (THREADS - 1)
    assert JournalEntry.objects.filter(loan=loan, kind=EntryKind.REPAYMENT).count() == 1
    books_are_whole(today)


def test_the_job_run_twice_at_once_with_repayments_posts_each_event_once():
    today = timezone.localdate()
    loans = [disbursed_loan(today - timedelta(days=40), instalments=True) for _ in range(3)]
    jobs = [lambda: mark_overdue(today) for _ in range(4)]
    payers = [
        lambda c=c, loan=loan: c.post("/appCommonApi/gotoRepayment", {"id": str(loan.periods.get(number=1).pk), "repayType": "current"})
        for loan in loans for c in signed_clients(loan.user, 2)
    ]
    run_together(jobs + payers)
    mark_overdue(today)
    for loan in loans:
        assert JournalEntry.objects.filter(loan=loan, kind=EntryKind.REPAYMENT).count() == 1
        assert JournalEntry.objects.filter(loan=loan, kind=EntryKind.RECOGNITION).count() <= 1
    books_are_whole(today)
