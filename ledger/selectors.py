"""Reads of the books. Balances come from the daily balance rows: one row per (loan, account)
answers "as of any date" without reading the lines."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import OuterRef, QuerySet, Subquery, Sum

from .accounts import ACCOUNT_CODES, Account
from .models import DailyBalance, JournalEntry, JournalLine, Reconciliation


def _latest_rows(as_of: date) -> QuerySet[DailyBalance]:
    """Each (loan, account)'s last balance row on or before ``as_of``."""
    latest = DailyBalance.objects.filter(
        loan_id=OuterRef("loan_id"), account=OuterRef("account"), date__lte=as_of
    ).order_by("-date").values("date")[:1]
    return DailyBalance.objects.filter(date__lte=as_of, date=Subquery(latest))


def balances_as_of(as_of: date, loan_ids: Iterable | None = None) -> dict[tuple, int]:
    """(loan id, account) → balance in cents at the end of ``as_of`` (accounts never moved are absent)."""
    rows = _latest_rows(as_of)
    if loan_ids is not None:
        rows = rows.filter(loan_id__in=list(loan_ids))
    return {(loan_id, account): balance for loan_id, account, balance in rows.values_list("loan_id", "account", "balance")}


def loan_balances(loan_id, as_of: date) -> dict[str, int]:
    """One loan's balances by account at the end of ``as_of``, every account listed."""
    found = {account: balance for (_, account), balance in balances_as_of(as_of, [loan_id]).items()}
    return {account: found.get(account, 0) for account in ACCOUNT_CODES}


def account_totals(as_of: date) -> dict[str, int]:
    """Every account's balance over all loans at the end of ``as_of``, zero included."""
    sums = dict(_latest_rows(as_of).order_by().values("account").annotate(total=Sum("balance")).values_list("account", "total"))
    return {account: sums.get(account) or 0 for account in ACCOUNT_CODES}


def loan_balances_by_code(as_of: date, loan_code: str | None = None) -> dict[str, dict[str, int]]:
    """Loan code → account → balance at the end of ``as_of`` for every loan on the books."""
    rows = _latest_rows(as_of)
    if loan_code is not None:
        rows = rows.filter(loan__code=loan_code)
    by_loan: dict[str, dict[str, int]] = {}
    for code, account, balance in rows.order_by("loan__code").values_list("loan__code", "account", "balance"):
        by_loan.setdefault(code, dict.fromkeys(ACCOUNT_CODES, 0))[account] = balance
    return by_loan


def unbalanced_entry_count(as_of: date | None = None) -> int:
    """Entries whose lines do not sum to zero (always 0 unless the database was written around the books)."""
    lines = JournalLine.objects.all()
    if as_of is not None:
        lines = lines.filter(entry__effective_date__lte=as_of)
    return lines.order_by().values("entry_id").annotate(total=Sum("amount")).exclude(total=0).count()


def line_sums(as_of: date) -> dict[tuple, int]:
    """(loan id, account) → sum of the lines up to ``as_of``: the slow way, for the checks."""
    rows = (
        JournalLine.objects.filter(entry__effective_date__lte=as_of)
        .order_by()
        .values("loan_id", "account")
        .annotate(total=Sum("amount"))
        .values_list("loan_id", "account", "total")
    )
    return {(loan_id, account): total for loan_id, account, total in rows if total}


def kept_balances_differing_from_lines(as_of: date) -> list[tuple]:
    """(loan id, account, kept, from lines) wherever the daily balances disagree with the lines."""
    kept = {key: value for key, value in balances_as_of(as_of).items() if value}
    summed = line_sums(as_of)
    return [(*key, kept.get(key, 0), summed.get(key, 0)) for key in sorted(set(kept) | set(summed), key=str) if kept.get(key, 0) != summed.get(key, 0)]


# --- Reports -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrialBalanceRow:
    account: str
    name: str
    opening: int
    debits: int
    credits: int
    closing: int


def trial_balance(start: date, end: date) -> list[TrialBalanceRow]:
    """Every account: balance before ``start``, debits and credits from ``start`` to ``end``, balance at ``end``."""
    opening = account_totals(start - timedelta(days=1))
    closing = account_totals(end)
    moved = {
        row["account"]: row
        for row in DailyBalance.objects.filter(date__gte=start, date__lte=end)
        .order_by()
        .values("account")
        .annotate(debits=Sum("debits"), credits=Sum("credits"))
    }
    return [
        TrialBalanceRow(
            account, Account(account).label, opening[account],
            moved.get(account, {}).get("debits") or 0, moved.get(account, {}).get("credits") or 0, closing[account],
        )
        for account in ACCOUNT_CODES
    ]


@dataclass(frozen=True)
class StatementLine:
    effective_date: date
    posted_at: object
    kind: str
    event_key: str
    account: str
    amount: int
    running: int  # this account's balance after the line

    @property
    def debit(self) -> int:
        return max(self.amount, 0)

    @property
    def credit(self) -> int:
        return max(-self.amount, 0)


def loan_statement(loan_id) -> Iterator[StatementLine]:
    """Every line of the loan in posting order, with the running balance of its account."""
    running: dict[str, int] = defaultdict(int)
    lines = (
        JournalLine.objects.filter(entry__loan_id=loan_id)
        .order_by("entry__effective_date", "entry__posted_at", "entry_id", "account")
        .values_list("entry__effective_date", "entry__posted_at", "entry__kind", "entry__event_key", "account", "amount")
    )
    for effective_date, posted_at, kind, key, account, amount in lines.iterator(chunk_size=2000):
        running[account] += amount
        yield StatementLine(effective_date, posted_at, kind, key, account, amount, running[account])


def journal_lines(entries: QuerySet[JournalEntry]) -> QuerySet[JournalLine]:
    """The lines of the given entries, for an export (in the entries' order)."""
    return (
        JournalLine.objects.filter(entry__in=entries.values("pk"))
        .select_related("entry", "entry__loan", "entry__actor_user")
        .order_by("entry__effective_date", "entry__posted_at", "entry_id", "account")
    )


def last_reconciliation() -> Reconciliation | None:
    return Reconciliation.objects.order_by("-ran_at", "-id").first()


def loans_on_books(as_of: date) -> set:
    """Ids of the loans with any balance row by ``as_of``."""
    return set(DailyBalance.objects.filter(date__lte=as_of).order_by().values_list("loan_id", flat=True).distinct())
