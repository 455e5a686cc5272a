"""Exactly-once posting under real concurrency (CONTRACT §8: "A repayment is posted exactly once,
whatever the number of concurrent or repeated requests"). PostgreSQL row locks, real threads."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from loans.models import Repayment
from loans.overdue import mark_overdue
from loans.payments import PaymentProvider, PaymentResult
from tests.conftest import SignedClient
from tests.loans.helpers import disbursed_loan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 16


def signed_clients(user, count):
    clients = []
    for _ in range(count):
        client = Client()
        client.force_login(user)
        clients.append(SignedClient(client))
    return clients


def run_together(jobs):
    """Start every job at the same moment; each thread closes its own DB connection."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_sixteen_concurrent_currents_post_once():
    """Three-period loan: 16 `current` calls on period 1 at once → one repayment of period 1 only."""
    loan = disbursed_loan(timezone.localdate() - timedelta(days=5), instalments=True)
    first = str(loan.periods.get(number=1).pk)
    clients = signed_clients(loan.user, THREADS)
    replies = run_together(
        [lambda c=c: c.post("/appCommonApi/gotoRepayment", {"id": first, "repayType": "current"}) for c in clients]
    )
    codes = sorted(reply.code for reply in replies)
    assert codes == ["0000"] + ["20006002"] * (THREADS - 1)
    assert Repayment.objects.filter(application=loan).count() == 1
    assert list(loan.periods.order_by("number").values_list("settlement", flat=True)) == [1, 0, 0]


def test_sixteen_concurrent_currents_on_a_later_period_post_nothing():
    """Issue 10 item 9: 20 concurrent requests naming period 6 made 6 postings. CONTRACT §8:
    while period 1 is unpaid, every request naming period 3 is refused with 20006004."""
    loan = disbursed_loan(timezone.localdate() - timedelta(days=5), instalments=True)
    last = str(loan.periods.get(number=3).pk)
    clients = signed_clients(loan.user, THREADS)
    replies = run_together(
        [lambda c=c: c.post("/appCommonApi/gotoRepayment", {"id": last, "repayType": "current"}) for c in clients]
    )
    assert [reply.code for reply in replies] == ["20006004"] * THREADS
    assert all("第1期" in reply.body["responseMessage"] for reply in replies)
    assert not Repayment.objects.filter(application=loan).exists()
    assert list(loan.periods.order_by("number").values_list("settlement", flat=True)) == [0, 0, 0]


def test_concurrent_currents_on_periods_one_and_two_pay_each_at_most_once():
    """Half name period 1, half period 2, all at once: period 1 is paid once; a request for
    period 2 is refused (20006004) until period 1 is paid, then pays it once; period 3 untouched."""
    loan = disbursed_loan(timezone.localdate() - timedelta(days=5), instalments=True)
    first, second = (str(loan.periods.get(number=n).pk) for n in (1, 2))
    clients = signed_clients(loan.user, THREADS)
    named = [first if i % 2 == 0 else second for i in range(THREADS)]
    replies = run_together(
        [lambda c=c, p=p: c.post("/appCommonApi/gotoRepayment", {"id": p, "repayType": "current"}) for c, p in zip(clients, named)]
    )
    by_period = {first: [], second: []}
    for period_id, reply in zip(named, replies):
        by_period[period_id].append(reply.code)
    assert sorted(by_period[first]) == ["0000"] + ["20006002"] * (THREADS // 2 - 1)
    assert set(by_period[second]) <= {"0000", "20006002", "20006004"} and by_period[second].count("0000") <= 1
    paid_second = by_period[second].count("0000")
    repayments = Repayment.objects.filter(application=loan)
    assert repayments.count() == 1 + paid_second
    assert list(loan.periods.order_by("number").values_list("settlement", flat=True)) == [1, paid_second, 0]


def test_concurrent_pay_offs_and_currents_on_a_one_period_loan_post_once():
    loan = disbursed_loan(timezone.localdate() - timedelta(days=20))
    only = str(loan.periods.get().pk)
    clients = signed_clients(loan.user, THREADS)
    replies = run_together(
        [
            lambda c=c, kind=("all" if i % 2 else "current"): c.post("/appCommonApi/gotoRepayment", {"id": only, "repayType": kind})
            for i, c in enumerate(clients)
        ]
    )
    assert sorted(r.code for r in replies) == ["0000"] + ["20006002"] * (THREADS - 1)
    assert Repayment.objects.filter(application=loan).count() == 1
    loan.refresh_from_db()
    assert loan.status == 5


class SlowProvider(PaymentProvider):
    """Holds the loan lock a while inside ``collect`` and says when it got there."""

    name = "slow"
    collecting = threading.Event()

    def collect(self, application, amount, reference):
        self.collecting.set()
        time.sleep(0.5)
        return PaymentResult(ok=True, reference=reference)


def test_overdue_batch_waits_for_a_payment_in_progress(settings):
    """The job takes the same lock: started while a pay-off is collecting money, it waits, then
    finds the loan paid off and leaves the period alone (penalty = what was collected)."""
    settings.PAYMENT_PROVIDER = "tests.loans.test_repayment_race.SlowProvider"
    SlowProvider.collecting.clear()
    loan = disbursed_loan(timezone.localdate() - timedelta(days=24))  # 10 days late: penalty 7.50
    only = str(loan.periods.get().pk)
    client = signed_clients(loan.user, 1)[0]
    later = timezone.localdate() + timedelta(days=5)  # the job as of a later day would say 11.25

    def job_once_collecting():
        assert SlowProvider.collecting.wait(10)
        return mark_overdue(later)

    replies = run_together(
        [lambda: client.post("/appCommonApi/gotoRepayment", {"id": only, "repayType": "all"}), job_once_collecting]
    )
    assert replies[0].code == "0000" and replies[0].result["amount"] == "514.50"
    assert replies[1] == 0
    period = loan.periods.get()
    assert (period.settlement, str(period.penalty), str(period.paid_penalty)) == (1, "7.50", "7.50")
