"""Writing a loan off (CONTRACT §14): finance gives up on a loan at least ``WRITE_OFF_MIN_DPD``
days past due, with a reason.

In one transaction under the loan's locks: the day's recognition and penalty are brought up to
date, the books move what the loan carries (principal, interest, fees, penalty) to 6701, and the
loan is flagged (the admin action writes the operation log's row, with the reason). The customer still sees an unpaid loan (status 4); its penalty stops at the
write-off date; the daily job and the notices leave it alone; later repayments are recoveries.
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ledger.services import PostedBy, post_write_off

from .lifecycle import LifecycleError, local_today
from .locks import lock_loan, lock_periods
from .models import ApplicationStatus, LoanApplication
from .overdue import bring_up_to_date
from .signals import loan_written_off


class WriteOffRefused(LifecycleError):
    """The loan may not be written off; the message says why (Chinese)."""


def days_past_due(periods, today: date) -> int:
    """CONTRACT §13: days since the due date of the earliest unpaid period already past due."""
    past_due = [p.due_date for p in periods if not p.is_paid and p.due_date < today]
    return (today - min(past_due)).days if past_due else 0


def write_off(application: LoanApplication, by, reason: str, *, today: date | None = None) -> LoanApplication:
    reason = (reason or "").strip()
    today = today or local_today()
    with transaction.atomic():
        loan = lock_loan(application.pk)
        periods = lock_periods(loan)
        _check(loan, periods, reason, today)
        actor = PostedBy.staff(by)
        bring_up_to_date(loan, periods, today, actor)
        post_write_off(loan.pk, on=today, actor=actor, reason=reason)
        loan.written_off_on, loan.written_off_by, loan.write_off_reason = today, by, reason
        loan.written_off_at = timezone.now()
        loan.save(update_fields=["written_off_on", "written_off_at", "written_off_by", "write_off_reason"])
        loan_written_off.send(sender=LoanApplication, loan=loan, by=by)
    return loan


def _check(loan: LoanApplication, periods, reason: str, today: date) -> None:
    if not reason:
        raise WriteOffRefused(loan, "请填写核销原因")
    if loan.is_written_off:
        raise WriteOffRefused(loan, f"已于 {loan.written_off_on.isoformat()} 核销")
    if loan.status != ApplicationStatus.DISBURSED:
        raise WriteOffRefused(loan, f"当前状态为「{ApplicationStatus(loan.status).label}」，只有已放款未结清的借款可以核销")
    dpd, minimum = days_past_due(periods, today), settings.WRITE_OFF_MIN_DPD
    if dpd < minimum:
        raise WriteOffRefused(loan, f"逾期 {dpd} 天，不足 {minimum} 天，不能核销")
