"""Posting a repayment (seed §36 ``gotoRepayment``, CONTRACT §8).

``current`` pays exactly the named period in full (penalty as of today, fee, interest,
principal), and is refused (``20006004``) while an earlier period is unpaid: money never goes
to a period the customer did not name. ``all`` pays the loan off: due and overdue periods in full with
penalty, the current period's interest pro rata to today, later periods principal only.

Exactly once: the whole posting is one transaction that locks the application row first and
then its periods (by number; ``loans.locks``, as every writer) and re-reads the state
under the lock, so a concurrent or repeated request finds the work done (``20006002``).

:func:`apply_repayment` is the one allocation and posting: the app's ``gotoRepayment``
(:func:`repay`) and finance's offline repayments (``loans.offline``) both call it.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cashloan.api.errors import ApiError
from cashloan.models import ZERO
from ledger.rules import Parts
from ledger.services import PostedBy, post_recovery, post_repayment

from . import codes
from .amortization import PeriodState, payoff_breakdown, penalty_left
from .credit import raise_limit_after_pay_off
from .lifecycle import local_today, record_status_change
from .locks import lock_loan, lock_periods
from .models import Actor, ApplicationStatus, LoanApplication, Repayment, RepaymentPeriod
from .notifications import LoanEvent, notify_loan_event
from .payments import PaymentProvider, get_payment_provider
from .signals import repayment_allocated

logger = logging.getLogger(__name__)

Settlement = RepaymentPeriod.Settlement


class PlanNotFound(ApiError):
    code = codes.REPAYMENT_PLAN_NOT_FOUND
    message = "还款计划不存在"


class NothingDue(ApiError):
    code = codes.NOTHING_DUE
    message = "该期已还清，无需还款"


class EarlierPeriodUnpaid(ApiError):
    code = codes.EARLIER_PERIOD_UNPAID

    def __init__(self, earliest_unpaid: int):
        super().__init__(f"请先还第{earliest_unpaid}期：按期还款须从最早未还的一期还起")


class PaymentFailed(ApiError):
    code = codes.PAYMENT_FAILED
    message = "扣款失败，请稍后再试"


@dataclass(frozen=True)
class PeriodPayment:
    """What one period receives in a posting."""

    period: RepaymentPeriod
    principal: Decimal
    interest: Decimal
    fee: Decimal
    penalty: Decimal
    settlement: int

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fee + self.penalty


def repay(user, period_id: str, kind: str, *, today: date | None = None) -> Repayment:
    """Post a ``current`` or ``all`` repayment for the loan of the caller's period ``period_id``."""
    if kind not in Repayment.Kind.values:
        raise ValueError(f"unknown repayment kind {kind!r}")
    today = today or local_today()
    application_id = _application_of_period(user, period_id)
    with transaction.atomic():
        loan = _lock_loan(user, application_id)
        return apply_repayment(loan, kind, period_id, Payer.customer(user, get_payment_provider()), today=today)


@dataclass(frozen=True)
class Payer:
    """Who pays and through what: the customer through the payment provider (the app), or money
    finance received outside the app (``loans.offline``), with the staff user who posts it."""

    provider: PaymentProvider
    posted_by: PostedBy
    staff: object = None  # the staff user named on a pay-off's status change

    @classmethod
    def customer(cls, user, provider: PaymentProvider) -> "Payer":
        return cls(provider, PostedBy.customer(user))

    @classmethod
    def staff_recording(cls, staff_user, provider: PaymentProvider) -> "Payer":
        return cls(provider, PostedBy.staff(staff_user), staff_user)


