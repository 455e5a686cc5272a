"""Loan events → a customer message (§24 types 11–17) and, where it warrants, an SMS.

The loan services call :func:`notify_loan_event` inside their transaction; it composes the
text and hands it to messaging (``messaging.services.message_customer``), which writes the
message in that transaction and sends the SMS after commit.

Every event but SUBMITTED also goes out by SMS: at submission the borrower is in the app
and sees the result on screen, so an SMS would only cost money; every later event happens
while the borrower is away (staff review, disbursement, the daily jobs). For the same reason
an approval or a rejection decided by the risk rules at submission goes without SMS
(``sms=False``).
"""

from datetime import date
from enum import Enum

from django.utils import timezone

from cashloan.money import money_str
from messaging.models import CustomerMessage, CustomerMessageType
from messaging.services import Cap, message_customer

from .amortization import overdue_days
from .models import ApplicationStatus


class LoanEvent(str, Enum):
    SUBMITTED = "submitted"  # 11
    APPROVED = "approved"  # 12
    REJECTED = "rejected"  # 13
    DISBURSED = "disbursed"  # 14
    REMINDER = "reminder"  # 15 (the daily job)
    REPAID = "repaid"  # 16
    OVERDUE = "overdue"  # 17 (the daily job)
    DUNNING = "dunning"  # 17 (the daily job, for a loan in collection: the bucket's text)


MESSAGE_TYPES = {
    LoanEvent.SUBMITTED: CustomerMessageType.SUBMITTED,
    LoanEvent.APPROVED: CustomerMessageType.APPROVED,
    LoanEvent.REJECTED: CustomerMessageType.REJECTED,
    LoanEvent.DISBURSED: CustomerMessageType.DISBURSED,
    LoanEvent.REMINDER: CustomerMessageType.REPAYMENT_REMINDER,
    LoanEvent.REPAID: CustomerMessageType.REPAID,
    LoanEvent.OVERDUE: CustomerMessageType.OVERDUE,
    LoanEvent.DUNNING: CustomerMessageType.OVERDUE,
}

EVENTS_WITHOUT_SMS = frozenset({LoanEvent.SUBMITTED})

EVENTS_NEEDING_PERIOD = frozenset({LoanEvent.REMINDER, LoanEvent.OVERDUE})

# CONTRACT §13: at most one SMS a loan a day among these (the daily job's messages).
CAPPED_EVENTS = frozenset({LoanEvent.REMINDER, LoanEvent.OVERDUE, LoanEvent.DUNNING})


def notify_loan_event(
    application, event: LoanEvent, *, period=None, today: date | None = None, sms: bool = True, text: str = ""
) -> CustomerMessage:
    """Write the customer message of ``event`` for ``application`` (and queue its SMS).

    ``today`` (default: the local date) is the day the overdue notice counts days to, and the
    day of the one-SMS-a-loan cap; ``text`` is the dunning message's (collections write it).
    """
    event = LoanEvent(event)
    if event in EVENTS_NEEDING_PERIOD and period is None:
        raise ValueError(f"the {event.value} notice names a repayment period")
    if event == LoanEvent.DUNNING and not text:
        raise ValueError("the dunning message needs its text")
    title, content = ("逾期还款提醒", text) if event == LoanEvent.DUNNING else compose(application, event, period=period, today=today)
    sms_purpose = "" if event in EVENTS_WITHOUT_SMS or not sms else event.value
    cap = Cap(f"loan:{application.pk}", today or timezone.localdate()) if event in CAPPED_EVENTS else None
    return message_customer(
        application.user, MESSAGE_TYPES[event], title, content, application=application, sms_purpose=sms_purpose, sms_cap=cap
    )


def compose(application, event: LoanEvent, *, period=None, today: date | None = None) -> tuple[str, str]:
    """The Chinese title and text of one event's message."""
    loan = _describe_loan(application)
    if event == LoanEvent.SUBMITTED:
        return "借款申请已提交", f"您的借款申请（{loan}）已提交，我们将尽快审核，请留意审核结果。"
    if event == LoanEvent.APPROVED:
        return "借款审核通过", f"您的借款申请（{loan}）已审核通过，我们将尽快为您放款。"
    if event == LoanEvent.REJECTED:
        return "借款审核未通过", f"很抱歉，您的借款申请（{loan}）未通过审核，感谢您的关注。"
    if event == LoanEvent.DISBURSED:
        return (
            "借款已放款",
            f"您的借款（{loan}）已放款，到账金额{money_str(application.reply_amount)}元，请按时还款。",
        )
    if event == LoanEvent.REPAID:
        return "还款成功", _repaid_text(application, loan, period)
    if event == LoanEvent.REMINDER:
        return (
            "还款提醒",
            f"您的借款（{loan}）第{period.number}期将于{_date_text(period.due_date)}到期，"
            f"应还金额{money_str(period.due_total)}元，请按时还款。",
        )
    days = overdue_days(period.due_date, today or timezone.localdate())
    return (
        "逾期还款提醒",
        f"您的借款（{loan}）第{period.number}期已于{_date_text(period.due_date)}到期未还，已逾期{days}天，"
        f"当前应还金额{money_str(period.due_total)}元（含罚息{money_str(period.penalty)}元），"
        "请尽快还款，以免影响您的信用记录。",
    )


def _describe_loan(application) -> str:
    return f"编号{application.code}，{application.product.name}，借款金额{money_str(application.apply_amount)}元"


def _repaid_text(application, loan: str, period) -> str:
    if application.status == ApplicationStatus.PAID_OFF:
        return f"您的借款（{loan}）已全部还清，感谢您的信任。"
    if period is not None:
        return f"您的借款（{loan}）第{period.number}期已还款，感谢您按时还款。"
    return f"您的借款（{loan}）已收到还款，感谢您按时还款。"


def _date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
