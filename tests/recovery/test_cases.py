"""Collection cases through the daily job, repayments and write-offs (CONTRACT §13)."""

import json
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from loans import repayments
from loans.overdue import mark_overdue
from loans.repayments import repay
from loans.writeoff import write_off
from recovery.buckets import bucket_of
from recovery.models import Assignment, CaseDay, CaseStatus, CollectionCase
from tests.loans.helpers import disbursed_loan, staff_user
from tests.recovery.helpers import (
    DISBURSED,
    collector,
    day,
    open_case_of,
    run_job,
    seed_loan,
)

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.mark.parametrize(
    ("dpd", "bucket"), [(0, None), (1, "M1"), (30, "M1"), (31, "M2"), (60, "M2"), (61, "M3"), (90, "M3"), (91, "M4+"), (400, "M4+")]
)
def test_bucket_boundaries(dpd, bucket):
    assert bucket_of(dpd) == bucket


@pytest.mark.parametrize(("dpd", "bucket"), [(1, "M1"), (30, "M1"), (31, "M2"), (60, "M2"), (61, "M3"), (90, "M3"), (91, "M4+")])
def test_the_job_puts_a_case_in_its_bucket(dpd, bucket):
    """Due 01-15: on 01-15 + dpd the loan is ``dpd`` days past due; the penalty 0.75 a day."""
    loan = seed_loan()
    run_job(dpd)
    case = open_case_of(loan)
    assert (case.dpd, case.bucket, case.opened_on) == (dpd, bucket, day(dpd))
    assert (case.due_principal, case.due_interest, case.due_fee, case.due_penalty) == (D("500.00"), D("7.00"), D("0.00"), D("0.75") * dpd)
    assert case.due == D("507.00") + D("0.75") * dpd


class TestDailyJob:
    def test_no_case_before_the_first_overdue_day(self):
        loan = seed_loan()
        run_job(0)
        assert not CollectionCase.objects.filter(loan=loan).exists()

    def test_opens_once_and_updates_every_day(self):
        loan = seed_loan()
        run_job(1)
        run_job(10)  # 500 + 7.00 + 10 × 0.75
        case = CollectionCase.objects.get(loan=loan)
        assert (case.status, case.opened_on, case.as_of, case.dpd, case.bucket, case.due) == (
            CaseStatus.OPEN, day(1), day(10), 10, "M1", D("514.50"),
        )
        assert list(CaseDay.objects.filter(case=case).order_by("date").values_list("date", "dpd", "due")) == [
            (day(1), 1, D("507.75")), (day(10), 10, D("514.50")),
        ]

    def test_running_twice_for_a_day_changes_nothing(self):
        collector("c1")
        loans = [seed_loan() for _ in range(3)]
        run_job(31)
        state = self._state()
        run_job(31)
        assert self._state() == state
        assert CollectionCase.objects.filter(loan__in=loans).count() == 3
        assert Assignment.objects.count() == 3

    @staticmethod
    def _state():
        cases = list(CollectionCase.objects.order_by("pk").values())
        days = list(CaseDay.objects.order_by("pk").values())
        return cases, days, list(Assignment.objects.order_by("pk").values())

    def test_one_open_case_per_loan_is_a_database_constraint(self):
        loan = seed_loan()
        run_job(5)
        with pytest.raises(IntegrityError), transaction.atomic():
            CollectionCase.objects.create(loan=loan, opened_on=day(5), as_of=day(5), dpd=5, bucket="M1")

    def test_dpd_counts_from_the_earliest_unpaid_period_past_due(self):
        """3000 flat over 3 months from 01-15 (1000 + 30.00 a month), due 02-15, 03-15, 04-15;
        on 03-20 periods 1 (33 days late) and 2 (5 days late) are overdue: penalty
        1000 × 0.54 / 360 × (33 + 5) = 57.00."""
        loan = disbursed_loan(date(2025, 1, 15), instalments=True)
        mark_overdue(date(2025, 3, 20))
        case = open_case_of(loan)
        assert (case.dpd, case.bucket) == (33, "M2")
        assert (case.due_principal, case.due_interest, case.due_penalty, case.due) == (D("2000.00"), D("60.00"), D("57.00"), D("2117.00"))


