"""Celery tasks of loans: thin wrappers around the services."""

from datetime import date, timedelta

from celery import shared_task

from .lifecycle import local_today
from .notices import send_daily_notices
from .overdue import mark_overdue
from .reconciliation import reconcile


@shared_task(name="loans.tasks.mark_overdue_task")
def mark_overdue_task(as_of: str | None = None) -> int:
    """The daily overdue job (beat, 00:10 Asia/Shanghai); ``as_of`` is YYYY-MM-DD, default today."""
    return mark_overdue(date.fromisoformat(as_of) if as_of else local_today())


@shared_task(name="loans.tasks.send_daily_notices_task")
def send_daily_notices_task() -> dict:
    """The daily reminders, overdue notices and dunning messages (beat, 09:00 Asia/Shanghai)."""
    summary = send_daily_notices()
    return {"reminders": summary.reminders, "overdue": summary.overdue, "dunning": summary.dunning}


@shared_task(name="loans.tasks.reconcile_task")
def reconcile_task(as_of: str | None = None) -> int:
    """The nightly reconciliation (beat, 00:40): the closed day, yesterday, by default; returns
    how many differences it found (kept for the dashboard)."""
    day = date.fromisoformat(as_of) if as_of else local_today() - timedelta(days=1)
    return len(reconcile(day).differences)
