"""A product's limits, parsed from its comma lists, and the rules a product must obey.

Pure functions over any object with the fields of :class:`products.models.Product` (an unsaved
instance in the admin form, a saved one in the quote). Nothing here touches the database.

* ``limits_of(product)`` turns the stored fields into :class:`ProductLimits` (raises
  :class:`ProductRuleError` when the product is inconsistent).
* ``ProductLimits.violation(...)`` answers the first product limit a request breaks, as its
  seed §22.4 code, in CONTRACT §8 order (``20004001`` ... ``20004014``).
* ``universal_violation(...)`` answers the two rules every product shares (``20004012``,
  ``20004015``).
* ``product_errors(product)`` lists, per field, everything the admin must refuse, including
  combinations the product offers but no request could ever quote.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from . import codes
from .terms import IntervalUnit, RepayType, TermUnit, annuity_on_day_term, day_interval_on_month_term, splits_into_whole_periods

# --- the dictionaries of seed §21 / §23 ----------------------------------------------------

TERM_UNIT_DATA = TermUnit.dictionary()
REPAY_TERM_UNIT_DATA = IntervalUnit.dictionary()
REPAY_TYPE_DATA = RepayType.dictionary()
PURPOSE_DATA = {
    "15": "租房",
    "16": "购物",
    "17": "教育/培训",
    "18": "医美",
    "19": "旅游",
    "20": "日常娱乐",
    "21": "短期资金周转",
    "22": "偿还信用卡",
}
OTHER_CHANNELS_DATA = {"01": "无借款", "02": "有，已结清", "03": "有，未结清"}

TERM_UNITS = TermUnit.codes()
INTERVAL_UNITS = IntervalUnit.codes()
REPAY_TYPES = RepayType.codes()

# Sanity bounds for staff input; they also bound the admin's "every combination quotes" search.
MAX_DAYS = 3650
MAX_MONTHS = 360
MAX_AMOUNT = Decimal("999999999999.99")  # MoneyField: 14 digits, 2 places
MAX_RATE = Decimal("9999.9999")  # RateField: 8 digits, 4 places

CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")


class RuleError(ValueError):
    """One value of a product breaks a rule; ``str(error)`` is a Chinese message for staff."""


class ProductRuleError(ValueError):
    """A product as a whole is inconsistent: ``errors`` maps field name → messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in errors.items()))


# --- parsing the comma lists ---------------------------------------------------------------


def split_list(text: str | None) -> list[str]:
    """``"7, 14"`` → ``["7", "14"]``; commas half- or full-width, spaces allowed; empty → []."""
    text = (text or "").replace("，", ",").strip()
    if not text:
        return []
    items = [item.strip() for item in text.split(",")]
    if any(not item for item in items):
        raise RuleError("列表中有空项（多余的逗号）")
    return items


def parse_decimal(text, *, places: Decimal, what: str) -> Decimal:
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise RuleError(f"{what}“{text}”不是数字") from None
    if not value.is_finite():
        raise RuleError(f"{what}“{text}”不是数字")
    if value != value.quantize(places, rounding="ROUND_DOWN"):
        raise RuleError(f"{what}“{text}”小数位数过多")
    return value


def parse_amount(text) -> Decimal:
    value = parse_decimal(text, places=CENT, what="金额")
    if not Decimal(0) < value <= MAX_AMOUNT:
        raise RuleError(f"金额“{text}”须大于 0")
    return value


def parse_rate(text) -> Decimal:
    value = parse_decimal(text, places=RATE_PLACES, what="利率")
    if not Decimal(0) <= value <= MAX_RATE:
        raise RuleError(f"利率“{text}”须不小于 0")
    return value


def parse_count(text) -> int:
    text = str(text).strip()
    if not (text.isascii() and text.isdigit()) or int(text) <= 0:  # "²".isdigit(), but int("²") raises
        raise RuleError(f"“{text}”不是正整数")
    return int(text)


