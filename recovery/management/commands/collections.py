"""``python manage.py collections --json [--date YYYY-MM-DD]`` (CONTRACT §13): runs no job; prints
the cases open at the end of that date (default today) as the daily job left them."""

import json

from django.core.management.base import BaseCommand

from cashloan.management.arguments import iso_date
from loans.lifecycle import local_today
from recovery.selectors import cases_open_on


class Command(BaseCommand):
    help = "列出某日结束时仍在催收中的案件（不运行任何任务）；--json 输出 JSON。"

    def add_arguments(self, parser):
        parser.add_argument("--date", type=iso_date, help="the cases open at the end of this date (default: today, Asia/Shanghai)")
        parser.add_argument("--json", action="store_true", help='print {"cases": [...]} (CONTRACT §13)')

    def handle(self, *args, **options):
        day = options["date"] or local_today()
        cases = cases_open_on(day)
        if options["json"]:
            self._write_json(cases)
            return
        count = 0
        for case in cases:
            count += 1
            fields = [case.loan, str(case.dpd), case.bucket, case.collector or "未分配", case.due]
            self.stdout.write("\t".join(fields + (["跳票"] if case.broken_promise else [])))
        self.stdout.write(f"{day.isoformat()}：催收中案件 {count} 件")

    def _write_json(self, cases) -> None:
        """Streamed, one case a line: memory stays flat however many cases are open."""
        self.stdout.write('{"cases": [', ending="")
        for index, case in enumerate(cases):
            separator = ",\n " if index else "\n "
            self.stdout.write(separator + json.dumps(case.as_json(), ensure_ascii=False), ending="")
        self.stdout.write("\n]}")
