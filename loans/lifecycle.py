"""Staff decisions on a loan: claim, release, approve, reject, disburse (CONTRACT §8 statuses 0 → 4, §11).

Each service is one transaction: it locks the application row (``loans.locks``), checks the current status
(a wrong one raises :class:`InvalidTransition`) and who may act, writes the change and its
:class:`~loans.models.StatusChange` row, and tells messaging. Pay-off (4 → 5) is posted by
:mod:`loans.repayments`.

Who may act (CONTRACT §11): a loan claimed by one officer (status 1) is released, approved or
rejected only by that officer or a superuser; with ``FOUR_EYES`` on, the staff user who
approved a loan cannot disburse it. A service called without a staff user (``by=None``: a job,
a script) acts as the system and passes both checks.
"""

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ledger.services import PostedBy, post_disbursement

from .amortization import ScheduleRuleError, build_schedule
from .locks import lock_loan
from . import disbursements
from .models import Actor, ApplicationStatus, LoanApplication, RejectReason, RepaymentPeriod, StatusChange
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


class ClaimedByOther(LifecycleError):
    """Another officer holds the loan in review."""


class FourEyes(LifecycleError):
    """The staff user who approved the loan tried to disburse it (``FOUR_EYES``)."""


class PayoutFailed(LifecycleError):
    """The disbursement provider refused or failed: the loan stays approved.

    The failed attempt (a :class:`~loans.models.Disbursement` row) is kept: the admin's
    ``staff_action`` commits what the service wrote before raising an error that ``keeps_record``.
    """

    keeps_record = True


def local_today() -> date:
    """Today in the server's time zone (Asia/Shanghai): loan dates are local dates."""
    return timezone.localdate()


def claim(application: LoanApplication, by) -> LoanApplication:
    """0 → 1: an officer takes the application; only they (or a superuser) decide it until released."""
    with transaction.atomic():
        loan = _locked(application)
        _require(loan, {Status.PENDING}, "领取")
        loan.claimed_by, loan.claimed_at = by, timezone.now()
        record_status_change(loan, Status.IN_REVIEW, by, extra_fields=["claimed_by", "claimed_at"])
    return loan


def release(application: LoanApplication, by) -> LoanApplication:
    """1 → 0: the officer gives the application back to the queue."""
    with transaction.atomic():
        loan = _locked(application)
        _require(loan, {Status.IN_REVIEW}, "释放")
        _require_claimer(loan, by, "释放")
        loan.claimed_by, loan.claimed_at = None, None
        record_status_change(loan, Status.PENDING, by, extra_fields=["claimed_by", "claimed_at"])
    return loan


def approve(application: LoanApplication, by) -> LoanApplication:
    """0/1 → 2."""
    with transaction.atomic():
        loan = _locked(application)
        _require(loan, {Status.PENDING, Status.IN_REVIEW}, "审核通过")
        _require_claimer(loan, by, "审核通过")
        _decided(loan, by)
        record_status_change(loan, Status.APPROVED, by, extra_fields=DECISION_FIELDS)
        notify_loan_event(loan, LoanEvent.APPROVED)
    return loan


def reject(application: LoanApplication, by, note: str = "", *, reason: RejectReason | None = None) -> LoanApplication:
    """0/1/2 → 3, with the officer's reason (from the list) and note; the history shows both."""
    with transaction.atomic():
        loan = _locked(application)
        _require(loan, {Status.PENDING, Status.IN_REVIEW, Status.APPROVED}, "拒绝")
        _require_claimer(loan, by, "拒绝")
        _decided(loan, by)
        loan.reject_reason = reason
        record_status_change(loan, Status.REJECTED, by, note=reject_text(reason, note), extra_fields=[*DECISION_FIELDS, "reject_reason"])
        notify_loan_event(loan, LoanEvent.REJECTED)
    return loan


def reject_text(reason: RejectReason | None, note: str) -> str:
    """``收入不足（工作不满三个月）``: what the history and the operation log show."""
    note = note.strip()
    if reason is None:
        return note
    return f"{reason.name}（{note}）" if note else reason.name


DECISION_FIELDS = ["reviewed_at", "reviewed_by", "claimed_by", "claimed_at"]


def _decided(loan: LoanApplication, by) -> None:
    loan.reviewed_at, loan.reviewed_by = timezone.now(), by
    loan.claimed_by, loan.claimed_at = None, None


def _require_claimer(loan: LoanApplication, by, action: str) -> None:
    if loan.status != Status.IN_REVIEW or loan.claimed_by_id is None or by is None:
        return
    if loan.claimed_by_id != by.pk and not by.is_superuser:
        raise ClaimedByOther(loan, f"已由 {loan.claimed_by} 领取审核，只有领取人或超级管理员可以{action}")


def disburse(application: LoanApplication, by, on: date | None = None) -> LoanApplication:
    """2 → 4: the money left; the schedule is created, dated from ``on`` (default: today)."""
    today = local_today()
    on = on or today
    with transaction.atomic():
        loan = _locked(application)
        _require(loan, {Status.APPROVED}, "放款")
        _require_four_eyes(loan, by)
        schedule = _schedule(loan, on)
        payout = disbursements.pay_out(loan, by)
        if payout.succeeded:
            _save_schedule(loan, schedule)
            loan.disbursed_at = _moment_on(on, today)
            record_status_change(loan, Status.DISBURSED, by, extra_fields=["disbursed_at"])
            post_disbursement(
                loan.pk, principal=loan.apply_amount, service_fee=loan.service_fee, paid_out=loan.reply_amount, on=on,
                actor=PostedBy.staff_or_system(by, "disburse"),
            )
            notify_loan_event(loan, LoanEvent.DISBURSED)
    if not payout.succeeded:  # after the commit: the failed attempt is kept, the loan stays approved
        raise PayoutFailed(loan, f"放款渠道打款失败（{payout.error}），借款仍为审核成功")
    return loan


def _require_four_eyes(loan: LoanApplication, by) -> None:
    if settings.FOUR_EYES and by is not None and loan.reviewed_by_id == by.pk:
        raise FourEyes(loan, "您审核通过了这笔借款，须由另一位员工放款（四眼原则）")


def _schedule(loan: LoanApplication, disbursed_on: date) -> list:
    """The schedule, built before any money moves (terms that give none are refused first)."""
    try:
        return build_schedule(loan.amortization_terms(), disbursed_on)
    except (ScheduleRuleError, ValueError) as error:
        raise ScheduleNotBuildable(loan, f"借款条件无法生成还款计划（{error}）") from error


def _save_schedule(loan: LoanApplication, schedule: list) -> None:
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