def apply_repayment(loan: LoanApplication, kind: str, period_id, payer: Payer, *, today: date, as_of: date | None = None) -> Repayment:
    """Everything a repayment does, from the app or recorded offline, on the loan locked by the
    caller (its status checked): allocate (``current``: the named period; ``all``: pay-off) with
    the app's refusals, collect, post to the books, settle the periods, pay the loan off when
    nothing is left, tell the customer. Whatever else a repayment must do belongs here, so both
    paths do it.

    ``as_of`` (default ``today``) is the day the money was received: the figures (penalty, a
    pay-off's interest) are computed to it; the books and the repayment are dated ``today``.
    """
    as_of = as_of or today
    if kind not in Repayment.Kind.values:
        raise ValueError(f"unknown repayment kind {kind!r}")
    periods = lock_periods(loan)
    payments = allocation(loan, periods, kind, period_id, as_of)
    repayment = _post(loan, kind, payments, payer, today, as_of)
    # Collections close the case of a loan left with no overdue period, in this transaction.
    repayment_allocated.send(sender=Repayment, loan=loan, repayment=repayment, today=today)
    if all(p.is_paid for p in periods):
        loan.paid_off_at = repayment.posted_at
        note = "客户还清全部借款" if payer.staff is None else "线下还款还清全部借款"
        record_status_change(loan, ApplicationStatus.PAID_OFF, payer.staff, note, ["paid_off_at"], actor=Actor.CUSTOMER)
        raise_limit_after_pay_off(loan, periods, today)
    notify_loan_event(loan, LoanEvent.REPAID, period=payments[0].period if kind == Repayment.Kind.CURRENT else None)
    return repayment


def allocation(loan: LoanApplication, periods: list, kind: str, period_id, as_of: date) -> list[PeriodPayment]:
    """What a repayment of ``kind`` would pay as of ``as_of``, or the app's refusal (a read: the
    offline form shows the amount before anything is posted)."""
    if kind == Repayment.Kind.CURRENT:
        return _current_payment(loan, periods, period_id, as_of)
    return _payoff_payments(loan, periods, as_of)


def _application_of_period(user, period_id: str):
    """The loan id of the caller's period; a stranger's id and an unknown id look the same."""
    try:
        key = uuid.UUID(str(period_id))
    except ValueError:
        raise PlanNotFound() from None
    application_id = (
        RepaymentPeriod.objects.filter(pk=key, application__user=user).values_list("application_id", flat=True).first()
    )
    if application_id is None:
        raise PlanNotFound()
    return application_id


def _lock_loan(user, application_id) -> LoanApplication:
    # Lock only the loan's row; the product and the caller (already loaded) come along for the
    # notification without two more lookups.
    loan = lock_loan(application_id, related=("product",), user=user)
    if loan is None:
        raise PlanNotFound()
    loan.user = user
    if loan.status == ApplicationStatus.PAID_OFF:
        raise NothingDue("该笔借款已还清，无需还款")
    if loan.status != ApplicationStatus.DISBURSED:
        raise PlanNotFound()
    return loan


def _current_payment(loan, periods: list, period_id, today: date) -> list[PeriodPayment]:
    try:
        key = uuid.UUID(str(period_id))
    except ValueError:
        raise PlanNotFound() from None
    named = next((p for p in periods if p.pk == key), None)
    if named is None:  # not a period of this loan
        raise PlanNotFound()
    if named.is_paid:
        raise NothingDue()
    earliest = next(p for p in periods if not p.is_paid)
    if earliest.number != named.number:
        raise EarlierPeriodUnpaid(earliest.number)
    penalty = penalty_left(named.principal, loan.penalty_rate, named.due_date, loan.penalty_date(today), named.waived_penalty)
    return [PeriodPayment(named, named.principal, named.interest_due, named.fee_due, penalty, Settlement.ON_SCHEDULE)]


