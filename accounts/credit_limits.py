"""A customer's total credit and its history (CONTRACT §12).

The limit lives on the customer (``User.total_credit``, empty = unlimited); every change is one
:class:`~accounts.models.CreditLimitChange` row with its cause, written here and nowhere else:

* registration: ``CREDIT_INITIAL_LIMIT`` (unset: unlimited, no row);
* the risk manager, with a reason (also one operation-log row);
* a loan paid off with no period late: + ``CREDIT_RAISE_PERCENT`` % of the limit, up to
  ``CREDIT_MAX_LIMIT`` (``loans.credit`` decides when; a customer more than 30 days late on
  any period is frozen and gets no raise).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from cashloan.models import ZERO
from cashloan.oplog import log_change

from .models import CreditLimitChange, User

CENT = Decimal("0.01")
MAX_LIMIT = Decimal("999999999999.99")  # what the field holds


def raised_limit(current: Decimal | None, percent: Decimal, ceiling: Decimal | None) -> Decimal | None:
    """``current`` grown by ``percent`` %, half-up to cents, never above ``ceiling``.

    Unlimited stays unlimited; a limit already at or above the ceiling is left as it is.
    """
    if current is None:
        return None
    grown = (current * (1 + percent / 100)).quantize(CENT, rounding=ROUND_HALF_UP)
    if ceiling is not None:
        if current >= ceiling:
            return current
        grown = min(grown, ceiling)
    return grown


def initial_limit() -> Decimal | None:
    return settings.CREDIT_INITIAL_LIMIT


def record_initial_limit(user: User) -> CreditLimitChange | None:
    """For a customer just registered with :func:`initial_limit` as total credit."""
    if user.total_credit is None:
        return None
    return CreditLimitChange.objects.create(user=user, cause=CreditLimitChange.Cause.INITIAL, before=None, after=user.total_credit)


def set_credit_limit(user: User, limit: Decimal | None, *, by, reason: str) -> CreditLimitChange | None:
    """The risk manager sets the limit (None = unlimited); None returned when nothing changed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写调整原因"})
    if limit is not None and not (ZERO <= limit <= MAX_LIMIT and limit == limit.quantize(CENT)):
        raise ValidationError({"limit": "额度须为不小于 0 的金额（最多两位小数）"})
    return _change(user, lambda current: limit, cause=CreditLimitChange.Cause.STAFF, by=by, reason=reason[:200])


def raise_after_clean_pay_off(user: User, *, loan_code: str) -> CreditLimitChange | None:
    """+ CREDIT_RAISE_PERCENT % up to CREDIT_MAX_LIMIT; the caller has checked the loan was clean."""

    def raised(current):
        return raised_limit(current, settings.CREDIT_RAISE_PERCENT, settings.CREDIT_MAX_LIMIT)

    return _change(user, raised, cause=CreditLimitChange.Cause.RAISE, loan_code=loan_code)


def _change(user: User, new_limit, *, cause: str, by=None, reason: str = "", loan_code: str = "") -> CreditLimitChange | None:
    """Lock the customer, work out the new limit from the current one, write it and its history."""
    with transaction.atomic():
        # The caller's class (a Customer from the back office) names the log row's page.
        locked = user.__class__._base_manager.select_for_update().get(pk=user.pk)  # __class__: a lazy request.user too
        before = locked.total_credit
        limit = new_limit(before)
        if before == limit:
            return None
        User.objects.filter(pk=locked.pk).update(total_credit=limit)
        user.total_credit = limit
        change = CreditLimitChange.objects.create(
            user=locked, cause=cause, before=before, after=limit, reason=reason, loan_code=loan_code, changed_by=by
        )
        if by is not None:
            log_change(by, locked, changes={"总授信额度": (shown(before), shown(limit))}, reason=reason, verb="调整授信额度")
    return change


def shown(limit: Decimal | None) -> str:
    return "不限额" if limit is None else f"{limit:.2f}"
