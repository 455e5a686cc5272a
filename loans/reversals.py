"""Reversal of a wrong repayment (还款冲正, CONTRACT §15): finance proposes it with a reason,
another finance user approves it.

Approving, in one transaction under the loan's locks: the repayment's journal entry is
reversed (a mirror entry; entries are never changed), the periods it paid are unpaid again --
their penalty recomputed from their due dates and the books brought up to date as the daily
job would -- the loan goes back from 5 to 4 if it had been paid off, the repayment is stamped
reversed (never deleted), the customer is told, and collections reopen the case it closed
(``repayment_reversed``). Only a loan's latest repayment not yet
reversed may be reversed (later ones first), not while the customer has another unfinished loan (a loan back
at status 4 would be a second one), and on a written-off loan only a recovery (the write-off
moved what the loan carried; reversing an earlier repayment would put it back).

Not undone: a credit-limit raise the pay-off earned (the risk manager sets the limit, with a
reason, if it should come back down). The proposal is logged here; an approval or a rejection
by the admin action that makes it.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cashloan.models import ZERO
from cashloan.oplog import log_change
from ledger.accounts import Account
from ledger.models import JournalEntry
from ledger.rules import yuan
from ledger.services import PostedBy, reverse
from messaging.models import CustomerMessageType
from messaging.services import message_customer

from . import four_eyes
from .finance_models import Decision, Reversal
from .lifecycle import local_today, record_status_change
from .locks import lock_loan, lock_periods
from .models import UNFINISHED_STATUSES, ApplicationStatus, LoanApplication, Repayment, RepaymentPeriod
from .overdue import bring_up_to_date
from .signals import repayment_reversed

Settlement = RepaymentPeriod.Settlement


def latest_live_repayment(loan: LoanApplication) -> Repayment | None:
    return loan.repayments.filter(reversed_on__isnull=True).order_by("-posted_at", "-id").first()


def propose_reversal(repayment: Repayment, *, reason: str, by) -> Reversal:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写冲正原因")
    repayment = Repayment.objects.select_related("application").get(pk=repayment.pk)  # as it is now
    _check(repayment.application, repayment)
    try:
        with transaction.atomic():
            reversal = Reversal.objects.create(repayment=repayment, reason=reason[:200], proposed_by=by)
            changes = {"借款": (None, repayment.application.code), "还款": (None, str(repayment))}
            log_change(by, reversal, changes=changes, reason=reason, verb="申请还款冲正", added=True)
    except IntegrityError:
        raise ValidationError("该笔还款已有冲正申请") from None
    return reversal


def _check(loan: LoanApplication, repayment: Repayment) -> None:
    if repayment.reversed_on is not None:
        raise ValidationError("该笔还款已冲正")
    latest = latest_live_repayment(loan)
    if latest is None or latest.pk != repayment.pk:
        raise ValidationError("只能冲正该笔借款最近一笔未冲正的还款（请先冲正其后的还款）")
    if loan.status not in (ApplicationStatus.DISBURSED, ApplicationStatus.PAID_OFF):
        raise ValidationError("该笔借款不在还款中")
    if loan.is_written_off and not repayment.is_recovery:
        raise ValidationError("借款已核销，核销前的还款不能冲正")
    if loan.status == ApplicationStatus.PAID_OFF and LoanApplication.objects.filter(
        user_id=loan.user_id, status__in=UNFINISHED_STATUSES
    ).exclude(pk=loan.pk).exists():
        raise ValidationError("客户已有未结清的新借款，不能把这笔借款恢复为未结清")
    if not JournalEntry.objects.filter(event_key=f"repayment:{repayment.pk}").exists():
        raise ValidationError("账簿中没有这笔还款的分录，不能冲正")


def approve_reversal(reversal: Reversal, *, by, today: date | None = None) -> Reversal:
    today = today or local_today()
    with transaction.atomic():
        repayment = Repayment.objects.get(pk=reversal.repayment_id)
        loan = lock_loan(repayment.application_id, related=("product", "user"))
        periods = lock_periods(loan)
        reversal = Reversal.objects.select_for_update().get(pk=reversal.pk)
        repayment = Repayment.objects.select_for_update().get(pk=repayment.pk)
        four_eyes.require_pending(reversal)
        four_eyes.require_second_person(reversal, by)
        _check(loan, repayment)
        actor = PostedBy.staff(by)
        entry = JournalEntry.objects.get(event_key=f"repayment:{repayment.pk}")
        reverse(entry, on=today, actor=actor, reason=reversal.reason)
        restored = _restore_periods(periods, repayment, entry)
        repayment.reversed_on = today
        repayment.save(update_fields=["reversed_on"])
        if loan.status == ApplicationStatus.PAID_OFF:
            loan.paid_off_at = None
            record_status_change(loan, ApplicationStatus.DISBURSED, by, f"还款冲正：{reversal.reason}"[:200], ["paid_off_at"])
        if not loan.is_written_off:
            bring_up_to_date(loan, periods, today, actor)
        repayment_reversed.send(sender=Reversal, loan=loan, periods=periods, repayment=repayment, today=today)
        four_eyes.decide(reversal, by, Decision.APPROVED)
        reversal.effective_date, reversal.period_numbers = today, [p.number for p in restored]
        reversal.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "effective_date", "period_numbers"])
        _tell_customer(loan, repayment, restored, reversal.reason)
    return reversal


def _restore_periods(periods: list[RepaymentPeriod], repayment: Repayment, entry: JournalEntry) -> list[RepaymentPeriod]:
    """The periods the repayment paid, unpaid again. The reversing entry put back on 1134 the
    penalty the repayment found carried; it goes on the first of them for now, so the loan's
    periods sum to what the books carry, and the catch-up that follows recomputes each period's
    penalty from its due date and posts the difference."""
    restored = [p for p in periods if p.repayment_id == repayment.pk]
    carried_penalty = -sum((line.amount for line in entry.lines.all() if line.account == Account.PENALTY_RECEIVABLE), 0)
    for index, period in enumerate(restored):
        period.settlement = Settlement.UNPAID
        period.paid_principal = period.paid_interest = period.paid_fee = period.paid_penalty = ZERO
        period.paid_at, period.repayment = None, None
        period.penalty = yuan(carried_penalty) if index == 0 else ZERO
        period.is_overdue = False  # the catch-up sets it (and the penalty) for those past due
    RepaymentPeriod.objects.bulk_update(
        restored, ["settlement", "paid_principal", "paid_interest", "paid_fee", "paid_penalty", "paid_at", "repayment", "penalty", "is_overdue"]
    )
    return restored


def _tell_customer(loan: LoanApplication, repayment: Repayment, restored: list[RepaymentPeriod], reason: str) -> None:
    numbers = "、".join(f"第{p.number}期" for p in restored)
    content = (
        f"您的借款（编号{loan.code}）于{repayment.posted_at:%Y年%m月%d日}入账的还款{repayment.amount:.2f}元已冲正"
        f"（原因：{reason}），{numbers}恢复为未还，请在 App 中查看应还金额并及时还款。如有疑问请联系客服。"
    )
    message_customer(loan.user, CustomerMessageType.OTHER, "还款冲正通知", content, application=loan, sms_purpose="reversal")


def reject_reversal(reversal: Reversal, *, by, reason: str) -> Reversal:
    with transaction.atomic():
        return four_eyes.reject(reversal, by, reason)
