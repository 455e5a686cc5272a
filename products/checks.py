"""Checks that apps built on the catalogue add to a product, and the figures they record.

products knows no loan maths: loans builds on the catalogue, never the reverse. So loans
registers its annualised-cost assessment here when it loads (``LoansConfig.ready``), and the
admin's form runs every registered check on a product whose limits are consistent: the
errors refuse the save, the figures are recorded on the product (the worst annualised cost
the product list shows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .rules import ProductLimits


@dataclass(frozen=True)
class Assessment:
    errors: list[str] = field(default_factory=list)  # why the product cannot be saved
    figures: dict = field(default_factory=dict)  # product field → value to record


Check = Callable[[object, ProductLimits], Assessment]

_checks: dict[str, Check] = {}


def register(name: str, check: Check) -> None:
    """Add (or replace) a check under ``name``."""
    _checks[name] = check


def assess(product, limits: ProductLimits) -> Assessment:
    """Every registered check on ``product`` (any object with a product's fields)."""
    errors: list[str] = []
    figures: dict = {}
    for check in _checks.values():
        result = check(product, limits)
        errors.extend(result.errors)
        figures.update(result.figures)
    return Assessment(errors, figures)
