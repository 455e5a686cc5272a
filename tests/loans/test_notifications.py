"""Loan events → customer messages and SMS (seed §24 types 11–17, CONTRACT §9)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from loans.models import ApplicationStatus
from loans.notifications import LoanEvent, notify_loan_event
from messaging.models import CustomerMessage, SmsMessage
from tests.factories import LoanFactory, PeriodFactory

pytestmark = pytest.mark.django_db

EXPECTED_TYPES = {
    LoanEvent.SUBMITTED: 11,
    LoanEvent.APPROVED: 12,
    LoanEvent.REJECTED: 13,
    LoanEvent.DISBURSED: 14,
    LoanEvent.REMINDER: 15,
    LoanEvent.REPAID: 16,
    LoanEvent.OVERDUE: 17,
}


@pytest.fixture
def loan():
    return LoanFactory(code="L2025000001", product__name="新现金贷", apply_amount=Decimal("1000.00"), user__mobile="13800138000")


# The dunning message's text is the collections' (tests/recovery/test_dunning.py).
COMPOSED = [e for e in LoanEvent if e != LoanEvent.DUNNING]


@pytest.mark.parametrize("event", COMPOSED)
def test_each_event_writes_its_message_naming_the_loan(event, loan, sms_outbox, django_capture_on_commit_callbacks):
    """§24: every loan event leaves a message of its type naming code, product and amount."""
    period = PeriodFactory(application=loan, due_date=timezone.localdate() + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        notify_loan_event(loan, event, period=period)

    message = CustomerMessage.objects.get(user=loan.user)
    assert message.message_type == EXPECTED_TYPES[event]
    assert message.application == loan
    assert message.title
    for fact in ("L2025000001", "新现金贷", "1000.00"):
        assert fact in message.content


@pytest.mark.parametrize("event", [e for e in COMPOSED if e != LoanEvent.SUBMITTED])
def test_every_event_but_submission_sends_an_sms(event, loan, sms_outbox, django_capture_on_commit_callbacks):
    """CONTRACT §9/§10: the SMS goes through the backend after commit; purpose = the event."""
    period = PeriodFactory(application=loan)
    with django_capture_on_commit_callbacks(execute=True):
        message = notify_loan_event(loan, event, period=period)

    assert [(line["mobile"], line["text"]) for line in sms_outbox.lines()] == [("13800138000", message.content)]
    sms = SmsMessage.objects.get()
    assert (sms.purpose, sms.status, sms.attempts) == (event.value, SmsMessage.Status.SENT, 1)


def test_submission_writes_a_message_but_no_sms(loan, sms_outbox, django_capture_on_commit_callbacks):
    """Decision: the borrower is in the app when submitting; no SMS for type 11."""
    with django_capture_on_commit_callbacks(execute=True):
        notify_loan_event(loan, LoanEvent.SUBMITTED)
    assert CustomerMessage.objects.filter(user=loan.user, message_type=11).count() == 1
    assert sms_outbox.lines() == [] and not SmsMessage.objects.exists()


def test_reminder_and_overdue_name_the_due_date_and_amount(loan, sms_outbox):
    due = timezone.localdate() - timedelta(days=2)
    period = PeriodFactory(
        application=loan, number=2, due_date=due, principal=Decimal("500.00"), interest=Decimal("7.00"),
        fee=Decimal("3.00"), penalty=Decimal("1.50"),
    )
    reminder = notify_loan_event(loan, LoanEvent.REMINDER, period=period)
    overdue = notify_loan_event(loan, LoanEvent.OVERDUE, period=period)
    due_text = f"{due.year}年{due.month}月{due.day}日"
    for message in (reminder, overdue):
        assert due_text in message.content and "511.50" in message.content and "第2期" in message.content
    assert "已逾期2天" in overdue.content and "罚息1.50元" in overdue.content


def test_disbursement_names_the_amount_received(loan, sms_outbox):
    message = notify_loan_event(loan, LoanEvent.DISBURSED)
    assert "到账金额900.00元" in message.content


def test_repaid_in_full_says_so(sms_outbox):
    loan = LoanFactory(status=ApplicationStatus.PAID_OFF)
    assert "已全部还清" in notify_loan_event(loan, LoanEvent.REPAID).content


def test_reminder_without_period_is_a_programming_error(loan):
    with pytest.raises(ValueError):
        notify_loan_event(loan, LoanEvent.REMINDER)
    assert not CustomerMessage.objects.exists()


def test_rolled_back_caller_leaves_neither_message_nor_sms(loan, sms_outbox, django_capture_on_commit_callbacks):
    """The message is written in the caller's transaction; the SMS leaves only after commit."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                notify_loan_event(loan, LoanEvent.APPROVED)
                raise RuntimeError("the loan service failed after notifying")
    assert callbacks == []
    assert not CustomerMessage.objects.exists() and not SmsMessage.objects.exists()
    assert sms_outbox.lines() == []


def test_customer_without_mobile_gets_the_message_only(sms_outbox, django_capture_on_commit_callbacks):
    loan = LoanFactory(user__mobile=None, user__username="staff-borrower")
    with django_capture_on_commit_callbacks(execute=True):
        notify_loan_event(loan, LoanEvent.APPROVED)
    assert CustomerMessage.objects.count() == 1 and not SmsMessage.objects.exists()
