"""The daily overdue job: recognise periods falling due, mark unpaid periods past their due
date and set their penalty, and post both to the books (CONTRACT §14).

A period's interest and fee are recognised on its due date (once: ``recognised_on``). The
penalty is recomputed from (due date, as-of date) -- never added to -- and the books post the
difference of the loan's total, so running the job twice, or again after a crash, changes and
posts nothing (CONTRACT §8). Each loan is handled in its own transaction under the same locks
as a repayment (``loans.locks``: the loan's row, then its periods by number), so the batch
never races a payment. A written-off loan is left alone: it accrues nothing more. Overdue
notices are the daily notice job's (``loans.notices``).
"""

from datetime import date

from django.db import transaction
from django.db.models import Exists, OuterRef

from cashloan.models import ZERO
from ledger.services import PostedBy, post_penalty_change, post_recognition

from .amortization import penalty_left
from .locks import lock_loan, lock_periods
from .models import ApplicationStatus, LoanApplication, RepaymentPeriod
from .signals import loan_brought_up_to_date

JOB = PostedBy.system("mark_overdue")


CHUNK = 1000  # loan ids read at a time: memory stays flat whatever the number of loans


def mark_overdue(as_of: date) -> int:
    """Bring every disbursed loan with a period due by ``as_of`` up to that date; returns how
    many periods are overdue."""
    overdue, after = 0, None
    while ids := _loans_due_by(as_of, after):
        overdue += sum(mark_loan_overdue(loan_id, as_of) for loan_id in ids)
        after = ids[-1]
    return overdue


def _loans_due_by(as_of: date, after) -> list:
    """The next chunk of loan ids (in id order, after ``after``) with an unpaid period due by
    ``as_of``: the loans' primary key walked in order, each probed for such a period (no sort
    or DISTINCT over every period, which outgrew the statement timeout at 100,000 loans)."""
    due = RepaymentPeriod.objects.filter(
        application=OuterRef("pk"), settlement=RepaymentPeriod.Settlement.UNPAID, due_date__lte=as_of
    )
    loans = LoanApplication.objects.filter(Exists(due), status=ApplicationStatus.DISBURSED, written_off_on__isnull=True)
    if after is not None:
        loans = loans.filter(pk__gt=after)
    return list(loans.order_by("pk").values_list("pk", flat=True)[:CHUNK])


def mark_loan_overdue(application_id, as_of: date) -> int:
    """One loan, one transaction; a loan repaid meanwhile is skipped."""
    with transaction.atomic():
        loan = lock_loan(application_id)
        if loan is None or loan.status != ApplicationStatus.DISBURSED or loan.is_written_off:
            return 0
        periods = lock_periods(loan)
        overdue = bring_up_to_date(loan, periods, as_of, JOB)
        loan_brought_up_to_date.send(sender=LoanApplication, loan=loan, periods=periods, as_of=as_of)
        return overdue


def bring_up_to_date(loan: LoanApplication, periods: list[RepaymentPeriod], as_of: date, actor: PostedBy) -> int:
    """The day's work on one locked loan: recognise what falls due, recompute penalties, post
    both; returns how many periods are overdue."""
    unpaid = [p for p in periods if not p.is_paid]
    falling_due = [p for p in unpaid if p.recognised_on is None and p.due_date <= as_of]
    for period in falling_due:
        period.recognised_on = as_of
        post_recognition(loan.pk, period.pk, interest=period.interest, fee=period.fee, on=as_of, actor=actor)
    penalty_before = sum((p.penalty for p in unpaid), ZERO)
    overdue = [p for p in unpaid if p.due_date < as_of]
    changed = [p for p in overdue if _apply_penalty(p, loan.penalty_rate, as_of)]
    RepaymentPeriod.objects.bulk_update({p.pk: p for p in falling_due + changed}.values(), ["is_overdue", "penalty", "recognised_on"])
    penalty_after = sum((p.penalty for p in unpaid), ZERO)
    if penalty_after != penalty_before:
        post_penalty_change(loan.pk, before=penalty_before, after=penalty_after, on=as_of, actor=actor)
    return len(overdue)


def _apply_penalty(period: RepaymentPeriod, penalty_rate, as_of: date) -> bool:
    """Set the period's overdue flag and penalty as of ``as_of``; True when something changed."""
    penalty = penalty_left(period.principal, penalty_rate, period.due_date, as_of, period.waived_penalty)
    if period.is_overdue and period.penalty == penalty:
        return False
    period.is_overdue, period.penalty = True, penalty
    return True
