"""Staff decisions on a loan: review, approve, reject, disburse (CONTRACT §8 statuses 0 → 4).

Each service is one transaction: it locks the application row (``loans.locks``), checks the current status
(a wrong one raises :class:`InvalidTransition`), writes the change and its
:class:`~loans.models.StatusChange` row, and tells messaging. Pay-off (4 → 5) is posted by
:mod:`loans.repayments`.
"""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from ledger.services import PostedBy, post_disbursement

from .amortization import ScheduleRuleError, build_schedule
from .locks import lock_loan
from .models import Actor, ApplicationStatus, LoanApplication, RepaymentPeriod, StatusChange
from .notifications import LoanEvent, notify_loan_event

Status = ApplicationStatus


class LifecycleError(Exception):
    """A staff action on a loan was refused; the message is for the officer (Chinese)."""

    def __init__(self, application: LoanApplication, reason: str):
        self.application = application
        self.reason = reason
        super().__init__(f"{application.code}：{reason}")


class InvalidTransition(LifecycleError):
    """The loan is not in a status the action may start from."""

    def __init__(self, application: LoanApplication, action: str):
        label = Status(application.status).label
        super().__init__(application, f"当前状态为「{label}」，不能{action}")


class ScheduleNotBuildable(LifecycleError):
    """The loan's terms do not give a repayment schedule (bad data: nothing is disbursed)."""


def local_today() -> date:
    """Today in the server's time zone (Asia/Shanghai): loan dates are local dates."""
    return timezone.localdate()


def start_review(application: LoanApplication, by) -> LoanApplication:
    """0 → 1: an officer picks the application up."""
    with transaction.atomic():
        loan = _locked(application)
        _require(loan, {Status.PENDING}, "开始审核")
        record_status_change(loan, Status.IN_REVIEW, by)
    return loan


def approve(application: LoanApplication, by) -> LoanApplication:
    """0/1 → 2."""
    with transaction.atomic():
        loan = _locked(application)
        _require(loan, {Status.PENDING, Status.IN_REVIEW}, "审核通过")
        loan.reviewed_at = timezone.now()
        record_status_change(loan, Status.APPROVED, by, extra_fields=["reviewed_at"])
        notify_loan_event(loan, LoanEvent.APPROVED)
    return loan


def reject(application: LoanApplication, by, note: str = "") -> LoanApplication:
    """0/1/2 → 3, with the officer's reason."""
    with transaction.atomic():
        loan = _locked(application)
        _require(loan, {Status.PENDING, Status.IN_REVIEW, Status.APPROVED}, "拒绝")
        loan.reviewed_at = timezone.now()
        record_status_change(loan, Status.REJECTED, by, note=note, extra_fields=["reviewed_at"])
        notify_loan_event(loan, LoanEvent.REJECTED)
    return loan


def disburse(application: LoanApplication, by, on: date | None = None) -> LoanApplication:
    """2 → 4: the money left; the schedule is created, dated from ``on`` (default: today)."""
    today = local_today()
    on = on or today
    with transaction.atomic():
        loan = _locked(application)
        _require(loan, {Status.APPROVED}, "放款")
        _create_schedule(loan, on)
        loan.disbursed_at = _moment_on(on, today)
        record_status_change(loan, Status.DISBURSED, by, extra_fields=["disbursed_at"])
        post_disbursement(
            loan.pk, principal=loan.apply_amount, service_fee=loan.service_fee, paid_out=loan.reply_amount, on=on,
            actor=PostedBy.staff_or_system(by, "disburse"),
        )
        notify_loan_event(loan, LoanEvent.DISBURSED)
    return loan


def _create_schedule(loan: LoanApplication, disbursed_on: date) -> None:
    try:
        schedule = build_schedule(loan.amortization_terms(), disbursed_on)
    except (ScheduleRuleError, ValueError) as error:
        raise ScheduleNotBuildable(loan, f"借款条件无法生成还款计划（{error}）") from error
    RepaymentPeriod.objects.bulk_create(
        RepaymentPeriod(
            application=loan,
            number=period.number,
            start_date=period.start_date,
            due_date=period.due_date,
            principal=period.principal,
            interest=period.interest,
            fee=period.fee,
        )
        for period in schedule
    )


def _moment_on(on: date, today: date) -> datetime:
    """Now, or -- for a disbursement booked on another day -- the same clock time on that day."""
    now = timezone.now()
    if on == today:
        return now
    return timezone.make_aware(datetime.combine(on, timezone.localtime(now).time().replace(microsecond=0)))


def _locked(application: LoanApplication) -> LoanApplication:
    loan = lock_loan(application.pk)
    if loan is None:
        raise LoanApplication.DoesNotExist(f"no loan {application.pk}")
    return loan


def _require(loan: LoanApplication, allowed: set, action: str) -> None:
    if loan.status not in allowed:
        raise InvalidTransition(loan, action)


def record_status_change(loan: LoanApplication, to_status: int, by=None, note: str = "", extra_fields=(), *, actor: Actor | None = None) -> None:
    """Set the (locked) loan's status and write its history row.

    The actor (CONTRACT §11): the staff user ``by``; without one, a staff action is the
    system's (a job or a script), and a customer's own action names ``actor=Actor.CUSTOMER``.
    """
    from_status = loan.status
    loan.status = to_status
    loan.save(update_fields=["status", *extra_fields])
    StatusChange.objects.create(
        application=loan, from_status=from_status, to_status=to_status, changed_by=by, note=note, actor=actor_of(by, actor)
    )


def actor_of(by, actor: Actor | None = None) -> Actor:
    if by is not None:
        return Actor.STAFF
    return actor or Actor.SYSTEM
