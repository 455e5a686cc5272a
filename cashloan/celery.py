"""The Celery app. Without CELERY_BROKER_URL tasks run eagerly, in the caller's process.

Worker:  celery -A cashloan worker
Beat:    celery -A cashloan beat   (the schedule is defined in code: ``beat_schedule``)
"""

import os
from pathlib import Path

from celery import Celery, signals
from celery.beat import PersistentScheduler
from celery.schedules import crontab

from .logs import configure as configure_logging
from .logs import request_id_var

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cashloan.settings")

app = Celery("cashloan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule lives here, in code (times are Asia/Shanghai).
app.conf.beat_schedule = {
    "mark-overdue-daily": {
        "task": "loans.tasks.mark_overdue_task",
        "schedule": crontab(hour=0, minute=10),
    },
    "reconcile-nightly": {
        "task": "loans.tasks.reconcile_task",
        "schedule": crontab(hour=0, minute=40),
    },
    "repayment-reminders-daily": {
        "task": "loans.tasks.send_daily_notices_task",
        "schedule": crontab(hour=9, minute=0),
    },
    "requeue-stale-sms": {
        "task": "messaging.tasks.requeue_stale_sms_task",
        "schedule": crontab(minute="*/15"),
    },
}


class BeatScheduler(PersistentScheduler):
    """Celery's own scheduler, keeping its state file where the settings say (``var/``)."""

    def setup_schedule(self):
        Path(self.schedule_filename).parent.mkdir(parents=True, exist_ok=True)
        super().setup_schedule()


@signals.setup_logging.connect
def use_project_logging(**kwargs):
    """The worker and beat log like the web (cashloan/logs.py) instead of Celery's own format,
    at LOG_LEVEL (``-l`` is not used: one setting for every process)."""
    from django.conf import settings

    configure_logging(settings.LOGGING)


@signals.task_prerun.connect
def log_with_task_id(task_id=None, task=None, **kwargs):
    """In a worker, a task's log lines carry its id as the request id (eager ones keep the web
    request's). The token lives on the task's per-execution request context."""
    if not task.request.is_eager:
        task.request.request_id_token = request_id_var.set(task_id or "-")


@signals.task_postrun.connect
def stop_logging_with_task_id(task=None, **kwargs):
    token = getattr(task.request, "request_id_token", None)
    if token is not None:
        request_id_var.reset(token)
