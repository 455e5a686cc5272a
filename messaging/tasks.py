"""Celery jobs of messaging: thin, they call services.

The SMS delivery task itself is ``messaging.delivery.send_sms_task`` (the services queue it);
it is imported here so that a worker's task autodiscovery registers it.
"""

from celery import shared_task

from . import services
from .delivery import send_sms_task  # noqa: F401  (registered with the worker)


@shared_task(name="messaging.tasks.requeue_stale_sms_task")
def requeue_stale_sms_task() -> int:
    return services.requeue_stale_sms()
