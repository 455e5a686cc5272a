"""The daily notices: repayment reminders before a due date and overdue notices after it
(seed §24 types 15 and 17; beat runs it at 09:00 Asia/Shanghai).

A loan in collection (an open case, CONTRACT §13) gets its bucket's dunning message instead of
its overdue notices: collections register where that text comes from (:func:`register_dunning`,
at start-up), loans never importing them. Overdue and dunning go first, reminders after, so that
the one SMS a loan may get a day (``loans.notifications.CAPPED_EVENTS``) is the most urgent.

Safe to run as often as wanted: a :class:`messaging.models.NoticeLog` row (unique per period,
kind and day) is written in the same transaction as the message and its SMS. Each loan's
notices take the loan's lock (``loans.locks``), so a repayment posted at the same moment either
comes first (no notice) or waits.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from messaging.models import NoticeLog

from .locks import lock_loan
from .models import ApplicationStatus, LoanApplication, RepaymentPeriod
from .notifications import LoanEvent, notify_loan_event

# (loan, its periods, today) → the dunning text of a loan in collection, or None.
DunningSource = Callable[[LoanApplication, list[RepaymentPeriod], date], str | None]
_dunning_sources: dict[str, DunningSource] = {}


def register_dunning(name: str, source: DunningSource) -> None:
    """Add (or replace) where dunning texts come from (collections: ``recovery.dunning``)."""
    _dunning_sources[name] = source


@dataclass(frozen=True)
class NoticeSummary:
    reminders: int
    overdue: int
    dunning: int = 0


def reminder_days() -> tuple[int, ...]:
    return tuple(int(days) for days in settings.REPAYMENT_REMINDER_DAYS)


def send_daily_notices(today: date | None = None) -> NoticeSummary:
    """Notify overdue loans (dunning for those in collection) and remind borrowers of coming due
    dates, once per period (a dunning message once per loan) a day."""
    today = today or timezone.localdate()
    unpaid = RepaymentPeriod.objects.filter(
        settlement=RepaymentPeriod.Settlement.UNPAID,
        application__status=ApplicationStatus.DISBURSED,
        application__written_off_on__isnull=True,  # no dunning after a write-off (CONTRACT §13, §14)
    )
    due_soon = [today + timedelta(days=days) for days in reminder_days()]
    overdue_loans = list(unpaid.filter(due_date__lt=today).order_by("application_id").values_list("application_id", flat=True).distinct())
    reminder_ids = list(unpaid.filter(due_date__in=due_soon).order_by("due_date", "pk").values_list("pk", flat=True))
    overdue = dunning = 0
    for loan_id in overdue_loans:
        notices, dunned = _notify_overdue_loan(loan_id, today)
        overdue, dunning = overdue + notices, dunning + dunned
    reminders = sum(_send_reminder(pk, today) for pk in reminder_ids)
    return NoticeSummary(reminders=reminders, overdue=overdue, dunning=dunning)


def _notify_overdue_loan(loan_id, today: date) -> tuple[int, int]:
    """One loan's overdue notices (one per overdue period) or its dunning message, in one
    transaction; returns (overdue notices, dunning messages) sent."""
    with transaction.atomic():
        loan = lock_loan(loan_id, related=("user", "product"))
        if loan is None or loan.status != ApplicationStatus.DISBURSED or loan.is_written_off:
            return 0, 0
        periods = list(loan.periods.order_by("number"))
        overdue = [p for p in periods if not p.is_paid and p.due_date < today]
        if not overdue:
            return 0, 0
        text = _dunning_text(loan, periods, today)
        if text:
            if not _log_once(overdue[0], NoticeLog.Kind.DUNNING, today):
                return 0, 0
            notify_loan_event(loan, LoanEvent.DUNNING, today=today, text=text)
            return 0, 1
        sent = 0
        for period in overdue:
            if _log_once(period, NoticeLog.Kind.OVERDUE, today):
                notify_loan_event(loan, LoanEvent.OVERDUE, period=period, today=today)
                sent += 1
        return sent, 0


def _dunning_text(loan: LoanApplication, periods: list[RepaymentPeriod], today: date) -> str | None:
    for source in _dunning_sources.values():
        text = source(loan, periods, today)
        if text:
            return text
    return None


def _send_reminder(period_id, today: date) -> bool:
    """One reminder for one period in its own transaction; False when not (or no longer) due."""
    with transaction.atomic():
        application_id = RepaymentPeriod.objects.filter(pk=period_id).values_list("application_id", flat=True).first()
        application = lock_loan(application_id, related=("user", "product"))
        period = RepaymentPeriod.objects.filter(pk=period_id).first()
        if application is None or period is None or application.status != ApplicationStatus.DISBURSED or period.is_paid:
            return False
        if application.is_written_off:
            return False
        if not _log_once(period, NoticeLog.Kind.REMINDER, today):
            return False
        notify_loan_event(application, LoanEvent.REMINDER, period=period, today=today)
    return True


def _log_once(period: RepaymentPeriod, kind: str, today: date) -> bool:
    """The day's notice of this kind for this period; False when it was already sent."""
    try:
        with transaction.atomic():
            NoticeLog.objects.create(period=period, kind=kind, date=today)
    except IntegrityError:
        return False
    return True
