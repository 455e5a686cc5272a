"""Writes of messaging: customer messages, SMS sending and re-sending.

Other apps say what to send (``loans.notifications`` composes the loan events' texts);
messaging records it and delivers it (``messaging.delivery``).
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import code_messages
from .delivery import error_text, send_sms_task
from .models import CustomerMessage, SmsMessage

logger = logging.getLogger(__name__)

STALE_PENDING_AFTER = timedelta(hours=1)
ENQUEUE_FAILED = "未能提交到任务队列（将由定时任务重新提交）："


# --- Customer messages (§24) -------------------------------------------------------------------


def message_customer(user, message_type: int, title: str, content: str, *, application=None, sms_purpose: str = "") -> CustomerMessage:
    """Write a message to one customer and, with an ``sms_purpose``, text it too (after commit).

    Written in the caller's transaction: a caller that rolls back leaves neither.
    """
    message = CustomerMessage.objects.create(
        user=user, message_type=message_type, title=title, content=content, application=application
    )
    if sms_purpose and user.mobile:
        send_sms(user.mobile, content, purpose=sms_purpose)
    return message


# --- SMS ------------------------------------------------------------------------------------


def send_sms(mobile: str, text: str, *, purpose: str = "", code: str = "") -> SmsMessage:
    """Record an SMS and queue it for delivery once the surrounding transaction commits.

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
    else:
        sms = SmsMessage.objects.create(mobile=mobile, text=text, purpose=purpose)
    _queue_after_commit(sms.pk)
    return sms


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
        for sms in SmsMessage.objects.filter(pk__in=rows, has_code=True):
            code_messages.renew(sms)
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
