"""Four eyes on finance's operations (CONTRACT §15): one staff user proposes, another decides.

Shared by ``loans.offline``, ``loans.reversals`` and ``loans.waivers``. A refusal is a
``ValidationError`` with the reason in Chinese (the admin shows it); the repayment path's
refusals (``cashloan.api.errors.ApiError``: nothing due, an earlier period unpaid…) are
turned into one with the words the app would show.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.utils import timezone

from cashloan.api.errors import ApiError

from .finance_models import Decision, FourEyes


def require_pending(record: FourEyes) -> None:
    if record.status != Decision.PENDING:
        raise ValidationError(f"该申请{record.get_status_display()}，不能再复核")


def require_second_person(record: FourEyes, by) -> None:
    if record.proposed_by_id == by.pk:
        raise ValidationError("经办人不能复核自己登记的申请，须由另一位同事复核")


def decide(record: FourEyes, by, status: str, note: str = "") -> None:
    record.status, record.decided_by, record.decided_at, record.decision_note = status, by, timezone.now(), note[:200]


def reject(record: FourEyes, by, reason: str) -> FourEyes:
    """Refuse a pending proposal with a reason (anyone who may decide, the proposer included:
    withdrawing one's own proposal approves nothing)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写驳回原因")
    record = type(record).objects.select_for_update().get(pk=record.pk)
    require_pending(record)
    decide(record, by, Decision.REJECTED, reason)
    record.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return record


@contextmanager
def app_refusals_as_validation() -> Iterator[None]:
    try:
        yield
    except ApiError as error:
        raise ValidationError(error.message) from None
