"""Daily repayment reminders and overdue notices, once per period a day (seed §24 types 15, 17)."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from loans.models import ApplicationStatus, RepaymentPeriod
from loans.notices import send_daily_notices
from loans.tasks import send_daily_notices_task
from messaging.models import CustomerMessage, NoticeLog, SmsMessage
from tests.factories import disbursed_loan

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 10)


def messages_of(loan, message_type):
    return list(CustomerMessage.objects.filter(application=loan, message_type=message_type))


def test_reminders_three_and_one_day_before_due(sms_outbox, django_capture_on_commit_callbacks):
    in_3 = disbursed_loan(periods=[TODAY + timedelta(days=3)])
    in_1 = disbursed_loan(periods=[TODAY + timedelta(days=1)])
    in_2 = disbursed_loan(periods=[TODAY + timedelta(days=2)])
    due_today = disbursed_loan(periods=[TODAY])
    with django_capture_on_commit_callbacks(execute=True):
        summary = send_daily_notices(TODAY)
    assert summary.reminders == 2 and summary.overdue == 0
    assert len(messages_of(in_3, 15)) == 1 and len(messages_of(in_1, 15)) == 1
    assert messages_of(in_2, 15) == [] and messages_of(due_today, 15) == []
    assert sorted(line["mobile"] for line in sms_outbox.lines()) == sorted([in_3.user.mobile, in_1.user.mobile])


def test_running_twice_on_one_day_sends_one_reminder_per_period(sms_outbox, django_capture_on_commit_callbacks):
    """Two periods reminded: two messages in the app, one SMS (one per loan a day, CONTRACT §13)."""
    loan = disbursed_loan(periods=[TODAY + timedelta(days=3), TODAY + timedelta(days=1)])
    with django_capture_on_commit_callbacks(execute=True):
        first = send_daily_notices(TODAY)
        second = send_daily_notices(TODAY)
    assert (first.reminders, second.reminders) == (2, 0)
    assert len(messages_of(loan, 15)) == 2
    assert NoticeLog.objects.filter(kind="reminder", date=TODAY).count() == 2
    assert SmsMessage.objects.filter(purpose="reminder").count() == 1 and len(sms_outbox.lines()) == 1


def test_reminders_follow_the_setting(settings, sms_outbox):
    settings.REPAYMENT_REMINDER_DAYS = [5]
    loan = disbursed_loan(periods=[TODAY + timedelta(days=5), TODAY + timedelta(days=6)])
    assert send_daily_notices(TODAY).reminders == 1
    assert "第1期" in messages_of(loan, 15)[0].content


def test_paid_periods_and_undisbursed_loans_get_no_reminder(sms_outbox):
    paid = disbursed_loan(periods=[TODAY + timedelta(days=3)])
    paid.periods.update(settlement=RepaymentPeriod.Settlement.ON_SCHEDULE)
    finished = disbursed_loan(periods=[TODAY + timedelta(days=1)], status=ApplicationStatus.PAID_OFF)
    assert send_daily_notices(TODAY).reminders == 0
    assert not CustomerMessage.objects.filter(application__in=[paid, finished]).exists()


def test_overdue_notice_every_day_while_overdue(sms_outbox, django_capture_on_commit_callbacks):
    """Overdue from the day after the due date (CONTRACT §8); one notice a day per period."""
    loan = disbursed_loan(periods=[TODAY - timedelta(days=1), TODAY + timedelta(days=30)])
    on_due_date_loan = disbursed_loan(periods=[TODAY])
    with django_capture_on_commit_callbacks(execute=True):
        assert send_daily_notices(TODAY).overdue == 1
        assert send_daily_notices(TODAY).overdue == 0
        assert send_daily_notices(TODAY + timedelta(days=1)).overdue == 2  # both loans now overdue
    notices = sorted(message.content for message in messages_of(loan, 17))
    assert len(notices) == 2 and "已逾期1天" in notices[0] and "已逾期2天" in notices[1]
    assert len(messages_of(on_due_date_loan, 17)) == 1
    assert SmsMessage.objects.filter(purpose="overdue").count() == 3 and len(sms_outbox.lines()) == 3


def test_overdue_stops_once_paid(sms_outbox):
    loan = disbursed_loan(periods=[TODAY - timedelta(days=3)])
    assert send_daily_notices(TODAY).overdue == 1
    loan.periods.update(settlement=RepaymentPeriod.Settlement.ON_SCHEDULE)
    assert send_daily_notices(TODAY + timedelta(days=1)).overdue == 0


def test_task_and_command_call_the_same_service(sms_outbox):
    loan = disbursed_loan(periods=[TODAY + timedelta(days=3)])
    out = StringIO()
    call_command("send_notices", "--date", TODAY.isoformat(), stdout=out)
    assert "reminders sent: 1" in out.getvalue()
    call_command("send_notices", "--date", TODAY.isoformat(), stdout=out)
    assert len(messages_of(loan, 15)) == 1
    # The task runs for the real today, long after TODAY: the period is overdue by then.
    assert send_daily_notices_task.delay().get() == {"reminders": 0, "overdue": 1, "dunning": 0}
    assert send_daily_notices_task.name == "loans.tasks.send_daily_notices_task"  # moved from messaging.tasks


def test_command_refuses_a_bad_date():
    with pytest.raises(CommandError):
        call_command("send_notices", "--date", "2025-13-01")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_one_notice_per_period(sms_outbox):
    """Two workers running the job at the same moment still send each notice once."""
    import threading

    from django.db import connection

    loans = [disbursed_loan(periods=[TODAY + timedelta(days=1), TODAY - timedelta(days=2)]) for _ in range(3)]
    barrier = threading.Barrier(4)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(send_daily_notices(TODAY))
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
    assert sum(r.reminders for r in results) == 3 and sum(r.overdue for r in results) == 3
    for loan in loans:
        assert len(messages_of(loan, 15)) == 1 and len(messages_of(loan, 17)) == 1
    assert SmsMessage.objects.count() == 3 and len(sms_outbox.lines()) == 3  # one per loan a day
