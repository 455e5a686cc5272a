"""The posting rules: which accounts each money event moves, as pure functions over cents.

Every function returns ``Lines`` -- account code → signed cents, debit positive, credit
negative -- that sum to zero. Nothing here touches the database: :mod:`ledger.services` posts
what these return, and the data migration that posts the loans written before the books uses
them too, so the rules are written once.

Recognition (docs/DECISIONS.md): the service fee at disbursement; a period's interest and
fee on its due date (the daily job), or at repayment for what is paid before the job
recognised it; the penalty as the daily job recomputes it (the books post the difference).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .accounts import RECEIVABLE_ACCOUNTS, Account

Lines = dict[str, int]


class UnbalancedEntry(ValueError):
    """Debits and credits differ: a bug in a rule or a caller, never posted."""


def cents(amount: Decimal | int) -> int:
    """``Decimal("12.34")`` → ``1234``; an amount with fractions of a cent is refused."""
    value = Decimal(amount) * 100
    if value != value.to_integral_value():
        raise ValueError(f"{amount} is not a whole number of cents")
    return int(value)


def yuan(amount_cents: int) -> Decimal:
    """``1234`` → ``Decimal("12.34")``."""
    return (Decimal(amount_cents) / 100).quantize(Decimal("0.01"))


def money_text(amount_cents: int) -> str:
    """``-495000`` → ``"-4950.00"`` (CONTRACT §14 balances)."""
    return f"{yuan(amount_cents):.2f}"


def combine(*pairs: tuple[str, int]) -> Lines:
    """Add the pairs up by account and drop the zeros; refuse an unbalanced result."""
    lines: Lines = {}
    for account, amount in pairs:
        lines[account] = lines.get(account, 0) + amount
    lines = {account: amount for account, amount in lines.items() if amount}
    if sum(lines.values()) != 0:
        raise UnbalancedEntry(f"debits and credits differ by {sum(lines.values())} cents: {lines}")
    return lines


def negated(lines: Mapping[str, int]) -> Lines:
    return combine(*((account, -amount) for account, amount in lines.items()))


@dataclass(frozen=True)
class Parts:
    """Money by component, in cents."""

    principal: int = 0
    interest: int = 0
    fee: int = 0
    penalty: int = 0

    @classmethod
    def of(cls, principal=0, interest=0, fee=0, penalty=0) -> "Parts":
        """From Decimal yuan."""
        return cls(cents(principal), cents(interest), cents(fee), cents(penalty))

    @property
    def total(self) -> int:
        return self.principal + self.interest + self.fee + self.penalty


def disbursement(principal: int, service_fee: int, paid_out: int) -> Lines:
    """Dr 1303 the amount lent; Cr 1002 what left the bank; Cr 6021 the service fee kept."""
    return combine(
        (Account.PRINCIPAL, principal), (Account.BANK, -paid_out), (Account.FEE_INCOME, -service_fee)
    )


def recognition(interest: int, fee: int) -> Lines:
    """A period falls due: its interest and fee become receivable and income."""
    return combine(
        (Account.INTEREST_RECEIVABLE, interest),
        (Account.INTEREST_INCOME, -interest),
        (Account.FEES_RECEIVABLE, fee),
        (Account.FEE_INCOME, -fee),
    )


def penalty_change(before: int, after: int) -> Lines:
    """The daily job recomputed the loan's penalty from ``before`` to ``after`` (either way)."""
    delta = after - before
    return combine((Account.PENALTY_RECEIVABLE, delta), (Account.PENALTY_INCOME, -delta))


def repayment(paid: Parts, carried: Parts) -> Lines:
    """Money received: the receivables the paid periods carried are settled; what was paid
    beyond them (not recognised yet: a pay-off's pro-rata interest, a period paid before its
    due date, a penalty grown since the last job) is income now, and what was recognised but
    not paid (the interest a pay-off waives) goes back out of income."""
    return combine(
        (Account.BANK, paid.total),
        (Account.PRINCIPAL, -paid.principal),
        (Account.INTEREST_RECEIVABLE, -carried.interest),
        (Account.INTEREST_INCOME, carried.interest - paid.interest),
        (Account.FEES_RECEIVABLE, -carried.fee),
        (Account.FEE_INCOME, carried.fee - paid.fee),
        (Account.PENALTY_RECEIVABLE, -carried.penalty),
        (Account.PENALTY_INCOME, carried.penalty - paid.penalty),
    )


# What a waiver of each component takes off: (the receivable, the income it was recognised in).
WAIVABLE = {
    "interest": (Account.INTEREST_RECEIVABLE, Account.INTEREST_INCOME),
    "fee": (Account.FEES_RECEIVABLE, Account.FEE_INCOME),
    "penalty": (Account.PENALTY_RECEIVABLE, Account.PENALTY_INCOME),
}


def waiver(component: str, amount: int) -> Lines:
    """Part of a recognised receivable given up: income back out (Dr), the receivable cleared (Cr)."""
    receivable, income = WAIVABLE[component]
    return combine((income, amount), (receivable, -amount))


def write_off(balances: Mapping[str, int]) -> Lines:
    """Move what the loan still carries on 1303, 1132, 1133, 1134 to 6701."""
    carried = [(account, balances.get(account, 0)) for account in RECEIVABLE_ACCOUNTS]
    return combine(
        *((account, -amount) for account, amount in carried),
        (Account.WRITE_OFF_LOSS, sum(amount for _, amount in carried)),
    )


def recovery(amount: int) -> Lines:
    """Money received on a written-off loan: 1002 against 6301."""
    return combine((Account.BANK, amount), (Account.RECOVERIES, -amount))


# --- Daily balances -----------------------------------------------------------------------------


@dataclass
class DayTotals:
    """One account of one loan on one day: the day's debits and credits and the closing balance."""

    debits: int = 0
    credits: int = 0
    balance: int = 0


def daily_balances(movements: Iterable[tuple[object, str, date, int]]) -> dict[tuple[object, str, date], DayTotals]:
    """(loan, account, day, signed cents) movements → the closing balance of every active day.

    What :mod:`ledger.services` keeps up to date posting by posting, computed in one go (the
    data migration uses it; a test proves the two agree with the lines).
    """
    days: dict[tuple[object, str, date], DayTotals] = {}
    for loan, account, day, amount in movements:
        totals = days.setdefault((loan, account, day), DayTotals())
        if amount > 0:
            totals.debits += amount
        else:
            totals.credits -= amount
    running: dict[tuple[object, str], int] = {}
    for (loan, account, day), totals in sorted(days.items(), key=lambda item: (str(item[0][0]), item[0][1], item[0][2])):
        running[loan, account] = running.get((loan, account), 0) + totals.debits - totals.credits
        totals.balance = running[loan, account]
    return days