def _payoff_payments(loan, periods: list, today: date) -> list[PeriodPayment]:
    unpaid = {p.number: p for p in periods if not p.is_paid}
    if not unpaid:
        raise NothingDue("该笔借款已还清，无需还款")
    # Waivers (loans.waivers) are only of periods already due: their lines are the due ones.
    states = [PeriodState(p.number, p.start_date, p.due_date, p.principal, p.interest_due, p.fee_due) for p in unpaid.values()]
    breakdown = payoff_breakdown(states, today, loan.penalty_rate, penalty_until=loan.penalty_date(today))
    payments = []
    for line in breakdown.lines:
        period = unpaid[line.number]
        # Settled before its due date, with interest waived in part or whole: "提前结清".
        settlement = Settlement.ON_SCHEDULE if period.due_date <= today else Settlement.EARLY
        penalty = max(ZERO, line.penalty - period.waived_penalty)
        payments.append(PeriodPayment(period, line.principal, line.interest, line.fee, penalty, settlement))
    return payments


def _post(loan: LoanApplication, kind: str, payments: list[PeriodPayment], payer: Payer, today: date, as_of: date) -> Repayment:
    """Collect the money, then write the repayment and settle the periods (nothing if refused)."""
    amount = sum((p.total for p in payments), ZERO)
    repayment_id = uuid.uuid4()
    provider = payer.provider
    try:
        result = provider.collect(loan, amount, str(repayment_id))
    except Exception:  # a provider bug must not leave a half-posted repayment
        logger.exception("payment provider %s failed for loan %s", provider.name, loan.code)
        raise PaymentFailed() from None
    if not result.ok:
        logger.warning("payment refused for loan %s: %s", loan.code, result.error)
        raise PaymentFailed(f"扣款失败：{result.error}" if result.error else None)
    repayment = Repayment.objects.create(
        id=repayment_id,
        application=loan,
        kind=kind,
        amount=amount,
        principal=sum((p.principal for p in payments), ZERO),
        interest=sum((p.interest for p in payments), ZERO),
        fee=sum((p.fee for p in payments), ZERO),
        penalty=sum((p.penalty for p in payments), ZERO),
        provider=provider.name,
        provider_reference=result.reference,
        effective_date=today,
        is_recovery=loan.is_written_off,
    )
    _post_to_books(loan, repayment, payments, payer.posted_by)
    _settle(payments, repayment, today, as_of)
    return repayment


def _post_to_books(loan: LoanApplication, repayment: Repayment, payments: list[PeriodPayment], actor: PostedBy) -> None:
    """Before the periods are settled: what they carried on the books is still on them."""
    if repayment.is_recovery:
        post_recovery(loan.pk, repayment.pk, amount=repayment.amount, on=repayment.effective_date, actor=actor)
        return
    paid = Parts.of(repayment.principal, repayment.interest, repayment.fee, repayment.penalty)
    post_repayment(loan.pk, repayment.pk, paid=paid, carried=carried_receivables(payments), on=repayment.effective_date, actor=actor)


def carried_receivables(payments: list[PeriodPayment]) -> Parts:
    """What the books carry for the periods being paid: the interest and fee of those recognised
    (on their due date), and the penalty the daily job last set."""
    recognised = [p.period for p in payments if p.period.recognised_on is not None]
    return Parts.of(
        interest=sum((p.interest_due for p in recognised), ZERO),
        fee=sum((p.fee_due for p in recognised), ZERO),
        penalty=sum((p.period.penalty for p in payments), ZERO),
    )


def _settle(payments: list[PeriodPayment], repayment: Repayment, today: date, as_of: date) -> None:
    """``as_of`` before ``today`` (money received offline earlier): paid that day, at noon."""
    now = timezone.now() if as_of == today else timezone.make_aware(datetime.combine(as_of, time(12)))
    for payment in payments:
        period = payment.period
        period.settlement = payment.settlement
        period.paid_principal = payment.principal
        period.paid_interest = payment.interest
        period.paid_fee = payment.fee
        period.paid_penalty = payment.penalty
        period.penalty = payment.penalty
        period.is_overdue = period.is_overdue or period.due_date < as_of
        period.paid_at = now
        period.repayment = repayment
    RepaymentPeriod.objects.bulk_update(
        [p.period for p in payments],
        ["settlement", "paid_principal", "paid_interest", "paid_fee", "paid_penalty", "penalty", "is_overdue", "paid_at", "repayment"],
    )
