"""The daily overdue job: mark unpaid periods past their due date and set their penalty.

The penalty is recomputed from (due date, as-of date) -- never added to -- so running the job
twice, or again after a crash, changes nothing (CONTRACT §8). Each loan is handled in its own
transaction under the same locks as a repayment (``loans.locks``: the loan's row, then its
periods by number), so the batch never races a payment. Overdue notices are messaging's daily job.
"""

from datetime import date

from django.db import transaction

from .amortization import overdue_penalty
from .locks import lock_loan, lock_periods
from .models import ApplicationStatus, RepaymentPeriod


def mark_overdue(as_of: date) -> int:
    """Mark every unpaid period due before ``as_of``; returns how many periods are overdue."""
    loan_ids = (
        RepaymentPeriod.objects.filter(
            settlement=RepaymentPeriod.Settlement.UNPAID,
            due_date__lt=as_of,
            application__status=ApplicationStatus.DISBURSED,
        )
        .order_by("application_id")
        .values_list("application_id", flat=True)
        .distinct()
    )
    return sum(mark_loan_overdue(loan_id, as_of) for loan_id in list(loan_ids))


def mark_loan_overdue(application_id, as_of: date) -> int:
    """One loan, one transaction; a loan repaid meanwhile is skipped."""
    with transaction.atomic():
        loan = lock_loan(application_id)
        if loan is None or loan.status != ApplicationStatus.DISBURSED:
            return 0
        periods = lock_periods(loan)
        overdue = [p for p in periods if not p.is_paid and p.due_date < as_of]
        changed = [p for p in overdue if _apply_penalty(p, loan.penalty_rate, as_of)]
        RepaymentPeriod.objects.bulk_update(changed, ["is_overdue", "penalty"])
        return len(overdue)


def _apply_penalty(period: RepaymentPeriod, penalty_rate, as_of: date) -> bool:
    """Set the period's overdue flag and penalty as of ``as_of``; True when something changed."""
    penalty = overdue_penalty(period.principal, penalty_rate, period.due_date, as_of)
    if period.is_overdue and period.penalty == penalty:
        return False
    period.is_overdue, period.penalty = True, penalty
    return True
