"""The daily notices: repayment reminders before a due date and overdue notices after it
(seed §24 types 15 and 17; beat runs it at 09:00 Asia/Shanghai).

Safe to run as often as wanted: a :class:`messaging.models.NoticeLog` row (unique per period,
kind and day) is written in the same transaction as the message and its SMS. Each notice
takes the loan's lock (``loans.locks``), so a repayment posted at the same moment either
comes first (no notice) or waits.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from messaging.models import NoticeLog

from .locks import lock_loan
from .models import ApplicationStatus, RepaymentPeriod
from .notifications import LoanEvent, notify_loan_event


@dataclass(frozen=True)
class NoticeSummary:
    reminders: int
    overdue: int


def reminder_days() -> tuple[int, ...]:
    return tuple(int(days) for days in settings.REPAYMENT_REMINDER_DAYS)


def send_daily_notices(today: date | None = None) -> NoticeSummary:
    """Remind borrowers of coming due dates and notify overdue periods, once per period a day."""
    today = today or timezone.localdate()
    unpaid = RepaymentPeriod.objects.filter(
        settlement=RepaymentPeriod.Settlement.UNPAID,
        application__status=ApplicationStatus.DISBURSED,
        application__written_off_on__isnull=True,  # no dunning after a write-off (CONTRACT §13, §14)
    ).order_by("due_date", "pk")
    due_soon = [today + timedelta(days=days) for days in reminder_days()]
    reminder_ids = list(unpaid.filter(due_date__in=due_soon).values_list("pk", flat=True))
    overdue_ids = list(unpaid.filter(due_date__lt=today).values_list("pk", flat=True))
    reminders = sum(_send_notice(pk, NoticeLog.Kind.REMINDER, today) for pk in reminder_ids)
    overdue = sum(_send_notice(pk, NoticeLog.Kind.OVERDUE, today) for pk in overdue_ids)
    return NoticeSummary(reminders=reminders, overdue=overdue)


def _send_notice(period_id, kind: str, today: date) -> bool:
    """One notice for one period in its own transaction; False when not (or no longer) due."""
    with transaction.atomic():
        application_id = RepaymentPeriod.objects.filter(pk=period_id).values_list("application_id", flat=True).first()
        application = lock_loan(application_id, related=("user", "product"))
        period = RepaymentPeriod.objects.filter(pk=period_id).first()
        if application is None or period is None or application.status != ApplicationStatus.DISBURSED or period.is_paid:
            return False
        if application.is_written_off:
            return False
        try:
            with transaction.atomic():
                NoticeLog.objects.create(period=period, kind=kind, date=today)
        except IntegrityError:
            return False  # already sent today
        event = LoanEvent.REMINDER if kind == NoticeLog.Kind.REMINDER else LoanEvent.OVERDUE
        notify_loan_event(application, event, period=period, today=today)
    return True