class TestClosing:
    def test_the_repayment_that_clears_the_overdue_periods_closes_the_case(self):
        loan = seed_loan()
        run_job(10)
        repay(loan.user, str(loan.periods.get().pk), "all", today=day(10))
        case = CollectionCase.objects.get(loan=loan)
        assert (case.status, case.closed_on) == (CaseStatus.REPAID, day(10))
        assert not CaseDay.objects.filter(case=case, date=day(10)).exists()  # not open at the end of the day
        run_job(11)
        assert CollectionCase.objects.filter(loan=loan).count() == 1

    def test_a_repayment_leaving_an_overdue_period_keeps_the_case_open_with_new_figures(self):
        """Periods 1 (due 02-15) and 2 (due 03-15) overdue on 03-20; period 1 paid: DPD 5 from
        period 2; due 1000 + 30.00 + 5 × 1.50."""
        loan = disbursed_loan(date(2025, 1, 15), instalments=True)
        mark_overdue(date(2025, 3, 20))
        repay(loan.user, str(loan.periods.get(number=1).pk), "current", today=date(2025, 3, 20))
        case = open_case_of(loan)
        assert (case.dpd, case.bucket, case.due) == (5, "M1", D("1037.50"))
        assert CaseDay.objects.get(case=case, date=date(2025, 3, 20)).due == D("1037.50")
        repay(loan.user, str(loan.periods.get(number=2).pk), "current", today=date(2025, 3, 20))
        case.refresh_from_db()
        assert (case.status, case.closed_on) == (CaseStatus.REPAID, date(2025, 3, 20))  # period 3 not due yet

    def test_an_offline_repayment_closes_the_case_the_same_way(self, settings):
        """Finance records money received offline (CONTRACT §15), a second finance user confirms:
        the same allocation, so the case closes in that transaction. 507.00 + 10 × 0.75."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from loans import offline
        from tests.backoffice.helpers import staff_in

        loan = seed_loan()
        run_job(10)
        record = offline.record_offline_repayment(
            loan, kind="all", amount=D("514.50"), received_on=day(10), channel="counter", reference="R1",
            proof=SimpleUploadedFile("回单.pdf", b"%PDF-1.4\n" + b"0" * 100, content_type="application/pdf"),
            by=staff_in("财务"), today=day(10),
        )
        assert open_case_of(loan).dpd == 10  # recorded, not yet confirmed
        offline.confirm_offline_repayment(record, by=staff_in("财务"), today=day(10))
        case = CollectionCase.objects.get(loan=loan)
        assert (case.status, case.closed_on) == (CaseStatus.REPAID, day(10))
        assert case.recoveries.get().amount == D("514.50")

    def test_a_waiver_lowers_what_the_case_owes(self):
        """Day 10: 507.00 + 7.50 penalty; 5.00 of the penalty waived (proposed by finance,
        approved by 风控): the next day's case owes 507.00 + 8.25 − 5.00."""
        from loans import waivers
        from tests.backoffice.helpers import staff_in

        loan = seed_loan()
        run_job(10)
        waiver = waivers.propose_waiver(loan, component="penalty", amount=D("5.00"), reason="困难", by=staff_in("财务"), today=day(10))
        waivers.approve_waiver(waiver, by=staff_in("风控"), today=day(10))
        run_job(11)
        case = open_case_of(loan)
        assert (case.due_penalty, case.due) == (D("3.25"), D("510.25"))

    def test_a_waiver_lowers_what_the_case_owes_that_day(self):
        """The case, its snapshot (``collections --json``, the reports) and the list follow the
        waiver at once, as they follow a repayment: day 10 owes 507.00 + 7.50 − 5.00."""
        from loans import waivers
        from recovery.selectors import cases_open_on
        from tests.backoffice.helpers import staff_in

        loan = seed_loan()
        run_job(10)
        waiver = waivers.propose_waiver(loan, component="penalty", amount=D("5.00"), reason="困难", by=staff_in("财务"), today=day(10))
        waivers.approve_waiver(waiver, by=staff_in("风控"), today=day(10))
        case = open_case_of(loan)
        assert (case.due_penalty, case.due) == (D("2.50"), D("509.50"))
        assert [row.due for row in cases_open_on(day(10))] == ["509.50"]

    def test_the_case_closes_in_the_repayments_transaction(self, monkeypatch):
        """A repayment that fails after the periods are settled leaves the case open."""
        loan = seed_loan()
        run_job(10)

        def fail(*args, **kwargs):
            raise RuntimeError("after the allocation")

        monkeypatch.setattr(repayments, "notify_loan_event", fail)
        with pytest.raises(RuntimeError):
            repay(loan.user, str(loan.periods.get().pk), "all", today=day(10))
        assert open_case_of(loan).dpd == 10

    def test_the_write_off_closes_the_case_and_no_case_opens_again(self):
        loan = seed_loan()
        run_job(179)
        write_off(loan, staff_user(), "失联", today=day(180))
        case = CollectionCase.objects.get(loan=loan)
        assert (case.status, case.closed_on) == (CaseStatus.WRITTEN_OFF, day(180))
        run_job(200)
        assert CollectionCase.objects.filter(loan=loan).count() == 1
        assert not CaseDay.objects.filter(date=day(200)).exists()

    def test_a_written_off_loan_never_gets_a_case(self):
        loan = seed_loan()
        write_off(loan, staff_user(), "失联", today=day(180))
        run_job(181)
        assert not CollectionCase.objects.filter(loan=loan).exists()


