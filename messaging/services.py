"""Writes of messaging: SMS sending, re-sending, and the daily repayment notices."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import NoticeLog, SmsMessage
from .sms import SmsGatewayError, get_backend

DEFAULT_REMINDER_DAYS = (3, 1)
STALE_PENDING_AFTER = timedelta(hours=1)


# --- SMS ------------------------------------------------------------------------------------


def send_sms(mobile: str, text: str, *, purpose: str = "") -> SmsMessage:
    """Record an SMS and queue it for delivery once the surrounding transaction commits.

    The row exists before any task does, so a message is never lost: if the broker is down
    when the transaction commits, the row stays pending for :func:`requeue_stale_sms`.
    """
    sms = SmsMessage.objects.create(mobile=mobile, text=text, purpose=purpose)
    _queue_after_commit(sms.pk)
    return sms


def _queue_after_commit(sms_id: int) -> None:
    from .tasks import send_sms_task

    # robust: a broker outage after commit must not turn the caller's success into a 500.
    transaction.on_commit(lambda: send_sms_task.delay(sms_id), robust=True)


def deliver_sms(sms_id: int) -> bool:
    """Hand one recorded SMS to the backend; raises SmsGatewayError for the task to retry.

    Returns False when there is nothing to do (already sent, or the row is gone).
    """
    sms = SmsMessage.objects.filter(pk=sms_id).first()
    if sms is None or sms.status == SmsMessage.Status.SENT:
        return False
    SmsMessage.objects.filter(pk=sms_id).update(attempts=F("attempts") + 1)
    try:
        get_backend().send(sms.mobile, sms.text)
    except SmsGatewayError as error:
        SmsMessage.objects.filter(pk=sms_id).update(last_error=_error_text(error))
        raise
    SmsMessage.objects.filter(pk=sms_id).update(status=SmsMessage.Status.SENT, sent_at=timezone.now(), last_error="")
    return True


def mark_sms_failed(sms_id: int, error: Exception) -> None:
    SmsMessage.objects.filter(pk=sms_id).exclude(status=SmsMessage.Status.SENT).update(
        status=SmsMessage.Status.FAILED, last_error=_error_text(error)
    )


def _error_text(error: Exception) -> str:
    return (f"{type(error).__name__}: {error}")[:1000]


def resend_sms(sms_ids) -> int:
    """Queue failed (or stale pending) messages again; returns how many were queued."""
    stale_before = timezone.now() - STALE_PENDING_AFTER
    with transaction.atomic():
        locked = SmsMessage.objects.select_for_update().filter(pk__in=list(sms_ids))
        rows = list(_resendable(locked, stale_before))
        SmsMessage.objects.filter(pk__in=rows).update(status=SmsMessage.Status.PENDING)
        for sms_id in rows:
            _queue_after_commit(sms_id)
    return len(rows)


def _resendable(queryset, stale_before):
    failed = Q(status=SmsMessage.Status.FAILED)
    stale = Q(status=SmsMessage.Status.PENDING, created_at__lt=stale_before)
    return queryset.filter(failed | stale).order_by("pk").values_list("pk", flat=True)


def requeue_stale_sms() -> int:
    """Queue again the messages still pending long after every retry would have ended."""
    stale_before = timezone.now() - STALE_PENDING_AFTER
    ids = list(
        SmsMessage.objects.filter(status=SmsMessage.Status.PENDING, created_at__lt=stale_before).values_list("pk", flat=True)
    )
    return resend_sms(ids) if ids else 0


# --- Daily notices (repayment reminders and overdue notices) ----------------------------------


@dataclass(frozen=True)
class NoticeSummary:
    reminders: int
    overdue: int


def reminder_days() -> tuple[int, ...]:
    return tuple(int(days) for days in getattr(settings, "REPAYMENT_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def send_daily_notices(today: date | None = None) -> NoticeSummary:
    """Remind borrowers of coming due dates and notify overdue periods, once per period a day.

    Safe to run as often as wanted: a :class:`NoticeLog` row (unique per period, kind and
    day) is written in the same transaction as the message and its SMS.
    """
    from loans.models import ApplicationStatus, RepaymentPeriod

    today = today or timezone.localdate()
    unpaid = RepaymentPeriod.objects.filter(
        settlement=RepaymentPeriod.Settlement.UNPAID, application__status=ApplicationStatus.DISBURSED
    ).order_by("due_date", "pk")
    due_soon = [today + timedelta(days=days) for days in reminder_days()]
    reminder_ids = list(unpaid.filter(due_date__in=due_soon).values_list("pk", flat=True))
    overdue_ids = list(unpaid.filter(due_date__lt=today).values_list("pk", flat=True))
    reminders = sum(_send_notice(pk, NoticeLog.Kind.REMINDER, today) for pk in reminder_ids)
    overdue = sum(_send_notice(pk, NoticeLog.Kind.OVERDUE, today) for pk in overdue_ids)
    return NoticeSummary(reminders=reminders, overdue=overdue)


def _send_notice(period_id, kind: str, today: date) -> bool:
    """One notice for one period in its own transaction; False when not (or no longer) due."""
    from loans.models import ApplicationStatus, LoanApplication, RepaymentPeriod

    from .notifications import LoanEvent, notify_loan_event

    with transaction.atomic():
        application_id = RepaymentPeriod.objects.filter(pk=period_id).values_list("application_id", flat=True).first()
        # The loan's lock: a repayment posted at the same moment takes it too.
        application = (
            LoanApplication.objects.select_for_update(of=("self",))
            .select_related("user", "product")
            .filter(pk=application_id)
            .first()
        )
        period = RepaymentPeriod.objects.filter(pk=period_id).first()
        if application is None or period is None or application.status != ApplicationStatus.DISBURSED or period.is_paid:
            return False
        try:
            with transaction.atomic():
                NoticeLog.objects.create(period=period, kind=kind, date=today)
        except IntegrityError:
            return False  # already sent today
        event = LoanEvent.REMINDER if kind == NoticeLog.Kind.REMINDER else LoanEvent.OVERDUE
        notify_loan_event(application, event, period=period, today=today)
    return True
