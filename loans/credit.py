"""A customer's loans in sums, and the available credit (CONTRACT §4 ``20005005``; the user
centre §27 shows both).

Outstanding principal is what the customer still owes or has been promised over the
unfinished loans: a loan not yet disbursed (pending, in review, approved) counts for its
whole amount, a disbursed one for the principal of its unpaid periods (periods are always
paid in full).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from cashloan.models import ZERO

from .models import SERVICED_STATUSES, UNFINISHED_STATUSES, ApplicationStatus, LoanApplication, RepaymentPeriod

NOT_DISBURSED_STATUSES = tuple(status for status in UNFINISHED_STATUSES if status != ApplicationStatus.DISBURSED)


@dataclass(frozen=True)
class LoanTotals:
    lent: Decimal  # amounts of the loans disbursed or paid off
    not_disbursed: Decimal  # amounts promised: pending, in review, approved
    disbursed_penalty_rates: dict  # id → penalty rate of each disbursed, unfinished loan


def loan_totals(user) -> LoanTotals:
    """One query: the customer's applications are a handful of narrow rows, summed here."""
    lent, not_disbursed, penalty_rates = ZERO, ZERO, {}
    rows = LoanApplication.objects.filter(user=user).order_by().values_list("id", "status", "apply_amount", "penalty_rate")
    for loan_id, status, amount, penalty_rate in rows:
        if status in SERVICED_STATUSES:
            lent += amount
        if status in NOT_DISBURSED_STATUSES:
            not_disbursed += amount
        if status == ApplicationStatus.DISBURSED:
            penalty_rates[loan_id] = penalty_rate
    return LoanTotals(lent, not_disbursed, penalty_rates)


def outstanding_principal(user) -> Decimal:
    totals = loan_totals(user)
    if not totals.disbursed_penalty_rates:
        return totals.not_disbursed
    unpaid = RepaymentPeriod.objects.filter(
        application_id__in=totals.disbursed_penalty_rates, settlement=RepaymentPeriod.Settlement.UNPAID
    ).aggregate(total=Sum("principal"))["total"]
    return totals.not_disbursed + (unpaid or ZERO)


def available_credit(user) -> Decimal | None:
    """``total_credit`` − outstanding principal (never below 0); None when the credit is unlimited."""
    if user.total_credit is None:
        return None
    return credit_left(user.total_credit, outstanding_principal(user))


def credit_left(total_credit: Decimal | None, outstanding: Decimal) -> Decimal | None:
    if total_credit is None:
        return None
    return max(total_credit - outstanding, ZERO)
