"""Quiet hours and the daily cap at delivery (CONTRACT §13): no SMS between 21:00 and 08:00
Asia/Shanghai -- a message reaching delivery then (first send, retry, staff re-send) waits
until 08:00, when the re-queue job sends it; one-time codes are exempt. At most one SMS per
capped subject (a loan) a day."""

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone

from messaging import delivery
from messaging.models import SmsMessage
from messaging.services import Cap, requeue_stale_sms, resend_sms, send_sms

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(hour: int, minute: int = 0, day: int = 10) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def clock(settings, monkeypatch):
    """The contract's quiet hours, and a clock the test sets."""
    settings.SMS_QUIET_HOURS = "21:00-08:00"
    now = {"value": at(12)}
    monkeypatch.setattr(timezone, "now", lambda: now["value"])

    def set_clock(moment: datetime) -> None:
        now["value"] = moment

    return set_clock


def send(django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        sms = send_sms("13800000000", fields.pop("text", "您的借款已逾期"), purpose=fields.pop("purpose", "overdue"), **fields)
    if sms is not None:
        sms.refresh_from_db()
    return sms


@pytest.mark.parametrize(
    ("moment", "held_until"),
    [
        (at(7, 59), at(8)), (at(8), None), (at(12), None), (at(20, 59), None), (at(21), at(8, day=11)),
        (at(23, 30), at(8, day=11)), (at(0, 5), at(8)),
    ],
)
def test_the_quiet_hours_boundaries(moment, held_until, settings):
    settings.SMS_QUIET_HOURS = "21:00-08:00"
    assert delivery.held_until(moment) == held_until


def test_the_hours_are_shanghais_whatever_the_servers_zone(settings):
    settings.SMS_QUIET_HOURS = "21:00-08:00"
    assert delivery.held_until(datetime(2025, 3, 10, 13, 30, tzinfo=ZoneInfo("UTC"))) == at(8, day=11)  # 21:30 in Shanghai


def test_a_message_at_night_waits_for_the_morning_and_the_requeue_job_sends_it(clock, sms_outbox, django_capture_on_commit_callbacks):
    clock(at(22, 30))
    sms = send(django_capture_on_commit_callbacks)
    assert (sms.status, sms.not_before, sms.attempts) == (SmsMessage.Status.PENDING, at(8, day=11), 0)
    assert sms_outbox.lines() == []
    clock(at(7, 50, day=11))
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_sms() == 0  # still night
    clock(at(8, 0, day=11))
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_sms() == 1
    sms.refresh_from_db()
    assert sms.status == SmsMessage.Status.SENT and len(sms_outbox.lines()) == 1


def test_a_one_time_code_goes_at_night(clock, sms_outbox, django_capture_on_commit_callbacks):
    clock(at(23, 30))
    sms = send(django_capture_on_commit_callbacks, text="您的验证码是 482913", purpose="register", code="482913")
    assert sms.status == SmsMessage.Status.SENT
    assert [line["text"] for line in sms_outbox.lines()] == ["您的验证码是 482913"]


def test_a_retry_at_night_waits_too(clock, sms_outbox):
    """A message whose first attempt failed at 20:59 reaches delivery again at 21:00."""
    sms = SmsMessage.objects.create(mobile="13800000000", text="逾期提醒", purpose="overdue", attempts=1, last_error="busy")
    clock(at(21, 0))
    assert delivery.deliver_sms(sms.pk) is False
    sms.refresh_from_db()
    assert (sms.status, sms.not_before, sms.attempts) == (SmsMessage.Status.PENDING, at(8, day=11), 1)
    assert sms_outbox.lines() == []


def test_a_staff_resend_at_night_waits_too(clock, sms_outbox, django_capture_on_commit_callbacks):
    sms = SmsMessage.objects.create(mobile="13800000000", text="逾期提醒", purpose="overdue", status=SmsMessage.Status.FAILED)
    clock(at(21, 30))
    with django_capture_on_commit_callbacks(execute=True):
        assert resend_sms([sms.pk]) == 1
    sms.refresh_from_db()
    assert (sms.status, sms.not_before) == (SmsMessage.Status.PENDING, at(8, day=11))
    assert sms_outbox.lines() == []


def test_the_quiet_hours_can_be_switched_off(settings, clock, sms_outbox, django_capture_on_commit_callbacks):
    settings.SMS_QUIET_HOURS = ""
    clock(at(23))
    assert send(django_capture_on_commit_callbacks).status == SmsMessage.Status.SENT


class TestDailyCap:
    def test_one_message_per_subject_a_day(self, sms_outbox, django_capture_on_commit_callbacks):
        cap = Cap("loan:1", date(2025, 3, 10))
        assert send(django_capture_on_commit_callbacks, cap=cap) is not None
        assert send(django_capture_on_commit_callbacks, cap=cap, purpose="dunning") is None
        assert send(django_capture_on_commit_callbacks, cap=Cap("loan:1", date(2025, 3, 11))) is not None
        assert send(django_capture_on_commit_callbacks, cap=Cap("loan:2", date(2025, 3, 10))) is not None
        assert send(django_capture_on_commit_callbacks) is not None  # uncapped
        assert SmsMessage.objects.count() == 4 and len(sms_outbox.lines()) == 4

    def test_yesterdays_message_resent_today_does_not_make_two_today(self, clock, sms_outbox, django_capture_on_commit_callbacks):
        """The cap holds on the day of delivery: a failed dunning of the 10th re-sent by staff on
        the 11th, after the 11th's went, is not sent (two SMS about the loan that day)."""
        yesterday = SmsMessage.objects.create(
            mobile="13800000000", text="10日的催收短信", purpose="dunning", status=SmsMessage.Status.FAILED,
            cap_key="loan:1", cap_day=date(2025, 3, 10),
        )
        clock(at(9, day=11))
        assert send(django_capture_on_commit_callbacks, cap=Cap("loan:1", date(2025, 3, 11))) is not None
        clock(at(10, day=11))
        with django_capture_on_commit_callbacks(execute=True):
            resend_sms([yesterday.pk])
        yesterday.refresh_from_db()
        assert yesterday.status == SmsMessage.Status.FAILED and "每日一条" in yesterday.last_error
        assert [line["text"] for line in sms_outbox.lines()] == ["您的借款已逾期"]

    def test_a_message_delivered_after_its_day_takes_that_days_place(self, clock, sms_outbox, django_capture_on_commit_callbacks):
        """Held for the night (or re-sent the next morning), it goes, and is that day's one SMS."""
        clock(at(22, day=10))
        held = send(django_capture_on_commit_callbacks, cap=Cap("loan:1", date(2025, 3, 10)))
        assert held.status == SmsMessage.Status.PENDING
        clock(at(8, day=11))
        with django_capture_on_commit_callbacks(execute=True):
            assert requeue_stale_sms() == 1
        held.refresh_from_db()
        assert (held.status, held.cap_day) == (SmsMessage.Status.SENT, date(2025, 3, 11))
        clock(at(9, day=11))
        assert send(django_capture_on_commit_callbacks, cap=Cap("loan:1", date(2025, 3, 11))) is None
        assert len(sms_outbox.lines()) == 1

    @pytest.mark.postgres
    @pytest.mark.django_db(transaction=True)
    def test_concurrent_senders_still_send_one(self, sms_outbox):
        cap = Cap("loan:race", date(2025, 3, 10))
        barrier = threading.Barrier(4)
        results, errors = [], []

        def run():
            try:
                barrier.wait()
                results.append(send_sms("13800000000", "逾期", purpose="overdue", cap=cap))
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert SmsMessage.objects.filter(cap_key="loan:race").count() == 1
        assert sum(result is not None for result in results) == 1