class TestReversal:
    """A reversed repayment never came (CONTRACT §15): the case follows in the reversal's transaction."""

    @staticmethod
    def reverse(repayment, on):
        from loans import reversals
        from tests.backoffice.helpers import staff_in

        reversal = reversals.propose_reversal(repayment, reason="银行退票", by=staff_in("财务"))
        reversals.approve_reversal(reversal, by=staff_in("财务"), today=on)

    def test_the_case_the_repayment_closed_opens_again_with_its_collector(self):
        """Repaid on day 10, reversed on day 12: the same case, 507.00 + 12 × 0.75 = 516.00."""
        collector("a")
        loan = seed_loan()
        run_job(10)
        case = open_case_of(loan)
        repayment = repay(loan.user, str(loan.periods.get().pk), "all", today=day(10))
        self.reverse(repayment, day(12))
        reopened = open_case_of(loan)
        assert (reopened.pk, reopened.collector_id, reopened.closed_on) == (case.pk, case.collector_id, None)
        assert (reopened.dpd, reopened.bucket, reopened.due) == (12, "M1", D("516.00"))
        assert CaseDay.objects.get(case=case, date=day(12)).due == D("516.00")
        assert Assignment.objects.filter(case=case).count() == 1  # not assigned again
        run_job(13)
        assert CollectionCase.objects.filter(loan=loan).count() == 1 and open_case_of(loan).dpd == 13

    def test_an_open_case_takes_the_figures_of_the_periods_unpaid_again(self):
        """Periods 1 (due 02-15) and 2 (due 03-15) overdue; period 1 paid on 03-20 (DPD 5 from
        period 2), reversed on 03-21: DPD 34 from period 1 again (M2); each period 1000 + 30.00,
        penalty 1.50 a day: 34 × 1.50 + 6 × 1.50 = 60.00."""
        loan = disbursed_loan(date(2025, 1, 15), instalments=True)
        mark_overdue(date(2025, 3, 20))
        repayment = repay(loan.user, str(loan.periods.get(number=1).pk), "current", today=date(2025, 3, 20))
        assert open_case_of(loan).dpd == 5
        self.reverse(repayment, date(2025, 3, 21))
        case = open_case_of(loan)
        assert (case.dpd, case.bucket, case.due) == (34, "M2", D("2120.00"))

    def test_a_promise_kept_by_money_reversed_is_not_kept(self):
        """Promised on day 10 for day 11 and paid at once (kept); the money reversed on day 12 never
        came: the promise's day passed short of it, so the case is marked broken (跳票)."""
        from recovery.contacts import log_contact
        from recovery.models import ContactLog

        a = collector("a")
        loan = seed_loan()
        run_job(10)
        case = open_case_of(loan)
        log_contact(case, a, channel="call", result="promise", promise_date=day(11), promise_amount=D("514.50"), today=day(10))
        repayment = repay(loan.user, str(loan.periods.get().pk), "all", today=day(10))
        assert ContactLog.objects.get().promise_status == "kept"
        self.reverse(repayment, day(12))
        case = open_case_of(loan)
        assert (ContactLog.objects.get().promise_status, case.promise_status, case.broken_promise) == ("broken", "broken", True)

    def test_a_reversal_on_a_loan_not_overdue_opens_no_case(self):
        """Repaid before any case: the reversal on a day the loan is not overdue opens none."""
        loan = seed_loan()
        repayment = repay(loan.user, str(loan.periods.get().pk), "all", today=date(2025, 1, 10))
        self.reverse(repayment, date(2025, 1, 12))
        assert not CollectionCase.objects.filter(loan=loan).exists()


