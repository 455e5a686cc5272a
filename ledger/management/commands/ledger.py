"""``python manage.py ledger --json [--loan CODE] [--date YYYY-MM-DD]``: balances (CONTRACT §14)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cashloan.management.arguments import iso_date
from ledger.accounts import ACCOUNT_CODES, Account
from ledger.models import JournalEntry
from ledger.rules import money_text
from ledger.selectors import account_totals, loan_balances_by_code, unbalanced_entry_count


class Command(BaseCommand):
    help = "打印截至某业务日日终的科目余额（全部科目与每笔借款）。"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the CONTRACT §14 JSON document")
        parser.add_argument("--loan", metavar="CODE", help="only this loan (借款编号) under \"loans\"")
        parser.add_argument("--date", type=iso_date, help="as of the end of this date (default: today, Asia/Shanghai)")

    def handle(self, *args, **options):
        as_of = options["date"] or timezone.localdate()
        code = options["loan"]
        loans = loan_balances_by_code(as_of, code)
        if code is not None and not loans:
            loan_model = JournalEntry._meta.get_field("loan").related_model
            if not loan_model.objects.filter(code=code).exists():
                raise CommandError(f"no loan with code {code!r}")
            loans = {code: dict.fromkeys(ACCOUNT_CODES, 0)}
        report = {
            "accounts": {account: money_text(balance) for account, balance in account_totals(as_of).items()},
            "loans": {loan: {account: money_text(balance) for account, balance in accounts.items()} for loan, accounts in loans.items()},
            "unbalanced_entries": unbalanced_entry_count(as_of),
        }
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self._print_table(as_of, report)

    def _print_table(self, as_of, report) -> None:
        self.stdout.write(f"截至 {as_of.isoformat()} 日终（借方为正，贷方为负）")
        for account, balance in report["accounts"].items():
            self.stdout.write(f"  {account} {Account(account).label:<8} {balance:>16}")
        self.stdout.write(f"借款 {len(report['loans'])} 笔；不平衡分录 {report['unbalanced_entries']} 笔")