def parse_amounts(text: str | None) -> list[Decimal]:
    return [parse_amount(item) for item in split_list(text)]


def parse_rates(text: str | None) -> list[Decimal]:
    return [parse_rate(item) for item in split_list(text)]


def parse_counts(text: str | None) -> list[int]:
    return [parse_count(item) for item in split_list(text)]


def parse_codes(text: str | None, allowed: Iterable[int]) -> frozenset[int]:
    """An enumeration list (``"1,2"``; ``"01"`` reads as 1): every code must be in ``allowed``."""
    allowed = frozenset(allowed)
    values = frozenset(parse_count(item) for item in split_list(text))
    unknown = sorted(values - allowed)
    if unknown:
        raise RuleError(f"只能取 {','.join(str(v) for v in sorted(allowed))}，不能取 {','.join(map(str, unknown))}")
    return values


# --- limits --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    """A range (``minimum``..``maximum``, inclusive) or a fixed list of ``values``."""

    minimum: Decimal | int | None = None
    maximum: Decimal | int | None = None
    values: tuple | None = None

    def allows(self, value) -> bool:
        if self.values is not None:
            return value in self.values
        return self.minimum <= value <= self.maximum

    def candidates(self) -> Iterator[int]:
        """Every allowed whole value (terms only)."""
        if self.values is not None:
            yield from sorted(set(self.values))
        else:
            yield from range(int(self.minimum), int(self.maximum) + 1)


RANGE, FIXED = 0, 1


def _limit(product, *, kind_field: str, min_field: str, max_field: str, list_field: str, parse_one, parse_many, errors) -> Limit | None:
    """The limit described by four fields, or None after recording what is wrong in ``errors``."""
    kind = getattr(product, kind_field)
    if kind == FIXED:
        try:
            values = parse_many(getattr(product, list_field))
        except RuleError as error:
            errors.setdefault(list_field, []).append(str(error))
            return None
        if not values:
            errors.setdefault(list_field, []).append("固定值类型必须填写至少一个值")
            return None
        return Limit(values=tuple(values))
    if kind != RANGE:
        errors.setdefault(kind_field, []).append("限制类型只能是区间或固定值")
        return None
    bounds = {}
    for field in (min_field, max_field):
        raw = getattr(product, field)
        if raw is None or raw == "":
            errors.setdefault(field, []).append("区间类型必须填写")
            continue
        try:
            bounds[field] = parse_one(raw)
        except RuleError as error:
            errors.setdefault(field, []).append(str(error))
    if len(bounds) < 2:
        return None
    if bounds[min_field] > bounds[max_field]:
        errors.setdefault(max_field, []).append("上限不能小于下限")
        return None
    return Limit(minimum=bounds[min_field], maximum=bounds[max_field])


@dataclass(frozen=True)
class ProductLimits:
    amount: Limit
    rate: Limit
    days: Limit | None  # None when the product offers no day term
    months: Limit | None  # None when the product offers no month term
    term_units: frozenset[int]
    repay_types: frozenset[int]
    interval_units: frozenset[int]
    interval_counts: frozenset[int] | None  # None: any count

    def term_limit(self, term_unit: int) -> Limit | None:
        return self.days if term_unit == TermUnit.DAY else self.months

    def money_violation(self, amount: Decimal, rate: Decimal) -> str | None:
        if not self.amount.allows(amount):
            return codes.AMOUNT_NOT_ALLOWED
        if not self.rate.allows(rate):
            return codes.RATE_NOT_ALLOWED
        return None

    def shape_violation(self, *, term_count: int, term_unit: int, interval_count: int, interval_unit: int, repay_type: int) -> str | None:
        """20004005 … 20004014 in CONTRACT §8 order (the amount and rate aside)."""
        term_limit = self.term_limit(term_unit)
        # A unit the product does not offer answers 20004007 below, not 20004005.
        if term_limit is not None and not term_limit.allows(term_count):
            return codes.TERM_NOT_ALLOWED
        if term_unit not in self.term_units:
            return codes.TERM_UNIT_NOT_ALLOWED
        if self.interval_counts is not None and interval_count not in self.interval_counts:
            return codes.INTERVAL_NOT_ALLOWED
        if not splits_into_whole_periods(term_count, term_unit, interval_count, interval_unit, repay_type):
            return codes.INTERVAL_NOT_ALLOWED
        if interval_unit not in self.interval_units:
            return codes.INTERVAL_UNIT_NOT_ALLOWED
        if repay_type not in self.repay_types:
            return codes.REPAY_TYPE_NOT_ALLOWED
        return None

    def violation(self, *, amount: Decimal, rate: Decimal, term_count: int, term_unit: int, interval_count: int, interval_unit: int, repay_type: int) -> str | None:
        """The first product limit the request breaks (``20004001`` … ``20004014``), or None."""
        return self.money_violation(amount, rate) or self.shape_violation(
            term_count=term_count, term_unit=term_unit, interval_count=interval_count, interval_unit=interval_unit, repay_type=repay_type
        )


