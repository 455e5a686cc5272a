"""``python manage.py mark_overdue [--date YYYY-MM-DD]``: the daily overdue job, by hand."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from loans.lifecycle import local_today
from loans.overdue import mark_overdue


class Command(BaseCommand):
    help = "标记逾期还款计划并按日期重新计算罚息（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="as-of date YYYY-MM-DD (default: today, Asia/Shanghai)")

    def handle(self, *args, **options):
        as_of = _parse_date(options["date"]) if options["date"] else local_today()
        count = mark_overdue(as_of)
        self.stdout.write(f"{as_of.isoformat()}: {count} overdue period(s) marked")


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date must be YYYY-MM-DD, got {text!r}") from None
