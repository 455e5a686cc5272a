"""The annualised-cost cap (CONTRACT §12): a product's worst allowed combination, and the check
of one quote.

``ANNUAL_COST_CAP`` unset (the default) caps nothing; the worst case is still worked out and
shown for every product. A product's combinations are: each amount at its limits (both ends of
a range, every fixed amount), the highest rate it allows, every term, and every repayment type
with every interval it allows for that term (an interval that does not split the term, or that
breaks a rule of every product, is not a combination). The cost of each is
``loans.amortization.annualized_cost`` of the amount received after the service fee.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from django.conf import settings

from cashloan.money import percent_str
from products import rules
from products.checks import Assessment
from products.rules import Limit, ProductLimits
from products.terms import IntervalUnit, TermUnit

from .amortization import DAYS_PER_COST_YEAR, RATE_PLACES, annualized_cost, surely_costs_less
from .quotes import QuoteRequest, above_cap, loan_terms, service_fee


def describe(combination: QuoteRequest) -> str:
    """``金额 500.00 元，期限 7 日，一次性还本付息，还款间隔 1 日，年化利率 36%``."""
    return (
        f"金额 {combination.amount:.2f} 元，期限 {combination.term_count} {rules.TERM_UNIT_DATA[str(combination.term_unit)]}，"
        f"{rules.REPAY_TYPE_DATA[str(combination.repay_type)]}，"
        f"还款间隔 {combination.interval_count} {rules.REPAY_TERM_UNIT_DATA[str(combination.interval_unit)]}，"
        f"年化利率 {percent_str(combination.rate)}"
    )


@dataclass(frozen=True)
class WorstCost:
    cost: Decimal | None  # None: the customer would receive nothing (no cost exists; worse than any)
    combination: QuoteRequest  # a request the product allows

    def describe(self) -> str:
        figure = "无法计算（到账金额为 0）" if self.cost is None else percent_str(self.cost)
        return f"{figure}（{describe(self.combination)}）"


MAX_RECORDED = Decimal("9999.9999")  # what the product's RateField holds


def assess_product(product, limits: ProductLimits) -> Assessment:
    """The check loans adds to the product form (``products.checks``): the worst cost, recorded
    on the product, and the refusal when it is above ``ANNUAL_COST_CAP``."""
    worst = worst_cost(product, limits)
    if worst is None:
        return Assessment(figures={"worst_annual_cost": None, "worst_cost_terms": ""})
    recorded = worst.cost if worst.cost is not None and worst.cost <= MAX_RECORDED else None
    figures = {"worst_annual_cost": recorded, "worst_cost_terms": worst.describe()[:300]}
    if not above_cap(worst.cost):
        return Assessment(figures=figures)
    error = f"最高年化综合成本 {worst.describe()}超过上限 {percent_str(settings.ANNUAL_COST_CAP)}（ANNUAL_COST_CAP）"
    return Assessment(errors=[error], figures=figures)


def worst_cost(product, limits: ProductLimits | None = None, *, exhaustive: bool = False) -> WorstCost | None:
    """The highest annualised cost over the product's combinations; None when it offers none.

    Ties keep the first combination (shortest term, lowest type and interval, smallest amount).
    Once a worst figure is known, a term and type whose payments, bounded from above, cannot
    reach it even paid every day (or month) are skipped with all their intervals, and so is a
    single combination that cannot (``amortization.surely_costs_less``). Only what is strictly
    cheaper than the worst so far is skipped, so the result is the exhaustive search's
    (``exhaustive=True``, kept for the tests and ``bench/cost_cap_search.py``, where the
    broadest product the admin accepts takes about 10 s exhaustive).
    """
    limits = limits or rules.limits_of(product)
    rate, amounts = _highest(limits.rate), _amounts_at_limits(limits.amount)
    worst: WorstCost | None = None
    threshold: float | None = None  # the daily log rate a combination must reach to matter
    for term_unit, term_count, repay_type in _shapes(limits):
        finest = QuoteRequest(amounts[0], rate, term_count, term_unit, 1, _FINEST_INTERVAL[term_unit], repay_type)
        if threshold is not None and threshold > 0 and all(
            _surely_below(product, replace(finest, amount=amount), threshold) for amount in amounts
        ):
            continue
        for interval_count, interval_unit in _intervals(limits, term_count, term_unit, repay_type):
            for amount in amounts:
                combination = QuoteRequest(amount, rate, term_count, term_unit, interval_count, interval_unit, repay_type)
                received = _received(product, amount)
                if received <= 0:
                    return WorstCost(None, combination)
                if threshold is not None and _surely_below(product, combination, threshold):
                    continue
                cost = annualized_cost(received, loan_terms(product, combination))
                if worst is None or cost > worst.cost:
                    worst = WorstCost(cost, combination)
                    threshold = None if exhaustive else _log_rate_below(cost)
    return worst


# A term's finest split: one-day periods for a day term, one-month periods for a month term.
_FINEST_INTERVAL = {TermUnit.DAY: IntervalUnit.DAY, TermUnit.MONTH: IntervalUnit.MONTH}


def _received(product, amount: Decimal) -> Decimal:
    return amount - service_fee(amount, product.service_fee_rate)


def _surely_below(product, combination: QuoteRequest, threshold: float) -> bool:
    received = _received(product, combination.amount)
    return received > 0 and surely_costs_less(received, loan_terms(product, combination), threshold)


def _log_rate_below(cost: Decimal) -> float | None:
    """A daily log rate under which every cost rounds to less than ``cost`` (a margin of one
    unit of the last place, for the solver's float arithmetic); None when there is none."""
    daily = float(cost - RATE_PLACES) / DAYS_PER_COST_YEAR
    return math.log1p(daily) if daily > -1 else None


def combinations(limits: ProductLimits) -> Iterator[QuoteRequest]:
    rate = _highest(limits.rate)
    amounts = _amounts_at_limits(limits.amount)
    for term_unit, term_count, repay_type in _shapes(limits):
        for interval_count, interval_unit in _intervals(limits, term_count, term_unit, repay_type):
            for amount in amounts:
                yield QuoteRequest(amount, rate, term_count, term_unit, interval_count, interval_unit, repay_type)


def _shapes(limits: ProductLimits) -> Iterator[tuple[int, int, int]]:
    """(term unit, term, repayment type) in the search's order."""
    for term_unit in sorted(limits.term_units):
        for term_count in limits.term_limit(term_unit).candidates():
            for repay_type in sorted(limits.repay_types):
                yield term_unit, term_count, repay_type


def _highest(limit: Limit):
    return max(limit.values) if limit.values is not None else limit.maximum


def _amounts_at_limits(limit: Limit) -> list[Decimal]:
    if limit.values is not None:
        return sorted(set(limit.values))
    return sorted({limit.minimum, limit.maximum})


def _intervals(limits: ProductLimits, term_count: int, term_unit: int, repay_type: int) -> Iterator[tuple[int, int]]:
    """Every allowed (count, unit) that quotes; for type 1 (one payment) just the first, since
    the interval does not change its schedule."""
    for interval_unit in sorted(limits.interval_units):
        for interval_count in _interval_counts(limits, term_count, term_unit, interval_unit, repay_type):
            shape = dict(term_unit=term_unit, interval_unit=interval_unit, repay_type=repay_type)
            if rules.universal_violation(**shape) or limits.shape_violation(term_count=term_count, interval_count=interval_count, **shape):
                continue
            yield interval_count, interval_unit
            if repay_type == 1:
                return


def _interval_counts(limits: ProductLimits, term_count: int, term_unit: int, interval_unit: int, repay_type: int) -> list[int]:
    if limits.interval_counts is not None:
        return sorted(limits.interval_counts)
    if repay_type == 1:
        return [1]  # any count quotes a single payment
    months = {2: 1, 3: 3, 4: 12}.get(interval_unit)
    if term_unit == 1:  # a day term splits only into day intervals
        return _divisors(term_count) if interval_unit == 1 else []
    if months is None or term_count % months:
        return []
    return _divisors(term_count // months)


def _divisors(number: int) -> list[int]:
    small = [d for d in range(1, int(number**0.5) + 1) if number % d == 0]
    return sorted(set(small + [number // d for d in small]))