def universal_violation(*, term_unit: int, interval_unit: int, repay_type: int) -> str | None:
    """The two rules of every product (CONTRACT §8), whatever the repayment type.

    The amortisation engine ignores the interval of type 1, but the seed's 20004012 names no
    repayment type: a month term never takes a day interval, so the app's choice is simple.
    """
    if day_interval_on_month_term(term_unit, interval_unit):
        return codes.DAY_INTERVAL_ON_MONTH_TERM
    if annuity_on_day_term(term_unit, repay_type):
        return codes.ANNUITY_ON_DAY_TERM
    return None


def limits_of(product) -> ProductLimits:
    """The product's limits; :class:`ProductRuleError` when its fields are inconsistent."""
    errors: dict[str, list[str]] = {}
    limits = _collect_limits(product, errors)
    if errors:
        raise ProductRuleError(errors)
    return limits


def _codes(product, field: str, allowed: frozenset[int], errors) -> frozenset[int]:
    try:
        values = parse_codes(getattr(product, field), allowed)
    except RuleError as error:
        errors.setdefault(field, []).append(str(error))
        return frozenset()
    if not values:
        errors.setdefault(field, []).append("至少选择一项")
    return values


def _collect_limits(product, errors: dict[str, list[str]]) -> ProductLimits | None:
    amount = _limit(
        product, kind_field="amount_limit_type", min_field="single_min_amount", max_field="single_max_amount",
        list_field="single_amounts", parse_one=parse_amount, parse_many=parse_amounts, errors=errors,
    )
    rate = _limit(
        product, kind_field="interest_rate_limit_type", min_field="min_interest_rate", max_field="max_interest_rate",
        list_field="interest_rates", parse_one=parse_rate, parse_many=parse_rates, errors=errors,
    )
    term_units = _codes(product, "term_units", TERM_UNITS, errors)
    days = months = None
    if TermUnit.DAY in term_units:
        days = _term_limit(product, "days", MAX_DAYS, errors)
    if TermUnit.MONTH in term_units:
        months = _term_limit(product, "months", MAX_MONTHS, errors)
    repay_types = _codes(product, "repay_types", REPAY_TYPES, errors)
    interval_units = _codes(product, "repay_term_units", INTERVAL_UNITS, errors)
    interval_counts = None
    try:
        interval_counts = frozenset(parse_counts(product.repay_term_counts)) or None
    except RuleError as error:
        errors.setdefault("repay_term_counts", []).append(str(error))
    if errors:
        return None
    return ProductLimits(amount, rate, days, months, term_units, repay_types, interval_units, interval_counts)


def _term_limit(product, noun: str, maximum: int, errors) -> Limit | None:
    limit = _limit(
        product, kind_field=f"{noun}_limit_type", min_field=f"single_min_{noun}", max_field=f"single_max_{noun}",
        list_field=f"single_{noun}", parse_one=parse_count, parse_many=parse_counts, errors=errors,
    )
    if limit is None:
        return None
    largest = limit.maximum if limit.values is None else max(limit.values)
    if largest > maximum:
        field = f"single_max_{noun}" if limit.values is None else f"single_{noun}"
        errors.setdefault(field, []).append(f"不能超过 {maximum}")
        return None
    return limit


