"""Staff writes to a case and the loan's own writers at once (PostgreSQL row locks, real
threads): the daily job (or a repayment) updating a case must not write back a stale copy over
the lead's reassignment or the collector's promise made meanwhile."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from recovery import assignment, cases, contacts
from tests.recovery.helpers import collector, day, lead, open_case_of, run_job, seed_loan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def job_paused_after_reading_the_case(monkeypatch, as_of: date, staff_write):
    """Run the job for ``as_of`` in one thread, pausing it once it has read the case; the staff
    write runs in another thread meanwhile (with the case's lock held by the job, it waits)."""
    read, written = threading.Event(), threading.Event()
    real_owed = cases.owed

    def owed(*args, **kwargs):
        if threading.current_thread().name == "job" and not read.is_set():
            read.set()
            written.wait(2)  # a staff write that must wait for the job's commit times out here
        return real_owed(*args, **kwargs)

    monkeypatch.setattr(cases, "owed", owed)
    errors = []

    def job():
        try:
            run_job((as_of - day(0)).days)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    def staff():
        try:
            read.wait(5)
            staff_write()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            written.set()
            connection.close()

    threads = [threading.Thread(target=job, name="job"), threading.Thread(target=staff, name="staff")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []


def test_a_reassignment_during_the_job_is_not_undone(monkeypatch):
    first, second = collector("a"), collector("b")
    loan = seed_loan()
    run_job(5)
    case = open_case_of(loan)
    target = second if case.collector_id == first.pk else first
    boss = lead()
    job_paused_after_reading_the_case(monkeypatch, day(6), lambda: assignment.reassign(case, target, by=boss, note="调案"))
    case.refresh_from_db()
    assert (case.dpd, case.collector_id) == (6, target.pk)


def test_a_promise_logged_during_the_job_is_not_lost(monkeypatch):
    collector("a")
    loan = seed_loan()
    run_job(5)
    case = open_case_of(loan)
    promise = dict(channel="call", result="promise", promise_date=day(9), promise_amount=Decimal("100.00"), today=day(6))
    job_paused_after_reading_the_case(monkeypatch, day(6), lambda: contacts.log_contact(case, case.collector, **promise))
    case.refresh_from_db()
    assert (case.dpd, case.promise_date, case.promise_amount, case.promise_status) == (6, day(9), Decimal("100.00"), "pending")
