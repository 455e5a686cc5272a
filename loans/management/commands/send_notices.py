"""``python manage.py send_notices [--date YYYY-MM-DD]``: the daily reminders and overdue notices."""

from django.core.management.base import BaseCommand

from cashloan.management.arguments import iso_date
from loans.notices import send_daily_notices


class Command(BaseCommand):
    help = "Sends today's repayment reminders, overdue notices and dunning messages (once a day, however often run)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=iso_date, help="the day to run for (YYYY-MM-DD), default today (local)")

    def handle(self, *args, **options):
        summary = send_daily_notices(options["date"])
        self.stdout.write(
            f"reminders sent: {summary.reminders}, overdue notices sent: {summary.overdue}, dunning messages sent: {summary.dunning}"
        )
