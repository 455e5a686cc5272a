"""The Celery app. Without CELERY_BROKER_URL tasks run eagerly, in the caller's process.

Worker:  celery -A cashloan worker -l info
Beat:    celery -A cashloan beat -l info   (the schedule is defined in code: ``beat_schedule``)
"""

import os

from celery import Celery
from celery.schedules import crontab

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
    "repayment-reminders-daily": {
        "task": "loans.tasks.send_daily_notices_task",
        "schedule": crontab(hour=9, minute=0),
    },
    "requeue-stale-sms": {
        "task": "messaging.tasks.requeue_stale_sms_task",
        "schedule": crontab(minute="*/15"),
    },
}
