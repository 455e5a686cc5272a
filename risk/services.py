"""Writes of the risk rules: each change validated by its kind and logged with its reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from cashloan.oplog import log_change

from .kinds import Outcome, kind_of
from .models import RiskRule

EDITABLE = ("name", "kind", "params", "outcome", "enabled", "order")


def save_rule(rule: RiskRule | None, *, by, reason: str, **values) -> RiskRule:
    """Create (``rule`` None) or change a rule; ValidationError when the values do not fit its kind.

    ``values`` are the fields of ``EDITABLE`` to set. The reason is required: it goes on the
    rule (the latest) and in the operation log with every field's before → after.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写修改原因"})
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    added = rule is None
    rule = rule or RiskRule()
    before = _described(rule) if not added else {}
    for name, value in values.items():
        setattr(rule, name, value)
    rule.full_clean(exclude=["changed_by", "change_reason"])
    rule.changed_by, rule.change_reason = by, reason[:200]
    with transaction.atomic():
        rule.save()
        after = _described(rule)
        changes = {label: (before.get(label), value) for label, value in after.items()}
        log_change(by, rule, changes=changes, reason=reason, verb="新增规则" if added else "修改规则", added=added)
    return rule


def _described(rule: RiskRule) -> dict[str, object]:
    """The rule's fields as staff read them (labels and values in Chinese)."""
    try:
        kind = kind_of(rule.kind)
        params = kind.summary(rule.params or {})
    except LookupError:
        params = str(rule.params)
    return {
        "规则名称": rule.name,
        "规则类型": rule.kind_label,
        "参数": params,
        "触发后": Outcome.LABELS.get(rule.outcome, rule.outcome),
        "启用": rule.enabled,
        "顺序": rule.order,
    }
