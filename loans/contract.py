"""The loan contract page (``/open/loanContract/<id>``, linked from §26 and §28): the loan's
terms, its parties and its schedule (the stored one once disbursed, a preview before).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from cashloan.models import ZERO
from messaging.masking import mask_mobile
from products.terms import RepayType

from .amortization import ScheduleRuleError, annualized_cost, build_schedule
from .models import LoanApplication
from .permissions import VIEW_PERMISSION

CONTRACT_NAME = "借款合同"


def contract_path(application_id) -> str:
    return f"/open/loanContract/{application_id}"


@dataclass(frozen=True)
class ScheduleRow:
    number: int
    start_date: object
    due_date: object
    principal: Decimal
    interest: Decimal
    fee: Decimal
    total: Decimal


def loan_for_viewer(user, loan_id) -> LoanApplication:
    """The loan if ``user`` is its borrower or staff who may view loans; Http404 otherwise
    (existence unconfirmed). Staff without a loan permission (an operator) are strangers here."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    loans = LoanApplication.objects.select_related("user", "product")
    if not (user.is_staff and user.has_perm(VIEW_PERMISSION)):
        loans = loans.filter(user=user)
    loan = loans.filter(pk=loan_id).first()
    if loan is None:
        raise Http404
    return loan


def loan_contract(loan: LoanApplication) -> dict:
    """Everything the contract page shows, computed once."""
    schedule, is_preview = contract_schedule(loan)
    cost_rate = _annualized_cost_rate(loan, schedule)
    return {
        "loan": loan,
        "lender_name": settings.LENDER_NAME,
        "borrower_name": loan.user.real_name or "—",
        "borrower_mobile": mask_mobile(loan.user.mobile or ""),
        "repay_type": loan.get_repay_type_display(),
        "term": f"{loan.term_count}{loan.get_term_unit_display()}",
        # one payment at maturity (type 1) has no interval to speak of
        "interval": "" if loan.repay_type == RepayType.BULLET else f"每{loan.repay_term_count}{loan.get_repay_term_unit_display()}",
        "interest_rate_pct": percent_text(loan.interest_rate),
        "penalty_rate_pct": percent_text(loan.penalty_rate),
        "annualized_cost_rate_pct": percent_text(cost_rate),
        "schedule": schedule,
        "is_preview": is_preview,
        "totals": _totals(schedule),
    }


def contract_schedule(loan) -> tuple[list[ScheduleRow], bool]:
    """The stored schedule of a disbursed loan, or a preview from its terms (dated today)."""
    stored = list(loan.periods.order_by("number"))
    if stored:
        return [
            ScheduleRow(p.number, p.start_date, p.due_date, p.principal, p.interest, p.fee, p.principal + p.interest + p.fee)
            for p in stored
        ], False
    return _preview_schedule(loan), True


def _preview_schedule(loan) -> list[ScheduleRow]:
    try:
        periods = build_schedule(loan.amortization_terms(), timezone.localdate())
    except (ScheduleRuleError, ValueError):
        return []
    return [ScheduleRow(p.number, p.start_date, p.due_date, p.principal, p.interest, p.fee, p.total) for p in periods]


def _annualized_cost_rate(loan, schedule: list[ScheduleRow]) -> Decimal | None:
    if loan.annualized_cost_rate is not None:
        return loan.annualized_cost_rate
    if not schedule or not loan.reply_amount or loan.reply_amount <= 0:
        return None
    try:
        return annualized_cost(loan.reply_amount, loan.amortization_terms())
    except (ValueError, ArithmeticError):
        return None


def _totals(schedule: list[ScheduleRow]) -> dict:
    return {
        "principal": sum((row.principal for row in schedule), ZERO),
        "interest": sum((row.interest for row in schedule), ZERO),
        "fee": sum((row.fee for row in schedule), ZERO),
        "total": sum((row.total for row in schedule), ZERO),
    }


def percent_text(rate: Decimal | None) -> str:
    """``Decimal("0.3600")`` → ``"36.00"`` (empty for an unknown rate)."""
    if rate is None:
        return ""
    return f"{(Decimal(rate) * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}"
