"""The overdue job (CONTRACT §8: penalty recomputed from the due date; running twice changes nothing)."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from loans import repayments
from loans.models import RepaymentPeriod
from loans.overdue import mark_overdue
from loans.repayments import repay
from loans.tasks import mark_overdue_task
from tests.factories import LoanApplicationFactory, freeze_today
from tests.loans.helpers import disbursed_loan

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    monkeypatch.setattr(repayments, "notify_loan_event", lambda *a, **k: None)


def figures(loan):
    return list(loan.periods.order_by("number").values_list("number", "is_overdue", "penalty"))


class TestMarkOverdue:
    def test_day_loan_ten_days_late(self):
        """500 × 0.54 × 10 / 360 = 7.50 (due 03-15, as of 03-25)."""
        loan = disbursed_loan(date(2025, 3, 1))
        assert mark_overdue(date(2025, 3, 25)) == 1
        assert figures(loan) == [(1, True, D("7.50"))]

    def test_running_twice_changes_nothing_and_a_later_run_recomputes(self):
        loan = disbursed_loan(date(2025, 3, 1))
        mark_overdue(date(2025, 3, 25))
        mark_overdue(date(2025, 3, 25))
        assert figures(loan) == [(1, True, D("7.50"))]
        mark_overdue(date(2025, 3, 26))  # 11 days: 500 × 0.54 × 11 / 360 = 8.25, not 7.50 + 0.75 added twice
        assert figures(loan) == [(1, True, D("8.25"))]

    def test_due_today_is_not_overdue(self):
        """A period is due by 23:59:59 on its due date and overdue from the next day."""
        loan = disbursed_loan(date(2025, 3, 1))
        assert mark_overdue(date(2025, 3, 15)) == 0
        assert figures(loan) == [(1, False, D("0.00"))]
        assert mark_overdue(date(2025, 3, 16)) == 1
        assert figures(loan) == [(1, True, D("0.75"))]  # 500 × 0.54 × 1 / 360

    def test_only_unpaid_periods_past_due(self):
        """3000 flat over 3 months from 01-15; on 03-20 period 1 is paid, period 2 (due 03-15)
        is 5 days late: 1000 × 0.54 × 5 / 360 = 7.50; period 3 is not due."""
        loan = disbursed_loan(date(2025, 1, 15), instalments=True)
        repay(loan.user, str(loan.periods.get(number=1).pk), "current", today=date(2025, 2, 15))
        assert mark_overdue(date(2025, 3, 20)) == 1
        assert figures(loan) == [(1, False, D("0.00")), (2, True, D("7.50")), (3, False, D("0.00"))]

    def test_loans_not_disbursed_or_paid_off_are_left_alone(self):
        paid = disbursed_loan(date(2025, 3, 1))
        repay(paid.user, str(paid.periods.get().pk), "all", today=date(2025, 3, 5))
        LoanApplicationFactory(status=2)
        assert mark_overdue(date(2025, 6, 1)) == 0
        assert figures(paid) == [(1, False, D("0.00"))]

    def test_many_loans(self):
        loans = [disbursed_loan(date(2025, 3, 1)) for _ in range(3)]
        assert mark_overdue(date(2025, 3, 25)) == 3
        assert RepaymentPeriod.objects.filter(application__in=loans, penalty=D("7.50"), is_overdue=True).count() == 3


class TestEntryPoints:
    def test_command_with_date(self):
        loan = disbursed_loan(date(2025, 3, 1))
        out = StringIO()
        call_command("mark_overdue", "--date", "2025-03-25", stdout=out)
        assert "2025-03-25: 1 overdue period(s) marked" in out.getvalue()
        assert figures(loan) == [(1, True, D("7.50"))]
        call_command("mark_overdue", "--date", "2025-03-25", stdout=StringIO())
        assert figures(loan) == [(1, True, D("7.50"))]

    def test_command_defaults_to_today(self, monkeypatch):
        loan = disbursed_loan(date(2025, 3, 1))
        freeze_today(monkeypatch, date(2025, 3, 17))
        call_command("mark_overdue", stdout=StringIO())
        assert figures(loan) == [(1, True, D("1.50"))]  # 2 days: 500 × 0.54 × 2 / 360

    @pytest.mark.parametrize("bad", ["2025-13-01", "yesterday", "25/03/2025"])
    def test_command_refuses_a_bad_date(self, bad):
        with pytest.raises(CommandError):
            call_command("mark_overdue", "--date", bad, stdout=StringIO())

    def test_celery_task(self, monkeypatch):
        assert mark_overdue_task.name == "loans.tasks.mark_overdue_task"
        loan = disbursed_loan(date(2025, 3, 1))
        assert mark_overdue_task.apply(kwargs={"as_of": "2025-03-25"}).get() == 1
        assert figures(loan) == [(1, True, D("7.50"))]
        freeze_today(monkeypatch, date(2025, 3, 26))
        assert mark_overdue_task.delay().get() == 1
        assert figures(loan) == [(1, True, D("8.25"))]

    def test_beat_runs_it_daily(self):
        from cashloan.celery import app

        entry = next(e for e in app.conf.beat_schedule.values() if e["task"] == "loans.tasks.mark_overdue_task")
        assert entry["schedule"].hour == {0}
