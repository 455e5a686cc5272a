"""The loan-term vocabulary (seed §21–§23 dictionaries) and the rules every loan obeys.

One definition of each term unit, repayment interval unit and repayment type, used by the
product rules (``products.rules``), the amortisation maths (``loans.amortization``) and the
models' choices (``loans.models``). Standard library only, so that the maths stays so too.

The rules of every product (CONTRACT §8):

* a month term never takes a day interval (seed ``20004012``);
* equal instalments (type 3) need a month term (``20004015``);
* types 2–4 need the term to split into whole intervals (``20004009``); type 1 pays once at
  maturity and ignores the interval.
"""

from __future__ import annotations

from enum import IntEnum


class _Labelled(IntEnum):
    """An int code with its Chinese label, as the seed's dictionaries write them."""

    label: str

    def __new__(cls, value: int, label: str):
        member = int.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def choices(cls) -> list[tuple[int, str]]:
        """``[(1, "日"), ...]`` for a model field."""
        return [(member.value, member.label) for member in cls]

    @classmethod
    def dictionary(cls) -> dict[str, str]:
        """``{"1": "日", ...}``: the seed §21 ``...Data`` dictionaries."""
        return {str(member.value): member.label for member in cls}

    @classmethod
    def codes(cls) -> frozenset[int]:
        return frozenset(member.value for member in cls)

    @classmethod
    def legend(cls, between: str = "：", separator: str = " ") -> str:
        """``"1：日 2：月"``, for help texts and the API description."""
        return separator.join(f"{member.value}{between}{member.label}" for member in cls)


class TermUnit(_Labelled):
    DAY = 1, "日"
    MONTH = 2, "月"


class IntervalUnit(_Labelled):
    DAY = 1, "日"
    MONTH = 2, "月"
    QUARTER = 3, "季"
    YEAR = 4, "年"


class RepayType(_Labelled):
    BULLET = 1, "一次性还本付息"  # principal and interest in one payment at maturity
    INTEREST_ONLY = 2, "按期还息到期还本"  # interest every period, principal with the last one
    ANNUITY = 3, "等额本息"  # equal instalments
    FLAT = 4, "等本等息"  # equal principal and equal interest


MONTHS_PER_INTERVAL: dict[IntervalUnit, int] = {
    IntervalUnit.MONTH: 1,
    IntervalUnit.QUARTER: 3,
    IntervalUnit.YEAR: 12,
}


def day_interval_on_month_term(term_unit: int, interval_unit: int) -> bool:
    return term_unit == TermUnit.MONTH and interval_unit == IntervalUnit.DAY


def annuity_on_day_term(term_unit: int, repay_type: int) -> bool:
    return term_unit == TermUnit.DAY and repay_type == RepayType.ANNUITY


def interval_length(term_unit: int, interval_count: int, interval_unit: int) -> int | None:
    """One interval in the term's unit (days for a day term, months for a month term);
    None when it cannot be (a month, quarter or year interval on a day term)."""
    if term_unit == TermUnit.DAY:
        return interval_count if interval_unit == IntervalUnit.DAY else None
    months = MONTHS_PER_INTERVAL.get(interval_unit)
    return None if months is None else interval_count * months


def splits_into_whole_periods(term_count: int, term_unit: int, interval_count: int, interval_unit: int, repay_type: int) -> bool:
    """Types 2–4 need the term to divide into whole intervals; type 1 always does."""
    if repay_type == RepayType.BULLET:
        return True
    length = interval_length(term_unit, interval_count, interval_unit)
    return length is not None and term_count % length == 0
