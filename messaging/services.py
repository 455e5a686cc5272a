"""Writes of messaging: SMS sending and customer messages."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import SmsMessage
from .sms import SmsGatewayError, get_backend


def send_sms(mobile: str, text: str, *, purpose: str = "") -> SmsMessage:
    """Record an SMS and queue it for delivery once the surrounding transaction commits."""
    from .tasks import send_sms_task

    sms = SmsMessage.objects.create(mobile=mobile, text=text, purpose=purpose)
    transaction.on_commit(lambda: send_sms_task.delay(sms.pk))
    return sms


def deliver_sms(sms_id: int) -> None:
    """Hand one recorded SMS to the backend; raises SmsGatewayError for the task to retry."""
    sms = SmsMessage.objects.get(pk=sms_id)
    if sms.status == SmsMessage.Status.SENT:
        return
    SmsMessage.objects.filter(pk=sms_id).update(attempts=F("attempts") + 1)
    try:
        get_backend().send(sms.mobile, sms.text)
    except SmsGatewayError as error:
        SmsMessage.objects.filter(pk=sms_id).update(last_error=str(error)[:1000])
        raise
    SmsMessage.objects.filter(pk=sms_id).update(status=SmsMessage.Status.SENT, sent_at=timezone.now(), last_error="")


def mark_sms_failed(sms_id: int, error: Exception) -> None:
    SmsMessage.objects.filter(pk=sms_id).update(status=SmsMessage.Status.FAILED, last_error=str(error)[:1000])