class TestCommand:
    def test_json_shape_and_order(self):
        """Cases open at the end of the date, by DPD descending then loan code."""
        c1 = collector("zhang")
        late = seed_loan(code="LN-B")
        tied = seed_loan(code="LN-A")
        later = disbursed_loan(DISBURSED + timedelta(days=5), code="LN-C")  # due 01-20
        paid = seed_loan(code="LN-D")
        run_job(9)
        repay(paid.user, str(paid.periods.get().pk), "all", today=day(9))
        out = StringIO()
        call_command("collections", "--json", "--date", day(9).isoformat(), stdout=out)
        cases = json.loads(out.getvalue())["cases"]
        assert [case["loan"] for case in cases] == ["LN-A", "LN-B", "LN-C"]
        assert cases[0] == {"loan": "LN-A", "dpd": 9, "bucket": "M1", "collector": "zhang", "due": "513.75", "broken_promise": False}
        assert (cases[2]["dpd"], cases[2]["due"]) == (4, "510.00")
        assert {late.code, tied.code, later.code} == {c["loan"] for c in cases} and c1

    def test_an_earlier_date_shows_that_days_cases(self):
        seed_loan(code="LN-A")
        run_job(3)
        run_job(4)
        out = StringIO()
        call_command("collections", "--json", "--date", day(3).isoformat(), stdout=out)
        assert json.loads(out.getvalue()) == {
            "cases": [{"loan": "LN-A", "dpd": 3, "bucket": "M1", "collector": None, "due": "509.25", "broken_promise": False}]
        }

    def test_a_day_the_job_did_not_run_shows_the_cases_as_it_last_left_them(self):
        """The job ran for day 3 only: on day 6 the case is still open, as day 3 left it; after
        the repayment that closes it on day 7, it is gone from day 7 on."""
        loan = seed_loan(code="LN-A")
        run_job(3)
        out = StringIO()
        call_command("collections", "--json", "--date", day(6).isoformat(), stdout=out)
        assert [(c["loan"], c["dpd"], c["due"]) for c in json.loads(out.getvalue())["cases"]] == [("LN-A", 3, "509.25")]
        repay(loan.user, str(loan.periods.get().pk), "all", today=day(7))
        for date_, expected in ((day(6), 1), (day(7), 0), (day(8), 0), (day(2), 0)):
            out = StringIO()
            call_command("collections", "--json", "--date", date_.isoformat(), stdout=out)
            assert len(json.loads(out.getvalue())["cases"]) == expected, date_

    def test_no_cases_and_plain_output(self):
        out = StringIO()
        call_command("collections", "--json", "--date", "2025-01-01", stdout=out)
        assert json.loads(out.getvalue()) == {"cases": []}
        seed_loan(code="LN-A")
        run_job(2)
        out = StringIO()
        call_command("collections", "--date", day(2).isoformat(), stdout=out)
        assert "LN-A\t2\tM1\t未分配\t508.50" in out.getvalue()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_job_and_a_repayment_at_the_same_moment_leave_one_closed_case():
    """Both take the loan's lock: whichever comes second sees the other's work."""
    import threading

    from django.db import connection

    loan = seed_loan()
    run_job(9)
    barrier = threading.Barrier(2)
    errors = []

    def job():
        try:
            barrier.wait()
            mark_overdue(day(10))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    def pay():
        try:
            barrier.wait()
            repay(loan.user, str(loan.periods.get().pk), "all", today=day(10))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=job), threading.Thread(target=pay)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(CollectionCase.objects.filter(loan=loan).values_list("status", "closed_on")) == [(CaseStatus.REPAID, day(10))]
    assert not CaseDay.objects.filter(date=day(10)).exists()
