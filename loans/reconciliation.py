"""Reconciliation: the books against the loans and their schedules (CONTRACT §14).

For every loan disbursed by the end of a date, what each account must hold is worked out from
the loan's own records -- its terms, its schedule, the repayments made by that date (their
business dates), its write-off -- independently of the postings, and compared with the books'
balances. The recognition rules are the books' (docs/DECISIONS.md): a period's interest and fee
are receivable from its due date, its penalty as the daily job computes it for the date, and
what a repayment pays is income. Also checked: every entry balanced, and the kept daily
balances equal to the sum of the lines.

Finance's corrections count from their business date: an approved waiver takes its amount off
the periods it names, a reversed repayment is as if never made (and until its reversal, the
periods it paid were paid by it).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from cashloan.models import ZERO
from ledger.accounts import ACCOUNT_CODES, Account
from ledger.rules import cents, money_text
from ledger.selectors import balances_as_of, kept_balances_differing_from_lines, loans_on_books, unbalanced_entry_count
from ledger.services import record_reconciliation

from .amortization import penalty_left
from .finance_models import Decision, Reversal, WaiverLine
from .models import SERVICED_STATUSES, LoanApplication, Repayment, RepaymentPeriod

CHUNK = 1000
WAIVED = ("waived_interest", "waived_fee", "waived_penalty")


@dataclass(frozen=True)
class Difference:
    loan: str | None
    account: str | None
    books: str
    expected: str
    note: str = ""

    def as_dict(self) -> dict:
        return {"loan": self.loan, "account": self.account, "books": self.books, "expected": self.expected, "note": self.note}

    def __str__(self) -> str:
        where = " ".join(part for part in (self.loan, self.account and f"{self.account} {Account(self.account).label}") if part)
        return f"{where or '账簿'}：账簿 {self.books}，应为 {self.expected}{'（' + self.note + '）' if self.note else ''}"


@dataclass(frozen=True)
class Result:
    as_of: date
    loans_checked: int
    differences: list[Difference]

    @property
    def ok(self) -> bool:
        return not self.differences


def reconcile(as_of: date, *, record: bool = True) -> Result:
    """Compare, and (by default) keep the result for the dashboard."""
    differences = _ledger_checks(as_of)
    checked: set = set()
    loans = _disbursed_by(as_of).order_by("code").values(
        "id", "code", "apply_amount", "service_fee", "reply_amount", "penalty_rate", "written_off_on"
    )
    batch: list[dict] = []
    for loan in loans.iterator(chunk_size=CHUNK):
        batch.append(loan)
        if len(batch) == CHUNK:
            differences += _check_batch(batch, as_of)
            checked.update(row["id"] for row in batch)
            batch = []
    differences += _check_batch(batch, as_of)
    checked.update(row["id"] for row in batch)
    differences += _unexpected_loans(loans_on_books(as_of) - checked, as_of)
    result = Result(as_of, len(checked), differences)
    if record:
        record_reconciliation(as_of, result.loans_checked, [d.as_dict() for d in differences])
    return result


def _disbursed_by(as_of: date):
    end_of_day = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time()))
    return LoanApplication.objects.filter(status__in=SERVICED_STATUSES, disbursed_at__lt=end_of_day)


def _ledger_checks(as_of: date) -> list[Difference]:
    differences = []
    unbalanced = unbalanced_entry_count(as_of)
    if unbalanced:
        differences.append(Difference(None, None, str(unbalanced), "0", "借贷不平衡的分录笔数"))
    for loan_id, account, kept, summed in kept_balances_differing_from_lines(as_of):
        differences.append(Difference(str(loan_id), account, money_text(kept), money_text(summed), "日终余额与分录行合计不符"))
    return differences


def _check_batch(loans: list[dict], as_of: date) -> list[Difference]:
    if not loans:
        return []
    ids = [loan["id"] for loan in loans]
    periods = defaultdict(list)
    for period in RepaymentPeriod.objects.filter(application_id__in=ids).order_by("number").values(
        "id", "application_id", "number", "due_date", "principal", "interest", "fee", "repayment_id"
    ):
        periods[period["application_id"]].append(period)
    _as_they_were(periods, ids, as_of)
    repayments = defaultdict(list)
    live = Q(reversed_on__isnull=True) | Q(reversed_on__gt=as_of)  # reversed by then: as if never made
    for repayment in Repayment.objects.filter(live, application_id__in=ids, effective_date__lte=as_of).values(
        "id", "application_id", "amount", "principal", "interest", "fee", "penalty", "is_recovery"
    ):
        repayments[repayment["application_id"]].append(repayment)
    books = balances_as_of(as_of, ids)
    differences = []
    for loan in loans:
        expected = expected_balances(loan, periods[loan["id"]], repayments[loan["id"]], as_of)
        differences += _compare(loan["code"], expected, {a: books.get((loan["id"], a), 0) for a in ACCOUNT_CODES})
    return differences


def _as_they_were(periods: dict[object, list[dict]], ids: list, as_of: date) -> None:
    """The periods as of the end of ``as_of``: what approved waivers had taken off them by then,
    and paid by the repayment a later reversal undid (the rows say unpaid, or paid by a later one)."""
    waived = defaultdict(lambda: dict.fromkeys(WAIVED, ZERO))
    lines = WaiverLine.objects.filter(
        waiver__application_id__in=ids, waiver__status=Decision.APPROVED, waiver__effective_date__lte=as_of
    ).values_list("period_id", "waiver__component", "amount")
    for period_id, component, amount in lines:
        waived[period_id][f"waived_{component}"] += amount
    undone_later = {
        (loan_id, number): repayment_id
        for loan_id, repayment_id, numbers in Reversal.objects.filter(
            repayment__application_id__in=ids, status=Decision.APPROVED, effective_date__gt=as_of
        ).values_list("repayment__application_id", "repayment_id", "period_numbers")
        for number in numbers
    }
    for loan_id, rows in periods.items():
        for period in rows:
            period.update(waived[period["id"]])
            period["repayment_id"] = undone_later.get((loan_id, period["number"]), period["repayment_id"])


def expected_balances(loan: dict, periods: list[dict], repayments: list[dict], as_of: date) -> dict[str, int]:
    """What each account must hold for this loan at the end of ``as_of``, in cents."""
    written_off_on = loan["written_off_on"] if loan["written_off_on"] and loan["written_off_on"] <= as_of else None
    before = [r for r in repayments if not r["is_recovery"]]
    recoveries = [r for r in repayments if r["is_recovery"]]
    carried_until = written_off_on or as_of
    carried = _carried(loan, periods, {r["id"] for r in before}, carried_until)
    paid = {part: sum((r[part] for r in before), ZERO) for part in ("principal", "interest", "fee", "penalty")}
    expected = dict.fromkeys(ACCOUNT_CODES, 0)
    expected[Account.BANK] = cents(sum((r["amount"] for r in repayments), ZERO) - loan["reply_amount"])
    expected[Account.INTEREST_INCOME] = -cents(paid["interest"] + carried["interest"])
    expected[Account.FEE_INCOME] = -cents(loan["service_fee"] + paid["fee"] + carried["fee"])
    expected[Account.PENALTY_INCOME] = -cents(paid["penalty"] + carried["penalty"])
    open_items = {
        Account.PRINCIPAL: cents(loan["apply_amount"] - paid["principal"]),
        Account.INTEREST_RECEIVABLE: cents(carried["interest"]),
        Account.FEES_RECEIVABLE: cents(carried["fee"]),
        Account.PENALTY_RECEIVABLE: cents(carried["penalty"]),
    }
    if written_off_on:
        expected[Account.WRITE_OFF_LOSS] = sum(open_items.values())
        expected[Account.RECOVERIES] = -cents(sum((r["amount"] for r in recoveries), ZERO))
    else:
        expected.update(open_items)
    return expected


def _carried(loan: dict, periods: list[dict], paid_by: set, day: date) -> dict[str, Decimal]:
    """Interest and fee of the periods unpaid at the end of ``day`` and due by then, less what was
    waived; their penalty as of ``day``, less what was waived."""
    unpaid = [p for p in periods if p["repayment_id"] not in paid_by]
    due = [p for p in unpaid if p["due_date"] <= day]
    return {
        "interest": sum((p["interest"] - p.get("waived_interest", ZERO) for p in due), ZERO),
        "fee": sum((p["fee"] - p.get("waived_fee", ZERO) for p in due), ZERO),
        "penalty": sum(
            (penalty_left(p["principal"], loan["penalty_rate"], p["due_date"], day, p.get("waived_penalty", ZERO)) for p in due),
            ZERO,
        ),
    }


def _compare(code: str, expected: dict[str, int], books: dict[str, int]) -> list[Difference]:
    return [
        Difference(code, account, money_text(books[account]), money_text(expected[account]))
        for account in ACCOUNT_CODES
        if books[account] != expected[account]
    ]


def _unexpected_loans(loan_ids: set, as_of: date) -> list[Difference]:
    """Loans the books carry that were not disbursed by ``as_of``: every balance should be zero."""
    if not loan_ids:
        return []
    codes = dict(LoanApplication.objects.filter(pk__in=loan_ids).values_list("pk", "code"))
    books = balances_as_of(as_of, loan_ids)
    zero = dict.fromkeys(ACCOUNT_CODES, 0)
    differences = []
    for loan_id in sorted(loan_ids, key=lambda pk: codes[pk]):
        differences += _compare(codes[loan_id], zero, {a: books.get((loan_id, a), 0) for a in ACCOUNT_CODES})
    return differences
