"""A customer's loans in sums, and the available credit (CONTRACT §4 ``20005005``, §12; the
user centre §27 shows both).

Outstanding principal is what the customer still owes or has been promised over the
unfinished loans: a loan not yet disbursed (pending, in review, approved) counts for its
whole amount, a disbursed one for the principal of its unpaid periods (periods are always
paid in full).

The limit (``User.total_credit``, empty = unlimited) is frozen while any period of the
customer is more than 30 days late: available credit 0, and no raise after a pay-off. A loan
paid off with no period paid after its due date raises the limit (``accounts.credit_limits``).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Min, Sum
from django.utils import timezone

from accounts.credit_limits import raise_after_clean_pay_off

from cashloan.models import ZERO
from cashloan.prepared import PreparedQuery

from .models import SERVICED_STATUSES, UNFINISHED_STATUSES, ApplicationStatus, LoanApplication, RepaymentPeriod

NOT_DISBURSED_STATUSES = tuple(status for status in UNFINISHED_STATUSES if status != ApplicationStatus.DISBURSED)


@dataclass(frozen=True)
class LoanTotals:
    lent: Decimal  # amounts of the loans disbursed or paid off
    not_disbursed: Decimal  # amounts promised: pending, in review, approved
    disbursed_penalty_rates: dict  # id → penalty rate of each disbursed, unfinished loan


_LOANS = PreparedQuery(
    lambda user_id: LoanApplication.objects.filter(user=user_id).order_by().values_list("id", "status", "apply_amount", "penalty_rate"),
    user_id=(int, LoanApplication._meta.get_field("user")),
)


def loan_totals(user) -> LoanTotals:
    """One query: the customer's applications are a handful of narrow rows, summed here."""
    lent, not_disbursed, penalty_rates = ZERO, ZERO, {}
    for loan_id, status, amount, penalty_rate in _LOANS.rows(user_id=user.pk):
        if status in SERVICED_STATUSES:
            lent += amount
        if status in NOT_DISBURSED_STATUSES:
            not_disbursed += amount
        if status == ApplicationStatus.DISBURSED:
            penalty_rates[loan_id] = penalty_rate
    return LoanTotals(lent, not_disbursed, penalty_rates)


FREEZE_AFTER_DAYS = 30


def is_frozen(earliest_unpaid_due: date | None, today: date) -> bool:
    """More than 30 days late on the customer's earliest unpaid period."""
    return earliest_unpaid_due is not None and (today - earliest_unpaid_due).days > FREEZE_AFTER_DAYS


def available_credit(user, today: date) -> Decimal | None:
    """``total_credit`` − outstanding principal (never below 0), 0 while frozen; None when the
    credit is unlimited. Two queries at most: the loans, and their unpaid periods if any is disbursed."""
    totals = loan_totals(user)
    outstanding, earliest_due = totals.not_disbursed, None
    if totals.disbursed_penalty_rates:
        unpaid = RepaymentPeriod.objects.filter(
            application_id__in=totals.disbursed_penalty_rates, settlement=RepaymentPeriod.Settlement.UNPAID
        ).aggregate(principal=Sum("principal"), earliest_due=Min("due_date"))
        outstanding += unpaid["principal"] or ZERO
        earliest_due = unpaid["earliest_due"]
    return credit_left(user.total_credit, outstanding, frozen=is_frozen(earliest_due, today))


def credit_left(total_credit: Decimal | None, outstanding: Decimal, *, frozen: bool = False) -> Decimal | None:
    if frozen:
        return ZERO
    if total_credit is None:
        return None
    return max(total_credit - outstanding, ZERO)


def raise_limit_after_pay_off(loan: LoanApplication, periods, today: date) -> None:
    """CONTRACT §12: a loan paid off with no period late raises the limit, unless frozen.

    ``periods`` are the loan's, all paid (the pay-off's locked rows). A period is late when it
    was paid after its due date (Asia/Shanghai).
    """
    if any(timezone.localdate(period.paid_at) > period.due_date for period in periods):
        return
    late_elsewhere = RepaymentPeriod.objects.filter(
        application__user_id=loan.user_id,
        settlement=RepaymentPeriod.Settlement.UNPAID,
        due_date__lt=today - timedelta(days=FREEZE_AFTER_DAYS),
    ).exists()
    if not late_elsewhere:
        raise_after_clean_pay_off(loan.user, loan_code=loan.code)
