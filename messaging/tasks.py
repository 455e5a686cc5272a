"""Celery tasks of messaging: thin, they take ids and call services."""

from celery import shared_task

from . import services
from .sms import SmsGatewayError

SMS_MAX_RETRIES = 5


@shared_task(bind=True, acks_late=True, max_retries=SMS_MAX_RETRIES)
def send_sms_task(self, sms_id: int) -> None:
    try:
        services.deliver_sms(sms_id)
    except SmsGatewayError as error:
        if self.request.retries >= self.max_retries:
            services.mark_sms_failed(sms_id, error)
            return
        raise self.retry(exc=error, countdown=2 ** self.request.retries * 10)
