"""Offline repayments (线下还款, CONTRACT §15): money finance received outside the app.

Finance records the amount, the day it arrived, the channel, the reference and a proof; a
second finance user confirms it (``OFFLINE_REPAYMENT_FOUR_EYES``, on by default; off, the
record posts at once). Confirming posts it through the app's own repayment path
(:func:`loans.repayments.apply_repayment`): the same allocation (``current`` for the named
period, or ``all``), the same refusals, the same books, the same message to the customer, and
whatever else a repayment does. The figures are computed to the day the money arrived; the
books and the repayment are dated the day it is confirmed (the day the books learn of it).

The amount must be exactly what the loan asked for on that day: money that does not match is
not allocated by guesswork (finance records the right kind, or the customer's bank returns it).
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cashloan.models import ZERO
from cashloan.oplog import log_change

from . import four_eyes
from .finance_models import Decision, OfflineRepayment
from .lifecycle import local_today
from .locks import lock_loan, lock_periods
from .models import ApplicationStatus, LoanApplication, Repayment
from .payments import PaymentProvider, PaymentResult
from .proofs import checked_proof
from .repayments import Payer, allocation, apply_repayment


class OfflineReceipt(PaymentProvider):
    """The money is already in the bank: "collecting" it records finance's reference."""

    name = "offline"

    def __init__(self, record: OfflineRepayment):
        self.record = record

    def collect(self, application, amount: Decimal, reference: str) -> PaymentResult:
        return PaymentResult(ok=True, reference=self.record.reference)


def amount_due(loan: LoanApplication, kind: str, period_id, received_on: date) -> Decimal:
    """What a repayment of ``kind`` asked for on ``received_on`` (the app's refusals as
    ``ValidationError``); a read, without locks: confirming checks again under them."""
    with four_eyes.app_refusals_as_validation():
        _require_serviced(loan)
        return sum((p.total for p in allocation(loan, list(loan.periods.order_by("number")), kind, period_id, received_on)), ZERO)


def record_offline_repayment(
    loan: LoanApplication, *, kind: str, period=None, amount: Decimal, received_on: date, channel: str, reference: str, proof,
    note: str = "", by, today: date | None = None,
) -> OfflineRepayment:
    """Finance records money received; posted at once only when four eyes are off."""
    today = today or local_today()
    _check_proposal(loan, kind, period, amount, received_on, reference, today)
    record = OfflineRepayment(
        application=loan, kind=kind, period=period if kind == Repayment.Kind.CURRENT else None, amount=amount,
        received_on=received_on, channel=channel, reference=reference.strip(), proof=checked_proof(proof), note=note,
        proposed_by=by,
    )
    with transaction.atomic():
        record.save()
        log_change(by, record, changes=_described(record), verb="登记线下还款", added=True)
        if not settings.OFFLINE_REPAYMENT_FOUR_EYES:
            record = confirm_offline_repayment(record, by=by, today=today)
    return record


def _check_proposal(loan, kind, period, amount, received_on, reference, today) -> None:
    if kind not in Repayment.Kind.values:
        raise ValidationError("还款类型须为按期还款或一次性还清")
    if kind == Repayment.Kind.CURRENT and (period is None or period.application_id != loan.pk):
        raise ValidationError("按期还款须选择本笔借款的一期")
    if not (reference or "").strip():
        raise ValidationError("请填写流水号或凭证号")
    if amount is None or amount <= 0:
        raise ValidationError("到账金额须大于 0")
    if received_on > today:
        raise ValidationError("到账日期不能晚于今天")
    if loan.disbursed_at is not None and received_on < timezone.localdate(loan.disbursed_at):
        raise ValidationError("到账日期不能早于放款日")
    due = amount_due(loan, kind, period.pk if period is not None else None, received_on)
    if amount != due:
        raise ValidationError(f"到账金额 {amount:.2f} 元与 {received_on.isoformat()} 应还金额 {due:.2f} 元不符")


def confirm_offline_repayment(record: OfflineRepayment, *, by, today: date | None = None) -> OfflineRepayment:
    """A second finance user confirms: the repayment posts (one transaction, the loan's locks)."""
    today = today or local_today()
    with transaction.atomic():
        loan = lock_loan(record.application_id, related=("product", "user"))
        record = OfflineRepayment.objects.select_for_update().get(pk=record.pk)
        four_eyes.require_pending(record)
        if settings.OFFLINE_REPAYMENT_FOUR_EYES:
            four_eyes.require_second_person(record, by)
        with four_eyes.app_refusals_as_validation():
            _require_serviced(loan)
            period_id = record.period_id
            due = sum((p.total for p in allocation(loan, lock_periods(loan), record.kind, period_id, record.received_on)), ZERO)
            if due != record.amount:
                raise ValidationError(f"到账金额 {record.amount:.2f} 元与当前应还金额 {due:.2f} 元不符（借款已有变动），请驳回后重新登记")
            repayment = apply_repayment(
                loan, record.kind, period_id, Payer.staff_recording(by, OfflineReceipt(record)), today=today, as_of=record.received_on
            )
        four_eyes.decide(record, by, Decision.APPROVED)
        record.repayment = repayment
        record.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "repayment"])
    return record


def reject_offline_repayment(record: OfflineRepayment, *, by, reason: str) -> OfflineRepayment:
    with transaction.atomic():
        return four_eyes.reject(record, by, reason)


def _require_serviced(loan: LoanApplication) -> None:
    if loan.status == ApplicationStatus.PAID_OFF:
        raise ValidationError("该笔借款已还清，无需还款")
    if loan.status != ApplicationStatus.DISBURSED:
        raise ValidationError(f"当前状态为「{ApplicationStatus(loan.status).label}」，只有已放款未结清的借款可以登记还款")


def _described(record: OfflineRepayment) -> dict:
    return {
        "借款": (None, record.application.code),
        "还款类型": (None, record.get_kind_display()),
        "期次": (None, f"第{record.period.number}期" if record.period_id else "全部"),
        "到账金额": (None, f"{record.amount:.2f}"),
        "到账日期": (None, record.received_on.isoformat()),
        "渠道": (None, record.get_channel_display()),
        "流水号": (None, record.reference),
    }
