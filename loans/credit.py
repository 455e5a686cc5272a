"""A customer's available credit (CONTRACT §4 ``20005005``; the user centre §27 shows it too).

Outstanding principal is what the customer still owes or has been promised over the
unfinished loans: a loan not yet disbursed (pending, in review, approved) counts for its
whole amount, a disbursed one for the principal of its unpaid periods (periods are always
paid in full).
"""

from decimal import Decimal

from django.db.models import Sum

from cashloan.models import ZERO

from .models import UNFINISHED_STATUSES, ApplicationStatus, LoanApplication, RepaymentPeriod

NOT_DISBURSED_STATUSES = tuple(status for status in UNFINISHED_STATUSES if status != ApplicationStatus.DISBURSED)


def outstanding_principal(user) -> Decimal:
    not_disbursed = LoanApplication.objects.filter(user=user, status__in=NOT_DISBURSED_STATUSES).aggregate(
        total=Sum("apply_amount")
    )["total"]
    disbursed_unpaid = RepaymentPeriod.objects.filter(
        application__user=user,
        application__status=ApplicationStatus.DISBURSED,
        settlement=RepaymentPeriod.Settlement.UNPAID,
    ).aggregate(total=Sum("principal"))["total"]
    return (not_disbursed or ZERO) + (disbursed_unpaid or ZERO)


def available_credit(user) -> Decimal | None:
    """``total_credit`` − outstanding principal (never below 0); None when the credit is unlimited."""
    if user.total_credit is None:
        return None
    return credit_left(user.total_credit, outstanding_principal(user))


def credit_left(total_credit: Decimal | None, outstanding: Decimal) -> Decimal | None:
    if total_credit is None:
        return None
    return max(total_credit - outstanding, ZERO)
