"""The operation log (操作日志, CONTRACT §11): one row per staff change, with the reason.

Rows are Django's admin ``LogEntry``: shown read-only at 消息与页面 → 操作日志 and on each
object's history page. The admin writes the rows of its forms itself (with before → after,
``cashloan.admin_actions.StaffAdminMixin``) and of its actions through
``cashloan.admin_actions.staff_action``; a service that changes what staff may change outside
an admin action calls :func:`log_change` inside its transaction, so the change and its row are
written together.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models

NOTHING = "（空）"


def shown(value: Any) -> str:
    """A value as staff read it in the log."""
    if value is None or value == "":
        return NOTHING
    if value is True:
        return "是"
    if value is False:
        return "否"
    return str(value)


def describe(changes: dict[str, tuple[Any, Any]], reason: str = "", *, verb: str = "") -> str:
    """``审核通过。状态：待审核 → 审核通过。原因：……`` (fields that did not change are left out)."""
    parts = [f"{label}：{shown(before)} → {shown(after)}" for label, (before, after) in changes.items() if before != after]
    text = "；".join(parts)
    if verb:
        text = f"{verb}。{text}" if text else verb
    if reason:
        text = f"{text}。原因：{reason}" if text else f"原因：{reason}"
    return text


def log_staff_action(user, message: str, *, obj=None, model=None, flag: int = CHANGE) -> LogEntry:
    """Record ``message`` against ``obj`` (or, for an action on no one row, against ``model``)."""
    target = obj if obj is not None else model
    return LogEntry.objects.create(
        user_id=user.pk,
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        object_id=str(obj.pk) if obj is not None else None,
        object_repr=(str(obj) if obj is not None else str(model._meta.verbose_name))[:200],
        action_flag=flag,
        change_message=message,
    )


def log_change(
    actor, obj: models.Model, *, changes: dict[str, tuple[Any, Any]] | None = None, reason: str = "", verb: str = "",
    added: bool = False,
) -> LogEntry:
    """One operation-log row: ``actor`` changed ``obj`` (label → (before, after)), because ``reason``."""
    message = describe(changes or {}, reason, verb=verb)
    return log_staff_action(actor, message, obj=obj, flag=ADDITION if added else CHANGE)