# --- the product as a whole (the admin's validation) ----------------------------------------


def product_errors(product) -> dict[str, list[str]]:
    """Everything wrong with ``product``, per field ("" = the product as a whole)."""
    errors: dict[str, list[str]] = {}
    limits = _collect_limits(product, errors)
    _check_fees(product, errors)
    if limits is None:
        return errors
    _check_defaults(product, limits, errors)
    problems = unquotable_combinations(limits)
    if problems:
        errors.setdefault("", []).extend(problems)
    return errors


def _check_fees(product, errors) -> None:
    fee_rate = product.service_fee_rate
    if fee_rate is not None and not Decimal(0) <= fee_rate < 1:
        errors.setdefault("service_fee_rate", []).append("服务费率须不小于 0 且小于 1")
    if product.period_fee is not None and product.period_fee < 0:
        errors.setdefault("period_fee", []).append("每期费用不能为负")
    if product.penalty_rate is not None and product.penalty_rate < 0:
        errors.setdefault("penalty_rate", []).append("罚息利率不能为负")


def _check_default(product, field: str, limit: Limit | None, errors) -> None:
    value = getattr(product, field)
    if limit is None:
        return
    if value is None or value == "":
        errors.setdefault(field, []).append("必须填写")
    elif not limit.allows(value):
        errors.setdefault(field, []).append("默认值不在允许范围内")


def _check_defaults(product, limits: ProductLimits, errors) -> None:
    _check_default(product, "single_default_amount", limits.amount, errors)
    _check_default(product, "default_interest_rate", limits.rate, errors)
    _check_default(product, "single_default_days", limits.days, errors)
    _check_default(product, "single_default_months", limits.months, errors)
    if product.default_repay_term_unit not in limits.interval_units:
        errors.setdefault("default_repay_term_unit", []).append("默认还款间隔单位不在允许的还款间隔单位中")
    if limits.interval_counts is not None and product.default_repay_term_count not in limits.interval_counts:
        errors.setdefault("default_repay_term_count", []).append("默认还款间隔不在允许的还款间隔中")


def _interval_candidates(limits: ProductLimits, term_count: int) -> Iterator[tuple[int, int]]:
    """(count, unit) pairs worth trying: the allowed counts, or the ones that could divide the term."""
    counts = limits.interval_counts or {c for c in (1, term_count, term_count // 3, term_count // 12) if c > 0}
    for unit in sorted(limits.interval_units):
        for count in sorted(counts):
            yield count, unit


def unquotable_combinations(limits: ProductLimits, *, report_at_most: int = 5) -> list[str]:
    """Each (term, repayment type) the product offers that no allowed interval can quote."""
    problems: list[str] = []
    for term_unit in sorted(limits.term_units):
        for term_count in limits.term_limit(term_unit).candidates():
            for repay_type in sorted(limits.repay_types):
                if not _quotable(limits, term_count, term_unit, repay_type):
                    problems.append(
                        f"借贷期限 {term_count}{TERM_UNIT_DATA[str(term_unit)]} 与还款方式"
                        f"“{REPAY_TYPE_DATA[str(repay_type)]}”的组合无法申请（没有可用的还款间隔）"
                    )
                    if len(problems) >= report_at_most:
                        return problems
    return problems


def _quotable(limits: ProductLimits, term_count: int, term_unit: int, repay_type: int) -> bool:
    for interval_count, interval_unit in _interval_candidates(limits, term_count):
        request = dict(term_unit=term_unit, interval_unit=interval_unit, repay_type=repay_type)
        if universal_violation(**request) is None and limits.shape_violation(
            term_count=term_count, interval_count=interval_count, **request
        ) is None:
            return True
    return False
