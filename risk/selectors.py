"""Reads of the rules: the enabled rule set, cached (the decision runs on every application)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from .engine import RuleSpec
from .models import RiskRule

ENABLED_RULES_KEY = "risk:enabled-rules:1"  # bump the suffix when RuleSpec's shape changes
CACHE_SECONDS = 3600


def enabled_rules() -> list[RuleSpec]:
    """The enabled rules in their order; no query while the cache holds them."""
    specs = cache.get(ENABLED_RULES_KEY)
    if specs is None:
        specs = [rule.spec() for rule in RiskRule.objects.filter(enabled=True).order_by("order", "id")]
        cache.set(ENABLED_RULES_KEY, specs, CACHE_SECONDS)
    return specs


def forget_enabled_rules() -> None:
    """Now, and again after commit: a reader between the two cannot keep the old set."""
    cache.delete(ENABLED_RULES_KEY)
    transaction.on_commit(lambda: cache.delete(ENABLED_RULES_KEY))
