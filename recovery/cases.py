"""A loan's collection case through its life (CONTRACT §13): opened and updated by the daily
overdue job, closed by the repayment that clears the loan's overdue periods or by the write-off.

Every function here runs inside the caller's transaction with the loan's row locked
(``loans.locks``: the job, a repayment and a write-off all take it first), so the one open case
of a loan has one writer at a time; the partial unique index ``one_open_case_per_loan`` holds
it in the database too. Staff writes (contact log, reassignment) lock the case row alone; the
loan's writers lock it too (:func:`open_case`, after the loan's row: the one order), so neither
writes back a copy of the case read before the other's change.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from cashloan.models import ZERO
from loans.amortization import penalty_left
from loans.models import LoanApplication, Repayment, RepaymentPeriod

from . import assignment
from .buckets import bucket_of
from .models import CaseRecovery, CaseStatus, CollectionCase, ContactLog, PromiseStatus
from .snapshots import drop_from, snapshot


@dataclass(frozen=True)
class Owed:
    """What a loan owes on a day: CONTRACT §13's DPD, and what its periods due by then still owe."""

    dpd: int
    principal: Decimal
    interest: Decimal
    fee: Decimal
    penalty: Decimal
    oldest_due: date | None

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fee + self.penalty

    @property
    def bucket(self) -> str | None:
        return bucket_of(self.dpd)


def owed(loan: LoanApplication, periods: list[RepaymentPeriod], as_of: date) -> Owed:
    """Principal, interest and fee of the unpaid periods due on or before ``as_of``, and their
    penalty up to that date (up to the write-off for a written-off loan), less what waivers took off."""
    due = [p for p in periods if not p.is_paid and p.due_date <= as_of]
    past_due = [p.due_date for p in due if p.due_date < as_of]
    until = loan.penalty_date(as_of)
    return Owed(
        dpd=(as_of - min(past_due)).days if past_due else 0,
        principal=sum((p.principal - p.paid_principal for p in due), ZERO),
        interest=sum((p.interest_due - p.paid_interest for p in due), ZERO),
        fee=sum((p.fee_due - p.paid_fee for p in due), ZERO),
        penalty=sum((penalty_left(p.principal, loan.penalty_rate, p.due_date, until, p.waived_penalty) for p in due), ZERO),
        oldest_due=min(past_due) if past_due else None,
    )


def open_case(loan_id) -> CollectionCase | None:
    """The loan's open case, its row locked until the caller's transaction ends."""
    return CollectionCase.objects.select_for_update().filter(loan_id=loan_id, status=CaseStatus.OPEN).first()


# --- the daily job ------------------------------------------------------------------------------


def sync_case(loan: LoanApplication, periods: list[RepaymentPeriod], as_of: date) -> CollectionCase | None:
    """Bring the loan's case to ``as_of``: open it on the first overdue day (and assign it),
    update DPD, bucket and what is due, settle a promise whose day has passed, close it when
    nothing is overdue any more. Running it twice for a day changes nothing."""
    case = open_case(loan.pk)
    if loan.is_written_off:
        return case
    figures = owed(loan, periods, as_of)
    if figures.dpd == 0:
        if case is not None:
            close(case, CaseStatus.REPAID, as_of)
        return None
    if case is None:
        case = CollectionCase(loan=loan, opened_on=as_of)
        _set_figures(case, figures, as_of)
        assignment.assign_automatically(case)  # saves the new case with its collector
    else:
        if _set_figures(case, figures, as_of):
            case.save()
        assignment.follow_bucket(case)  # an unassigned case, or one past its collector's buckets
    if case.promise_date is not None and case.promise_date < as_of:
        settle_promise(case, broken_if_short=True)
    snapshot(case, as_of)
    return case


def _set_figures(case: CollectionCase, figures: Owed, as_of: date) -> bool:
    """Copy the figures onto the case; True when one changed."""
    values = {
        "as_of": as_of, "dpd": figures.dpd, "bucket": figures.bucket, "due_principal": figures.principal,
        "due_interest": figures.interest, "due_fee": figures.fee, "due_penalty": figures.penalty, "due": figures.total,
    }
    changed = any(getattr(case, name) != value for name, value in values.items())
    for name, value in values.items():
        setattr(case, name, value)
    return changed


def close(case: CollectionCase, status: str, on: date) -> None:
    """Close the case: it is no longer open at the end of ``on`` (that day's snapshot goes)."""
    case.status, case.closed_on = status, on
    case.save(update_fields=["status", "closed_on"])
    drop_from(case, on)


