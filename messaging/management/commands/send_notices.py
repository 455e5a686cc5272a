"""``python manage.py send_notices [--date YYYY-MM-DD]``: the daily reminders and overdue notices."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from messaging.services import send_daily_notices


class Command(BaseCommand):
    help = "Sends today's repayment reminders and overdue notices (once per period a day, however often run)."

    def add_arguments(self, parser):
        parser.add_argument("--date", default=None, help="the day to run for (YYYY-MM-DD), default today (local)")

    def handle(self, *args, date: str | None = None, **options):
        day = _parse_date(date) if date else None
        summary = send_daily_notices(day)
        self.stdout.write(f"reminders sent: {summary.reminders}, overdue notices sent: {summary.overdue}")


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date must be YYYY-MM-DD, got {text!r}") from None
