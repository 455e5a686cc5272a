"""Celery tasks of messaging: thin, they take ids and call services.

``send_sms_task`` acknowledges late (a worker lost mid-send gives the message back to the
broker) and retries a gateway failure with exponential backoff; when the retries are
exhausted the SmsMessage row is marked failed with its error, for staff to re-send from
the admin. In eager mode (no broker) Celery runs the retries inline, without waiting.
"""

import logging

from celery import shared_task
from django.conf import settings

from . import services
from .sms import SmsGatewayError

logger = logging.getLogger(__name__)

SMS_MAX_RETRIES = 5
DEFAULT_RETRY_BASE_SECONDS = 10


def retry_delay(retries_so_far: int) -> int:
    """10 s, 20 s, 40 s, 80 s, 160 s (``SMS_RETRY_BASE_SECONDS`` × 2ⁿ)."""
    base = getattr(settings, "SMS_RETRY_BASE_SECONDS", DEFAULT_RETRY_BASE_SECONDS)
    return base * 2**retries_so_far


@shared_task(bind=True, acks_late=True, max_retries=SMS_MAX_RETRIES, name="messaging.tasks.send_sms_task")
def send_sms_task(self, sms_id: int) -> None:
    try:
        services.deliver_sms(sms_id)
    except SmsGatewayError as error:
        if self.request.retries >= self.max_retries:
            logger.warning("SMS %s failed after %s attempts: %s", sms_id, self.request.retries + 1, error)
            services.mark_sms_failed(sms_id, error)
            return
        raise self.retry(exc=error, countdown=retry_delay(self.request.retries))
    except Exception as error:  # a backend bug: not retryable, but never lost silently
        logger.exception("SMS %s could not be handed to the backend", sms_id)
        services.mark_sms_failed(sms_id, error)


@shared_task(name="messaging.tasks.send_daily_notices_task")
def send_daily_notices_task() -> dict:
    summary = services.send_daily_notices()
    return {"reminders": summary.reminders, "overdue": summary.overdue}


@shared_task(name="messaging.tasks.requeue_stale_sms_task")
def requeue_stale_sms_task() -> int:
    return services.requeue_stale_sms()