# --- repayments and write-offs ------------------------------------------------------------------


def after_repayment(loan: LoanApplication, repayment: Repayment, today: date) -> None:
    """In the repayment's transaction: the money is counted to the case's collector and bucket;
    a promise met is kept; a loan left with no overdue period closes its case as repaid;
    otherwise the case's figures follow the payment."""
    case = open_case(loan.pk)
    if case is None:
        return
    CaseRecovery.objects.create(
        case=case, repayment=repayment, date=today, amount=repayment.amount, collector_id=case.collector_id, bucket=case.bucket
    )
    if case.promise_date is not None:
        settle_promise(case, broken_if_short=False)
    periods = list(RepaymentPeriod.objects.filter(application=loan).order_by("number"))
    figures = owed(loan, periods, max(today, case.as_of))
    if figures.dpd == 0:
        close(case, CaseStatus.REPAID, today)
        return
    if _set_figures(case, figures, max(today, case.as_of)):
        case.save()
    snapshot(case, case.as_of)


def after_reversal(loan: LoanApplication, periods: list[RepaymentPeriod], repayment: Repayment, today: date) -> None:
    """In the reversal's transaction the money never came: a loan overdue again gets back the
    case the repayment closed, with its collector (the recovery no longer counts: the reports
    leave reversed repayments out); an open case takes the figures the unpaid periods give, and
    a promise the money kept is settled again without it."""
    if loan.is_written_off:
        return
    case = open_case(loan.pk)
    if case is None and owed(loan, periods, today).dpd > 0:
        case = (
            CollectionCase.objects.select_for_update(of=("self",))
            .filter(recoveries__repayment=repayment, status=CaseStatus.REPAID).first()
        )
        if case is not None:
            case.status, case.closed_on = CaseStatus.OPEN, None
            case.save(update_fields=["status", "closed_on"])
    if case is not None:
        _unkeep_promise(case)
    sync_case(loan, periods, today)


def _unkeep_promise(case: CollectionCase) -> None:
    """The case's last promise, kept by money since reversed, is pending again: the job (here, at
    once, when its day has passed) settles it on what was really paid."""
    if case.promise_status != PromiseStatus.KEPT:
        return
    promise = case.contacts.filter(promise_status=PromiseStatus.KEPT).order_by("-pk").first()
    if promise is None or paid_since(case, promise) >= promise.promise_amount:
        return
    promise.promise_status = PromiseStatus.PENDING
    promise.save(update_fields=["promise_status"])
    case.promise_date, case.promise_amount, case.promise_status = promise.promise_date, promise.promise_amount, PromiseStatus.PENDING
    case.save(update_fields=["promise_date", "promise_amount", "promise_status"])


def after_write_off(loan: LoanApplication) -> None:
    case = open_case(loan.pk)
    if case is not None:
        close(case, CaseStatus.WRITTEN_OFF, loan.written_off_on)


# --- promises -----------------------------------------------------------------------------------


def paid_since(case: CollectionCase, promise: ContactLog) -> Decimal:
    """What the borrower paid on the loan from the promise until the end of its day (a repayment
    since reversed never came)."""
    total = Repayment.objects.filter(
        application_id=case.loan_id, posted_at__gte=promise.created_at, effective_date__lte=promise.promise_date,
        reversed_on__isnull=True,
    ).aggregate(total=Sum("amount"))["total"]
    return total or ZERO


def settle_promise(case: CollectionCase, *, broken_if_short: bool) -> None:
    """The pending promise of the case: kept once that amount is paid; broken (the case marked
    ``broken promise``) when its day has passed short of it (``broken_if_short``, the job)."""
    promise = case.contacts.filter(promise_status=PromiseStatus.PENDING).order_by("-pk").first()
    if promise is None:  # not expected: the case's promise fields mirror its pending promise
        case.promise_date = case.promise_amount = None
        case.save(update_fields=["promise_date", "promise_amount"])
        return
    if paid_since(case, promise) >= promise.promise_amount:
        promise.promise_status, case.broken_promise = PromiseStatus.KEPT, False
    elif broken_if_short:
        promise.promise_status, case.broken_promise = PromiseStatus.BROKEN, True
    else:
        return
    promise.save(update_fields=["promise_status"])
    case.promise_date = case.promise_amount = None
    case.promise_status = promise.promise_status
    case.save(update_fields=["promise_date", "promise_amount", "promise_status", "broken_promise"])
