"""Finance's decisions under real concurrency (PostgreSQL row locks, real threads): an offline
repayment confirmed while the customer pays the same period in the app, and one reversal
approved by two finance users at once, each post exactly once."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ledger.accounts import EntryKind
from ledger.models import JournalEntry
from loans import offline, repayments, reversals
from loans.models import Repayment
from tests.backoffice.helpers import staff_in
from tests.loans.helpers import disbursed_loan
from tests.loans.test_repayment_race import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n%%EOF\n"


def attempt(job):
    try:
        return job()
    except (ValidationError, repayments.NothingDue) as refusal:
        return refusal


def test_an_offline_confirmation_and_the_apps_repayment_of_one_period_post_once(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    today = timezone.localdate()
    loan = disbursed_loan(today - timedelta(days=5), instalments=True)
    first = loan.periods.get(number=1)
    clerk, checker = staff_in("财务"), staff_in("财务")
    record = offline.record_offline_repayment(
        loan, kind="current", period=first, amount=first.principal + first.interest + first.fee, received_on=today,
        channel="counter", reference="C-1", proof=SimpleUploadedFile("a.pdf", PDF), by=clerk,
    )
    jobs = [lambda: attempt(lambda: offline.confirm_offline_repayment(record, by=checker))]
    jobs += [lambda: attempt(lambda: repayments.repay(loan.user, str(first.pk), "current")) for _ in range(7)]
    results = run_together(jobs)
    assert Repayment.objects.filter(application=loan).count() == 1
    assert sum(not isinstance(result, Exception) for result in results) == 1
    assert JournalEntry.objects.filter(loan=loan, kind=EntryKind.REPAYMENT).count() == 1


def test_one_reversal_approved_twice_at_once_is_posted_once():
    loan = disbursed_loan(timezone.localdate() - timedelta(days=5), apply_amount=Decimal("1000.00"))
    repayment = repayments.repay(loan.user, str(loan.periods.get().pk), "all")
    clerk = staff_in("财务")
    reversal = reversals.propose_reversal(repayment, reason="重复入账", by=clerk)
    checkers = [staff_in("财务") for _ in range(4)]
    results = run_together([lambda user=user: attempt(lambda: reversals.approve_reversal(reversal, by=user)) for user in checkers])
    assert sum(not isinstance(result, Exception) for result in results) == 1
    assert JournalEntry.objects.filter(loan=loan, kind=EntryKind.REVERSAL).count() == 1
    loan.refresh_from_db()
    assert loan.status == 4
