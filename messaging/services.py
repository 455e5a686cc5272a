"""Writes of messaging: customer messages, SMS sending and re-sending.

Other apps say what to send (``loans.notifications`` composes the loan events' texts);
messaging records it and delivers it (``messaging.delivery``).
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from . import code_messages
from .delivery import error_text, send_sms_task
from .models import CustomerMessage, SmsMessage

logger = logging.getLogger(__name__)

STALE_PENDING_AFTER = timedelta(hours=1)
ENQUEUE_FAILED = "未能提交到任务队列（将由定时任务重新提交）："


@dataclass(frozen=True)
class Cap:
    """At most one SMS per ``subject`` (e.g. ``loan:<id>``) and ``day`` (CONTRACT §13)."""

    subject: str
    day: date


# --- Customer messages (§24) -------------------------------------------------------------------


def message_customer(
    user, message_type: int, title: str, content: str, *, application=None, sms_purpose: str = "", sms_cap: Cap | None = None
) -> CustomerMessage:
    """Write a message to one customer and, with an ``sms_purpose``, text it too (after commit;
    with ``sms_cap``, only if no SMS of that subject went that day).

    Written in the caller's transaction: a caller that rolls back leaves neither.
    """
    message = CustomerMessage.objects.create(
        user=user, message_type=message_type, title=title, content=content, application=application
    )
    if sms_purpose and user.mobile:
        send_sms(user.mobile, content, purpose=sms_purpose, cap=sms_cap)
    return message


# --- SMS ------------------------------------------------------------------------------------


def send_sms(mobile: str, text: str, *, purpose: str = "", code: str = "", cap: Cap | None = None) -> SmsMessage | None:
    """Record an SMS and queue it for delivery once the surrounding transaction commits.

    With a ``cap``, nothing is recorded (None) when an SMS of that subject was already recorded
    that day: the database's unique index decides, concurrent senders included.

    The row exists before any task does, so a message is never lost: if the broker is down
    when the transaction commits, the row stays pending for :func:`requeue_stale_sms`.
    A ``code`` in the text (a one-time code) is recorded as ``******``, the real text sealed
    until delivery (``messaging.code_messages``); ``purpose`` must then have a registered issuer.
    """
    if code:
        message = code_messages.CodeMessage(text, code)
        sms = SmsMessage.objects.create(
            mobile=mobile, text=message.redacted, purpose=purpose, has_code=True, sealed_text=code_messages.seal(message)
        )
    elif cap is not None:
        sms = _create_capped(mobile, text, purpose, cap)
        if sms is None:
            return None
    else:
        sms = SmsMessage.objects.create(mobile=mobile, text=text, purpose=purpose)
    _queue_after_commit(sms.pk)
    return sms


def _create_capped(mobile: str, text: str, purpose: str, cap: Cap) -> SmsMessage | None:
    if SmsMessage.objects.filter(cap_key=cap.subject, cap_day=cap.day).exists():
        return None
    try:
        with transaction.atomic():
            return SmsMessage.objects.create(mobile=mobile, text=text, purpose=purpose, cap_key=cap.subject, cap_day=cap.day)
    except IntegrityError:
        return None  # another sender took the day's message a moment ago


def _queue_after_commit(sms_id: int) -> None:
    transaction.on_commit(lambda: enqueue_sms(sms_id), robust=True)  # a last resort: never a 500 after commit


def enqueue_sms(sms_id: int) -> bool:
    """Hand a recorded SMS to the broker. When the broker is down, say so in the log and on the
    row, which stays pending for :func:`requeue_stale_sms`; the caller's request still succeeds."""
    try:
        send_sms_task.delay(sms_id)
    except Exception as error:
        logger.error("SMS %s could not be queued; it stays pending for the re-queue job", sms_id, exc_info=True)
        SmsMessage.objects.filter(pk=sms_id, status=SmsMessage.Status.PENDING).update(
            last_error=error_text(error, prefix=ENQUEUE_FAILED)
        )
        return False
    return True


def resend_sms(sms_ids) -> int:
    """Queue failed (or stale pending) messages again; returns how many were queued.

    A code message goes again with a fresh code (CONTRACT §11), never the one it carried.
    """
    stale_before = timezone.now() - STALE_PENDING_AFTER
    with transaction.atomic():
        locked = SmsMessage.objects.select_for_update().filter(pk__in=list(sms_ids))
        rows = list(_resendable(locked, stale_before))
        today = timezone.localdate()
        behind = set(SmsMessage.objects.filter(pk__in=rows, cap_day__lt=today).values_list("pk", flat=True))
        rows = [pk for pk in rows if pk not in behind or _takes_todays_place(pk, today)]
        for sms in SmsMessage.objects.filter(pk__in=rows, has_code=True):
            code_messages.renew(sms)
        SmsMessage.objects.filter(pk__in=rows).update(status=SmsMessage.Status.PENDING)
        for sms_id in rows:
            _queue_after_commit(sms_id)
    return len(rows)


CAP_TAKEN = "该借款今日已发送过短信（每日一条），本条不再发送"


def _takes_todays_place(sms_id: int, today: date) -> bool:
    """CONTRACT §13's one SMS a loan a day holds on the day it goes: a capped message sent
    again after its day (a staff re-send, the morning after a night's wait) becomes today's
    one -- the unique index decides -- or stays failed when today's is taken."""
    try:
        with transaction.atomic():
            SmsMessage.objects.filter(pk=sms_id, cap_day__lt=today).update(cap_day=today)
    except IntegrityError:
        SmsMessage.objects.filter(pk=sms_id).update(status=SmsMessage.Status.FAILED, last_error=CAP_TAKEN)
        return False
    return True


def _resendable(queryset, stale_before):
    return queryset.filter(_failed_or_stale(stale_before)).order_by("pk").values_list("pk", flat=True)


def _failed_or_stale(stale_before) -> Q:
    """Failed; or pending long after every retry would have ended, or held for the night and
    now due -- but not one still waiting for the morning (quiet hours)."""
    now = timezone.now()
    pending = Q(status=SmsMessage.Status.PENDING)
    waiting = Q(not_before__gt=now)
    stale = pending & Q(created_at__lt=stale_before) & ~waiting
    morning = pending & Q(not_before__lte=now)
    return Q(status=SmsMessage.Status.FAILED) | stale | morning


def requeue_stale_sms() -> int:
    """Queue again the messages still pending long after every retry would have ended, and
    those held during quiet hours once the morning has come (beat, every 15 minutes)."""
    stale_before = timezone.now() - STALE_PENDING_AFTER
    waiting = SmsMessage.objects.filter(_failed_or_stale(stale_before)).exclude(status=SmsMessage.Status.FAILED)
    ids = list(waiting.values_list("pk", flat=True))
    return resend_sms(ids) if ids else 0
