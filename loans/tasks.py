"""Celery tasks of loans: thin wrappers around the services."""

from datetime import date

from celery import shared_task

from .lifecycle import local_today
from .notices import send_daily_notices
from .overdue import mark_overdue


@shared_task(name="loans.tasks.mark_overdue_task")
def mark_overdue_task(as_of: str | None = None) -> int:
    """The daily overdue job (beat, 00:10 Asia/Shanghai); ``as_of`` is YYYY-MM-DD, default today."""
    return mark_overdue(date.fromisoformat(as_of) if as_of else local_today())


@shared_task(name="loans.tasks.send_daily_notices_task")
def send_daily_notices_task() -> dict:
    """The daily reminders and overdue notices (beat, 09:00 Asia/Shanghai)."""
    summary = send_daily_notices()
    return {"reminders": summary.reminders, "overdue": summary.overdue}
