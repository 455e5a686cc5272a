"""SMS delivery: the Celery task that hands one recorded SMS to the backend, and what it runs.

``send_sms_task`` acknowledges late (a worker lost mid-send gives the message back to the
broker) and retries a gateway failure with exponential backoff; when the retries are
exhausted the SmsMessage row is marked failed with its error, for staff to re-send from
the admin. In eager mode (no broker) Celery runs the retries inline, without waiting.

The services queue this task (``messaging.services``), and the scheduled jobs of
``messaging.tasks`` call the services: the task lives here, below both, so that nothing
imports back. It keeps the name ``messaging.tasks.send_sms_task``, which messages queued by
earlier releases carry.
"""

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from celery import shared_task
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from . import code_messages
from .models import SmsMessage
from .sms import SmsGatewayError, get_backend

logger = logging.getLogger(__name__)

SMS_MAX_RETRIES = 5
QUIET_ZONE = ZoneInfo("Asia/Shanghai")  # CONTRACT §13: the borrowers' clock, whatever the server's


def quiet_hours() -> tuple[time, time] | None:
    """``SMS_QUIET_HOURS`` (default ``21:00-08:00``) as (start, end); None when off."""
    text = (settings.SMS_QUIET_HOURS or "").strip()
    if not text:
        return None
    start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    return start, end


def held_until(now: datetime) -> datetime | None:
    """When a message reaching delivery at ``now`` may go: None at once, else the end of the quiet
    hours (the next 08:00 Asia/Shanghai)."""
    hours = quiet_hours()
    if hours is None:
        return None
    start, end = hours
    local = now.astimezone(QUIET_ZONE)
    quiet = (local.time() >= start or local.time() < end) if start > end else (start <= local.time() < end)
    if not quiet:
        return None
    morning = datetime.combine(local.date(), end, tzinfo=QUIET_ZONE)
    return morning if morning > local else morning + timedelta(days=1)


def retry_delay(retries_so_far: int) -> int:
    """10 s, 20 s, 40 s, 80 s, 160 s (``SMS_RETRY_BASE_SECONDS`` × 2ⁿ)."""
    return settings.SMS_RETRY_BASE_SECONDS * 2**retries_so_far


@shared_task(bind=True, acks_late=True, max_retries=SMS_MAX_RETRIES, name="messaging.tasks.send_sms_task")
def send_sms_task(self, sms_id: int) -> None:
    try:
        deliver_sms(sms_id)
    except SmsGatewayError as error:
        if self.request.retries >= self.max_retries:
            logger.warning("SMS %s failed after %s attempts: %s", sms_id, self.request.retries + 1, error)
            mark_sms_failed(sms_id, error)
            return
        raise self.retry(exc=error, countdown=retry_delay(self.request.retries))
    except Exception as error:  # a backend bug: not retryable, but never lost silently
        logger.exception("SMS %s could not be handed to the backend", sms_id)
        mark_sms_failed(sms_id, error)


def deliver_sms(sms_id: int) -> bool:
    """Hand one recorded SMS to the backend; raises SmsGatewayError for the task to retry.

    Returns False when there is nothing to do (already sent, or the row is gone) or when it is
    quiet hours: the message (a one-time code excepted) then stays pending with ``not_before``
    set to the morning, when the re-queue job sends it (retries and re-sends pass here too).
    """
    sms = SmsMessage.objects.filter(pk=sms_id).first()
    if sms is None or sms.status == SmsMessage.Status.SENT:
        return False
    morning = None if sms.has_code else held_until(timezone.now())
    if morning is not None:
        SmsMessage.objects.filter(pk=sms_id).update(not_before=morning)
        logger.info("SMS %s held until %s (quiet hours)", sms_id, morning.isoformat())
        return False
    text, code = sms.text, ""
    if sms.has_code:  # the sealed text; a fresh code when it is gone (CONTRACT §11)
        message = code_messages.unseal(sms.sealed_text) if sms.sealed_text else code_messages.renew(sms)
        text, code = message.text, message.code
    SmsMessage.objects.filter(pk=sms_id).update(attempts=F("attempts") + 1)
    try:
        get_backend().send(sms.mobile, text)
    except SmsGatewayError as error:
        SmsMessage.objects.filter(pk=sms_id).update(last_error=code_messages.redact(error_text(error), code))
        raise
    SmsMessage.objects.filter(pk=sms_id).update(
        status=SmsMessage.Status.SENT, sent_at=timezone.now(), last_error="", sealed_text=""
    )
    return True


def mark_sms_failed(sms_id: int, error: Exception) -> None:
    """Given up: the row says why, and a code it carried is dropped (a resend issues a new one)."""
    sms = SmsMessage.objects.filter(pk=sms_id).exclude(status=SmsMessage.Status.SENT).first()
    if sms is None:
        return
    SmsMessage.objects.filter(pk=sms_id).exclude(status=SmsMessage.Status.SENT).update(
        status=SmsMessage.Status.FAILED,
        last_error=code_messages.redact(error_text(error), code_messages.sealed_code(sms)),
        sealed_text="",
    )


def error_text(error: Exception, prefix: str = "") -> str:
    """What the SMS log shows as 最近错误."""
    return (f"{prefix}{type(error).__name__}: {error}")[:1000]
