"""A customer's blacklist and risk flags (CONTRACT §11: changed by the risk manager, each
change with a reason). Every change is one :class:`~accounts.models.FlagChange` row per flag,
written here and nowhere else; the operation-log row is the admin action's
(``cashloan.admin_actions.staff_action``), written in the same transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import FlagChange, User

FLAGS = tuple(FlagChange.Flag)


def set_flags(user: User, *, by, reason: str, **wanted: bool | None) -> list[FlagChange]:
    """Set ``is_blacklisted`` / ``is_risk`` (None or absent: leave it) and keep each change.

    Refused (``ValidationError``) without a reason, or when no flag would change: a change
    that changes nothing is not a change to log.
    """
    unknown = set(wanted) - {flag.value for flag in FLAGS}
    if unknown:
        raise ValueError(f"unknown flags: {sorted(unknown)}")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写调整原因")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        changes = [
            FlagChange(user=locked, flag=flag, before=getattr(locked, flag), after=value, reason=reason[:200], changed_by=by)
            for flag, value in wanted.items()
            if value is not None and value != getattr(locked, flag)
        ]
        if not changes:
            raise ValidationError("标记与原来相同，未调整")
        User.objects.filter(pk=locked.pk).update(**{change.flag: change.after for change in changes})
        for change in changes:
            setattr(user, change.flag, change.after)
        return FlagChange.objects.bulk_create(changes)
