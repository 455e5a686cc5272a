"""``python manage.py mark_overdue [--date YYYY-MM-DD]``: the daily overdue job, by hand."""

from django.core.management.base import BaseCommand

from cashloan.management.arguments import iso_date
from loans.lifecycle import local_today
from loans.overdue import mark_overdue


class Command(BaseCommand):
    help = "标记逾期还款计划并按日期重新计算罚息（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", type=iso_date, help="as-of date YYYY-MM-DD (default: today, Asia/Shanghai)")

    def handle(self, *args, **options):
        as_of = options["date"] or local_today()
        count = mark_overdue(as_of)
        self.stdout.write(f"{as_of.isoformat()}: {count} overdue period(s) marked")
