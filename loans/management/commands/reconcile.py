"""``python manage.py reconcile [--date YYYY-MM-DD]``: the books against the loans (CONTRACT §14).

Prints every difference and exits 1 when there is one; the result is kept for the dashboard.
"""

from django.core.management.base import BaseCommand, CommandError

from cashloan.management.arguments import iso_date
from loans.lifecycle import local_today
from loans.reconciliation import reconcile


class Command(BaseCommand):
    help = "对账：核对账簿与借款、还款计划，逐条打印差异；有差异时以 1 退出。"

    def add_arguments(self, parser):
        parser.add_argument("--date", type=iso_date, help="as of the end of this date (default: today, Asia/Shanghai)")

    def handle(self, *args, **options):
        as_of = options["date"] or local_today()
        result = reconcile(as_of)
        for difference in result.differences:
            self.stdout.write(str(difference))
        summary = f"{as_of.isoformat()}：核对借款 {result.loans_checked} 笔，差异 {len(result.differences)} 处"
        if not result.ok:
            raise CommandError(summary, returncode=1)
        self.stdout.write(summary)
