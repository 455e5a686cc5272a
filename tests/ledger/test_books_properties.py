"""Random loan histories keep the books right (CONTRACT §14), checked after every step.

Random products and terms; disbursements, daily jobs after random numbers of days (overdue
days and penalty recomputes), reruns of the job, `current` and `all` repayments each retried,
write-offs, and repayments after a write-off (recoveries). After each step: every entry is
balanced; the kept daily balances equal the sum of the lines on every posting date; the §14
invariants hold, worked out here from the loans' own rows; and ``reconcile`` finds nothing.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from ledger.accounts import RECEIVABLE_ACCOUNTS, Account, EntryKind
from ledger.models import JournalEntry
from ledger.rules import cents
from ledger.selectors import account_totals, kept_balances_differing_from_lines, unbalanced_entry_count
from loans.models import ApplicationStatus, LoanApplication
from loans.overdue import mark_overdue
from loans.reconciliation import reconcile
from loans.repayments import NothingDue, repay
from loans.writeoff import WriteOffRefused, write_off
from tests.ledger.conftest import BOOKS, lines_of, rolled_back
from tests.loans.helpers import disbursed_loan, staff_user

pytestmark = pytest.mark.django_db

START = date(2025, 1, 10)
MIN_DPD = 30

# (term, term unit, interval, interval unit, repayment type): every shape of schedule.
SHAPES = [
    (7, 1, 7, 1, 1),
    (14, 1, 14, 1, 1),
    (28, 1, 7, 1, 2),
    (28, 1, 14, 1, 4),
    (30, 1, 10, 1, 4),
    (2, 2, 2, 2, 1),
    (3, 2, 1, 2, 2),
    (3, 2, 1, 2, 3),
    (6, 2, 1, 2, 3),
    (4, 2, 1, 2, 4),
    (6, 2, 3, 2, 4),
]


def money(low: int, high: int):
    """Decimal yuan between ``low`` and ``high`` cents."""
    return st.integers(low, high).map(lambda c: Decimal(c) / 100)


@st.composite
def loan_terms(draw) -> dict:
    term, unit, interval, interval_unit, repay_type = draw(st.sampled_from(SHAPES))
    amount = draw(money(10_000, 5_000_000))
    fee_rate = draw(st.sampled_from([Decimal("0"), Decimal("0.01"), Decimal("0.0333"), Decimal("0.05")]))
    service_fee = (amount * fee_rate).quantize(Decimal("0.01"))
    return dict(
        apply_amount=amount,
        service_fee=service_fee,
        reply_amount=amount - service_fee,
        interest_rate=draw(st.integers(0, 3600).map(lambda r: Decimal(r) / 10_000)),
        penalty_rate=draw(st.integers(0, 9000).map(lambda r: Decimal(r) / 10_000)),
        period_fee=draw(money(0, 2000)),
        term_count=term, term_unit=unit, repay_term_count=interval, repay_term_unit=interval_unit, repay_type=repay_type,
    )


loan_index = st.integers(0, 3)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("advance"), st.integers(1, 75)),
        st.tuples(st.just("advance_before_the_job"), st.integers(1, 40)),
        st.tuples(st.just("disburse"), loan_terms()),
        st.tuples(st.just("current"), loan_index),
        st.tuples(st.just("all"), loan_index),
        st.tuples(st.just("write_off"), loan_index),
        st.just(("rerun",)),
    ),
    max_size=14,
)


class History:
    """The loans of one example and the business day they are at."""

    def __init__(self, terms: dict):
        self.day = START
        self.job_ran = True  # the books are complete for ``day`` only once its job has run
        self.staff = staff_user()
        self.loans: list[LoanApplication] = []
        self.disburse(terms)

    def run(self, step) -> None:
        action, *args = step
        getattr(self, action)(*args)

    def disburse(self, terms: dict) -> None:
        self.loans.append(disbursed_loan(self.day, by=self.staff, **terms))
        self.job()

    def advance(self, days: int) -> None:
        self.day += timedelta(days=days)
        self.job()

    def advance_before_the_job(self, days: int) -> None:
        """A new day whose job has not run yet (repayments at 00:05, or a failed job)."""
        self.day += timedelta(days=days)
        self.job_ran = False

    def rerun(self) -> None:
        if self.job_ran:
            with unchanged_books():
                mark_overdue(self.day)
        else:
            self.job()

    def job(self) -> None:
        mark_overdue(self.day)
        self.job_ran = True

    def current(self, index: int) -> None:
        self._repay(index, "current")

    def all(self, index: int) -> None:
        self._repay(index, "all")

    def write_off(self, index: int) -> None:
        loan = self._loan(index)
        written_off = loan.is_written_off
        try:
            write_off(loan, self.staff, "随机核销", today=self.day)
        except WriteOffRefused:
            assert loan.journal_entries.filter(kind=EntryKind.WRITE_OFF).exists() == written_off

    def _repay(self, index: int, kind: str) -> None:
        loan = self._loan(index)
        if loan.status != ApplicationStatus.DISBURSED:
            return
        period = loan.periods.filter(settlement=0).order_by("number").first()
        repay(loan.user, str(period.pk), kind, today=self.day)
        with unchanged_books(), pytest.raises(NothingDue):  # the app's retry of the same request
            repay(loan.user, str(period.pk), kind, today=self.day)

    def _loan(self, index: int) -> LoanApplication:
        loan = self.loans[index % len(self.loans)]
        loan.refresh_from_db()
        return loan


class unchanged_books:
    def __enter__(self):
        self.count = JournalEntry.objects.count()

    def __exit__(self, *exc):
        assert JournalEntry.objects.count() == self.count, "a retry or a rerun posted again"


# Like the seed's §26 sample (500 for 14 days at 36 %, penalty 54 %) and like 分期贷 (3000 over
# 3 months at 12 %, flat, 1 % service fee, 5.00 a period): histories that must always be tried.
DAYS = dict(apply_amount=Decimal("500.00"), service_fee=Decimal("0"), reply_amount=Decimal("500.00"),
            interest_rate=Decimal("0.36"), penalty_rate=Decimal("0.54"), period_fee=Decimal("0"),
            term_count=14, term_unit=1, repay_term_count=14, repay_term_unit=1, repay_type=1)
MONTHS = dict(apply_amount=Decimal("3000.00"), service_fee=Decimal("30.00"), reply_amount=Decimal("2970.00"),
              interest_rate=Decimal("0.12"), penalty_rate=Decimal("0.54"), period_fee=Decimal("5.00"),
              term_count=3, term_unit=2, repay_term_count=1, repay_term_unit=2, repay_type=4)


@BOOKS
@given(first=loan_terms(), history=steps)
# paid late, before the day's job has recomputed the penalty
@example(first=DAYS, history=[("advance", 20), ("advance_before_the_job", 3), ("current", 0), ("advance", 1)])
@example(first=MONTHS, history=[("advance", 40), ("advance_before_the_job", 2), ("all", 0), ("advance", 1)])
# paid early: a period before its due date, then a pay-off with pro-rata interest
@example(first=MONTHS, history=[("advance", 10), ("current", 0), ("advance", 25), ("all", 0)])
# written off, then recovered in two payments; the job leaves it alone meanwhile
@example(first=DAYS, history=[("advance", 60), ("advance_before_the_job", 5), ("write_off", 0), ("advance", 1)])
@example(first=MONTHS, history=[("advance", 65), ("write_off", 0), ("advance", 30), ("current", 0), ("advance", 3), ("all", 0)])
# a write-off refused (too early), a second loan, a rerun
@example(first=DAYS, history=[("advance", 20), ("write_off", 0), ("disburse", MONTHS), ("rerun",), ("all", 1), ("all", 0)])
def test_random_histories_keep_every_invariant(quiet, settings, first, history):
    settings.WRITE_OFF_MIN_DPD = MIN_DPD
    with rolled_back():
        books = History(first)
        check(books)
        for step in history:
            books.run(step)
            check(books)


def check(books: History) -> None:
    assert unbalanced_entry_count() == 0
    for day in set(JournalEntry.objects.values_list("effective_date", flat=True)) | {books.day}:
        assert kept_balances_differing_from_lines(day) == []
    bank = 0
    for loan in books.loans:
        loan.refresh_from_db()
        bank += check_loan(loan)
    assert account_totals(books.day)[Account.BANK] == bank
    if books.job_ran:
        assert [str(d) for d in reconcile(books.day, record=False).differences] == []


def check_loan(loan: LoanApplication) -> int:
    """§14's invariants for one loan, from its own rows; returns its 1002 balance."""
    lines = lines_of(loan)
    repayments = list(loan.repayments.all())
    received = sum((r.amount for r in repayments), Decimal(0))
    assert sum(lines.values()) == 0
    assert lines[Account.BANK] == cents(received - loan.reply_amount)
    if not loan.is_written_off:
        repaid_principal = sum((r.principal for r in repayments), Decimal(0))
        assert lines[Account.PRINCIPAL] == cents(loan.apply_amount - repaid_principal)
        assert lines[Account.RECOVERIES] == lines[Account.WRITE_OFF_LOSS] == 0
        if loan.status == ApplicationStatus.PAID_OFF:
            assert [lines[a] for a in RECEIVABLE_ACCOUNTS] == [0, 0, 0, 0]
            paid = sum((r.interest + r.fee + r.penalty for r in repayments), Decimal(0))
            income = lines[Account.INTEREST_INCOME] + lines[Account.FEE_INCOME] + lines[Account.PENALTY_INCOME]
            assert income == -cents(loan.service_fee + paid)
    else:
        assert [lines[a] for a in RECEIVABLE_ACCOUNTS] == [0, 0, 0, 0]
        write_off_entry = loan.journal_entries.get(kind=EntryKind.WRITE_OFF)
        moved = {line.account: line.amount for line in write_off_entry.lines.all()}
        assert lines[Account.WRITE_OFF_LOSS] == moved[Account.WRITE_OFF_LOSS] == -sum(moved[a] for a in moved if a != Account.WRITE_OFF_LOSS)
        recovered = sum((r.amount for r in repayments if r.is_recovery), Decimal(0))
        assert lines[Account.RECOVERIES] == -cents(recovered)
        later = loan.journal_entries.filter(posted_at__gt=write_off_entry.posted_at)
        for entry in later:
            assert entry.kind == EntryKind.RECOVERY
            assert sorted(entry.lines.values_list("account", flat=True)) == [Account.BANK, Account.RECOVERIES]
    return lines[Account.BANK]
