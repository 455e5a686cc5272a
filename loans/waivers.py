"""Waivers (减免, CONTRACT §15): finance proposes giving up part or all of a loan's penalty,
interest or fees, with a reason; 风控 or a superuser approves (never the proposer).

Only what is already due can be waived: the interest and fees of periods whose due date has
come (recognised on the books) and the penalty as of the approval day. Approving, in one
transaction under the loan's locks: the loan is brought up to date (recognition, penalty, as
the daily job would), the amount is taken off the unpaid due periods earliest first
(``waived_*`` on each period, one :class:`~loans.finance_models.WaiverLine` each), and the books
post the waiver (Dr the income, Cr the receivable), and collections refresh the loan's case
(``loan_brought_up_to_date``). The app then asks for that much less: the
selectors, the repayment path and the overdue job all subtract the waived amounts, and a
waived penalty stays waived as the penalty keeps growing from the due date.

``WAIVER_MAX_AMOUNT`` (unset: no limit) is the most one waiver may waive. The proposal is
logged here; an approval or a rejection by the admin action that makes it.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from cashloan.models import ZERO
from cashloan.oplog import log_change
from ledger.services import PostedBy, post_waiver

from . import four_eyes
from .finance_models import Decision, Waiver, WaiverLine
from .lifecycle import local_today
from .locks import lock_loan, lock_periods
from .models import ApplicationStatus, LoanApplication, RepaymentPeriod
from .overdue import bring_up_to_date
from .signals import loan_brought_up_to_date

Component = Waiver.Component
WAIVED_FIELD = {Component.PENALTY: "waived_penalty", Component.INTEREST: "waived_interest", Component.FEE: "waived_fee"}


@dataclass(frozen=True)
class Waivable:
    penalty: Decimal
    interest: Decimal
    fee: Decimal

    def of(self, component: str) -> Decimal:
        return getattr(self, component)


def _left(period: RepaymentPeriod, component: str) -> Decimal:
    """What the period still carries of ``component`` (its stored penalty is already net)."""
    if component == Component.PENALTY:
        return period.penalty
    if component == Component.INTEREST:
        return period.interest_due
    return period.fee_due


def _due_periods(periods: list[RepaymentPeriod], today: date) -> list[RepaymentPeriod]:
    return [p for p in periods if not p.is_paid and p.due_date <= today]


def waivable(loan: LoanApplication, today: date | None = None) -> Waivable:
    """What could be waived today (a read: the penalty computed as the job would set it)."""
    from .amortization import penalty_left

    today = today or local_today()
    due = _due_periods(list(loan.periods.order_by("number")), today)
    return Waivable(
        penalty=sum((penalty_left(p.principal, loan.penalty_rate, p.due_date, loan.penalty_date(today), p.waived_penalty) for p in due), ZERO),
        interest=sum((p.interest_due for p in due), ZERO),
        fee=sum((p.fee_due for p in due), ZERO),
    )


def propose_waiver(loan: LoanApplication, *, component: str, amount: Decimal, reason: str, by, today: date | None = None) -> Waiver:
    today = today or local_today()
    reason = (reason or "").strip()
    if component not in Component.values:
        raise ValidationError("减免项目须为罚息、利息或费用")
    if not reason:
        raise ValidationError("请填写减免原因")
    _check_amount(loan, component, amount, waivable(loan, today).of(component))
    with transaction.atomic():
        waiver = Waiver.objects.create(application=loan, component=component, amount=amount, reason=reason[:200], proposed_by=by)
        changes = {"借款": (None, loan.code), "减免项目": (None, waiver.get_component_display()), "减免金额": (None, f"{amount:.2f}")}
        log_change(by, waiver, changes=changes, reason=reason, verb="申请减免", added=True)
    return waiver


def _check_amount(loan: LoanApplication, component: str, amount: Decimal, available: Decimal) -> None:
    if loan.status != ApplicationStatus.DISBURSED or loan.is_written_off:
        raise ValidationError("只有已放款未结清、未核销的借款可以减免")
    if amount is None or amount <= 0:
        raise ValidationError("减免金额须大于 0")
    limit = settings.WAIVER_MAX_AMOUNT
    if limit is not None and amount > limit:
        raise ValidationError(f"单笔减免不能超过 {limit:.2f} 元")
    if amount > available:
        raise ValidationError(f"可减免的{Component(component).label}为 {available:.2f} 元，减免金额超出")


def approve_waiver(waiver: Waiver, *, by, today: date | None = None) -> Waiver:
    today = today or local_today()
    with transaction.atomic():
        loan = lock_loan(waiver.application_id)
        periods = lock_periods(loan)
        waiver = Waiver.objects.select_for_update().get(pk=waiver.pk)
        four_eyes.require_pending(waiver)
        four_eyes.require_second_person(waiver, by)
        actor = PostedBy.staff(by)
        bring_up_to_date(loan, periods, today, actor)
        due = _due_periods(periods, today)
        _check_amount(loan, waiver.component, waiver.amount, sum((_left(p, waiver.component) for p in due), ZERO))
        _take_off(waiver, due)
        loan_brought_up_to_date.send(sender=Waiver, loan=loan, periods=periods, as_of=today)  # the case owes less today
        post_waiver(loan.pk, waiver.pk, component=waiver.component, amount=waiver.amount, on=today, actor=actor, reason=waiver.reason)
        four_eyes.decide(waiver, by, Decision.APPROVED)
        waiver.effective_date = today
        waiver.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "effective_date"])
    return waiver


def _take_off(waiver: Waiver, due: list[RepaymentPeriod]) -> None:
    """The amount off the due periods, earliest first."""
    field = WAIVED_FIELD[waiver.component]
    left, lines = waiver.amount, []
    for period in due:
        share = min(left, _left(period, waiver.component))
        if share <= 0:
            continue
        setattr(period, field, getattr(period, field) + share)
        if waiver.component == Component.PENALTY:
            period.penalty -= share
        lines.append(WaiverLine(waiver=waiver, period=period, amount=share))
        left -= share
        if left == 0:
            break
    RepaymentPeriod.objects.bulk_update([line.period for line in lines], [field, "penalty"])
    WaiverLine.objects.bulk_create(lines)


def reject_waiver(waiver: Waiver, *, by, reason: str) -> Waiver:
    with transaction.atomic():
        return four_eyes.reject(waiver, by, reason)
