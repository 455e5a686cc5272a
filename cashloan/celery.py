"""The Celery app. Without CELERY_BROKER_URL tasks run eagerly, in the caller's process.

Worker:  celery -A cashloan worker -l info
Beat:    celery -A cashloan beat -l info   (the schedule is defined in code: ``beat_schedule``)
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cashloan.settings")

app = Celery("cashloan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
