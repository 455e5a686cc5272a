"""Row locks of a loan, taken in one order by every writer (as Saleor's ``lock_objects.py``).

The order: **the loan's row first, then its periods by number**. Staff decisions
(``loans.lifecycle``), repayments (``loans.repayments``), the overdue job (``loans.overdue``)
and the daily notices (``loans.notices``) all lock through here, so two of them working on the
same loan wait for each other instead of deadlocking, and each re-reads the state it checks
under the lock.

Call inside ``transaction.atomic()``. Only the loan's own row is locked (``of=("self",)``),
never the rows joined to load ``related`` (the borrower, the product). SQLite has no row
locks: there the transaction's database lock serialises writers.
"""

from .models import LoanApplication, RepaymentPeriod


def lock_loan(loan_id, *, related: tuple[str, ...] = (), **filters) -> LoanApplication | None:
    """The loan's row, locked (None when no loan has this id and ``filters``)."""
    loans = LoanApplication.objects.select_for_update(of=("self",))
    if related:
        loans = loans.select_related(*related)
    return loans.filter(pk=loan_id, **filters).first()


def lock_periods(loan: LoanApplication) -> list[RepaymentPeriod]:
    """The loan's periods, locked in number order; take the loan's lock first."""
    return list(loan.periods.select_for_update().order_by("number"))
