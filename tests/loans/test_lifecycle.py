"""Staff decisions on a loan (CONTRACT §8: statuses 0–5, the schedule created at disbursement)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from loans import lifecycle
from loans.lifecycle import InvalidTransition, ScheduleNotBuildable
from loans.models import RepaymentPeriod, StatusChange
from loans.notifications import LoanEvent
from tests.factories import LoanApplicationFactory
from tests.loans.helpers import staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(monkeypatch):
    sent = []
    monkeypatch.setattr(lifecycle, "notify_loan_event", lambda loan, event, **kw: sent.append((loan.code, event)))
    return sent


@pytest.fixture
def officer():
    return staff_user()


def history(loan):
    return list(StatusChange.objects.filter(application=loan).values_list("from_status", "to_status", "changed_by", "note"))


class TestTransitions:
    def test_claim_then_approve(self, officer, events):
        loan = LoanApplicationFactory()
        lifecycle.claim(loan, officer)
        lifecycle.approve(loan, officer)
        loan.refresh_from_db()
        assert loan.status == 2 and loan.reviewed_at is not None
        assert history(loan) == [(0, 1, officer.pk, ""), (1, 2, officer.pk, "")]
        assert events == [(loan.code, LoanEvent.APPROVED)]

    def test_approve_from_pending(self, officer, events):
        loan = LoanApplicationFactory()
        assert lifecycle.approve(loan, officer).status == 2
        assert history(loan) == [(0, 2, officer.pk, "")]

    @pytest.mark.parametrize("start", [0, 1, 2])
    def test_reject_with_note(self, officer, events, start):
        loan = LoanApplicationFactory(status=start)
        lifecycle.reject(loan, officer, "收入不足")
        loan.refresh_from_db()
        assert loan.status == 3
        assert history(loan) == [(start, 3, officer.pk, "收入不足")]
        assert events == [(loan.code, LoanEvent.REJECTED)]

    @pytest.mark.parametrize(
        "action, bad_statuses",
        [
            ("claim", [1, 2, 3, 4, 5]),
            ("release", [0, 2, 3, 4, 5]),
            ("approve", [2, 3, 4, 5]),
            ("reject", [3, 4, 5]),
            ("disburse", [0, 1, 3, 4, 5]),
        ],
    )
    def test_wrong_status_is_refused_and_nothing_written(self, officer, events, action, bad_statuses):
        for status in bad_statuses:
            loan = LoanApplicationFactory(status=status)
            service = getattr(lifecycle, action)
            with pytest.raises(InvalidTransition) as refused:
                service(loan, officer)
            assert loan.code in str(refused.value)
            loan.refresh_from_db()
            assert loan.status == status
            assert not StatusChange.objects.filter(application=loan).exists()
            assert not RepaymentPeriod.objects.filter(application=loan).exists()
        assert events == []

    def test_transition_reads_the_status_under_the_lock_not_the_stale_object(self, officer, events):
        loan = LoanApplicationFactory()
        stale = type(loan).objects.get(pk=loan.pk)
        lifecycle.reject(loan, officer, "x")
        with pytest.raises(InvalidTransition):
            lifecycle.approve(stale, officer)  # the stale copy still says 0


class TestDisbursement:
    def test_day_loan_schedule_like_the_seed(self, officer, events):
        """Seed §26 sample: 500 at 36 % for 14 days → one period, 500.00 + 7.00, due D + 14."""
        loan = LoanApplicationFactory(status=2)
        lifecycle.disburse(loan, officer, on=date(2025, 3, 1))
        loan.refresh_from_db()
        assert loan.status == 4
        assert timezone.localtime(loan.disbursed_at).date() == date(2025, 3, 1)
        periods = list(loan.periods.values_list("number", "start_date", "due_date", "principal", "interest", "fee", "settlement"))
        assert periods == [(1, date(2025, 3, 1), date(2025, 3, 15), Decimal("500.00"), Decimal("7.00"), Decimal("0.00"), 0)]
        assert history(loan) == [(2, 4, officer.pk, "")]
        assert events == [(loan.code, LoanEvent.DISBURSED)]

    def test_month_loan_follows_the_calendar_and_clamps_to_month_end(self, officer, events):
        """CONTRACT §8: month terms follow the calendar (the 31st → the month's last day)."""
        loan = LoanApplicationFactory(instalments=True, status=2, period_fee=Decimal("5.00"))
        lifecycle.disburse(loan, officer, on=date(2025, 1, 31))
        periods = list(loan.periods.order_by("number").values_list("start_date", "due_date", "principal", "interest", "fee"))
        assert periods == [
            (date(2025, 1, 31), date(2025, 2, 28), Decimal("1000.00"), Decimal("30.00"), Decimal("5.00")),
            (date(2025, 2, 28), date(2025, 3, 31), Decimal("1000.00"), Decimal("30.00"), Decimal("5.00")),
            (date(2025, 3, 31), date(2025, 4, 30), Decimal("1000.00"), Decimal("30.00"), Decimal("5.00")),
        ]

    def test_default_date_is_today_in_shanghai(self, officer, events, monkeypatch):
        monkeypatch.setattr(lifecycle, "local_today", lambda: date(2025, 6, 1))
        loan = LoanApplicationFactory(status=2)
        lifecycle.disburse(loan, officer)
        assert loan.periods.get().due_date == date(2025, 6, 15)

    def test_terms_without_a_schedule_are_refused_and_nothing_is_written(self, officer, events):
        loan = LoanApplicationFactory(status=2, repay_type=3)  # equal instalments on a day term
        with pytest.raises(ScheduleNotBuildable):
            lifecycle.disburse(loan, officer, on=date(2025, 3, 1))
        loan.refresh_from_db()
        assert loan.status == 2 and loan.disbursed_at is None
        assert not loan.periods.exists() and not StatusChange.objects.filter(application=loan).exists()
        assert events == []
