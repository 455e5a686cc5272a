"""Tests for loans.amortization.

Expected figures are worked out by hand (in comments) or with an independent
formula in the test, never with the module's own helpers.
"""

from __future__ import annotations

import ast
import math
import sys
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cashloan import money as cashloan_money
from loans import amortization
from products import terms as vocabulary
from loans.amortization import (
    AnnuityOnDayTerm,
    DayIntervalOnMonthTerm,
    IntervalUnit,
    LoanTerms,
    NotWholePeriods,
    Period,
    PeriodState,
    RepayType,
    TermUnit,
    add_months,
    build_schedule,
    check_periods,
    overdue_penalty,
    payoff_breakdown,
    period_count,
    quantize_money,
    schedule_totals,
)

D = Decimal
DAY, MONTH = TermUnit.DAY, TermUnit.MONTH
I_DAY, I_MONTH, I_QUARTER, I_YEAR = (
    IntervalUnit.DAY,
    IntervalUnit.MONTH,
    IntervalUnit.QUARTER,
    IntervalUnit.YEAR,
)
BULLET, INTEREST_ONLY, ANNUITY, FLAT = (
    RepayType.BULLET,
    RepayType.INTEREST_ONLY,
    RepayType.ANNUITY,
    RepayType.FLAT,
)
DISBURSED = date(2024, 1, 15)


def terms(
    amount: str,
    rate: str,
    term: int,
    term_unit: TermUnit,
    repay_type: RepayType,
    interval: int = 1,
    interval_unit: IntervalUnit = IntervalUnit.MONTH,
    fee: str = "0.00",
) -> LoanTerms:
    return LoanTerms(
        amount=D(amount),
        annual_rate=D(rate),
        term_count=term,
        term_unit=term_unit,
        repay_type=repay_type,
        interval_count=interval,
        interval_unit=interval_unit,
        period_fee=D(fee),
    )


def column(periods: list[Period], name: str) -> list[Decimal]:
    return [getattr(p, name) for p in periods]


def money(values: list[str]) -> list[Decimal]:
    return [D(v) for v in values]


# ---------------------------------------------------------------------------
# Module hygiene and rounding
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("module, allowed", [(amortization, {"products.terms"}), (vocabulary, set())], ids=["amortization", "terms"])
def test_module_imports_only_the_standard_library(module, allowed: set[str]) -> None:
    """The maths imports the standard library and the vocabulary, itself standard library only."""
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    outside = {name for name in imported if name.split(".")[0] not in sys.stdlib_module_names | {"__future__"}}
    assert outside == allowed
    assert "django" not in {name.split(".")[0] for name in imported}


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0.005", "0.01"),  # half-up, not banker's rounding
        ("2.675", "2.68"),
        ("2.665", "2.67"),
        ("1.004999", "1.00"),
        ("-0.005", "-0.01"),  # ties go away from zero
        ("7", "7.00"),
    ],
)
def test_quantize_money_rounds_half_up_to_cents(value: str, expected: str) -> None:
    result = quantize_money(D(value))
    assert result == D(expected)
    assert result.as_tuple().exponent == -2


@given(st.decimals(min_value=-10**9, max_value=10**9, allow_nan=False, allow_infinity=False, places=6))
def test_the_maths_rounds_money_as_cashloan_money_does(value: Decimal) -> None:
    """The maths keeps its own copy of the rounding (standard library only): the same one."""
    assert quantize_money(value) == cashloan_money.quantize_money(value)
    assert quantize_money(value).as_tuple() == cashloan_money.quantize_money(value).as_tuple()


# ---------------------------------------------------------------------------
# add_months
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (date(2023, 1, 31), 1, date(2023, 2, 28)),  # clamp to February's end
        (date(2023, 1, 31), 2, date(2023, 3, 31)),  # from the original day again
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2023, 11, 30), 3, date(2024, 2, 29)),  # across the year end, leap
        (date(2023, 12, 15), 1, date(2024, 1, 15)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 5, 10), 0, date(2024, 5, 10)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_month_schedule_clamps_each_due_date_from_disbursement() -> None:
    # Disbursed Jan 31 (non-leap 2023), monthly: Feb 28, then Mar 31 (not Mar 28), Apr 30.
    periods = build_schedule(terms("900.00", "0.12", 3, MONTH, FLAT, 1, I_MONTH), date(2023, 1, 31))
    assert column(periods, "due_date") == [date(2023, 2, 28), date(2023, 3, 31), date(2023, 4, 30)]
    assert column(periods, "start_date") == [date(2023, 1, 31), date(2023, 2, 28), date(2023, 3, 31)]


def test_leap_year_schedule_due_on_february_29() -> None:
    periods = build_schedule(terms("900.00", "0.12", 2, MONTH, FLAT, 1, I_MONTH), date(2024, 1, 31))
    assert column(periods, "due_date") == [date(2024, 2, 29), date(2024, 3, 31)]


# ---------------------------------------------------------------------------
# Type 1: one payment at maturity
# ---------------------------------------------------------------------------


def test_bullet_day_term_500_at_36_percent_for_14_days() -> None:
    # 500 x 0.36 x 14 / 360 = 2520 / 360 = 7.00
    periods = build_schedule(terms("500.00", "0.36", 14, DAY, BULLET), DISBURSED)
    assert len(periods) == 1
    (only,) = periods
    assert (only.number, only.start_date, only.due_date) == (1, DISBURSED, DISBURSED + timedelta(days=14))
    assert (only.principal, only.interest, only.fee) == (D("500.00"), D("7.00"), D("0.00"))
    assert only.total == D("507.00")


def test_bullet_month_term_three_months() -> None:
    # 1000 x 0.24 / 12 x 3 = 1000 x 0.02 x 3 = 60.00; due Jan 31 + 3 months = Apr 30.
    periods = build_schedule(terms("1000.00", "0.24", 3, MONTH, BULLET), date(2024, 1, 31))
    assert len(periods) == 1
    assert periods[0].due_date == date(2024, 4, 30)
    assert (periods[0].principal, periods[0].interest) == (D("1000.00"), D("60.00"))


def test_bullet_interest_rounds_half_up() -> None:
    # 1000 x 0.10 x 7 / 360 = 1.94444... -> 1.94 ; 100.00 x 0.36 x 5 / 360 = 0.50
    # 1.00 x 0.36 x 5 / 360 = 0.005 -> 0.01 (half-up)
    assert build_schedule(terms("1000.00", "0.10", 7, DAY, BULLET), DISBURSED)[0].interest == D("1.94")
    assert build_schedule(terms("1.00", "0.36", 5, DAY, BULLET), DISBURSED)[0].interest == D("0.01")


@pytest.mark.parametrize(
    "interval, interval_unit",
    [(7, I_DAY), (5, I_DAY), (0, I_DAY), (1, I_MONTH), (-3, I_YEAR)],
)
def test_bullet_ignores_the_interval(interval: int, interval_unit: IntervalUnit) -> None:
    # 30 days does not divide into 7-day intervals, but type 1 is always one period.
    loan = terms("500.00", "0.36", 30, DAY, BULLET, interval, interval_unit)
    assert period_count(loan) == 1
    # 500 x 0.36 x 30 / 360 = 15.00
    assert build_schedule(loan, DISBURSED)[0].interest == D("15.00")


# ---------------------------------------------------------------------------
# Type 2: interest every period, principal at the end
# ---------------------------------------------------------------------------


def test_interest_only_day_term_28_days_weekly() -> None:
    # 1000 x 0.36 x 7 / 360 = 7.00 per week, 4 weeks.
    periods = build_schedule(terms("1000.00", "0.36", 28, DAY, INTEREST_ONLY, 7, I_DAY), DISBURSED)
    assert column(periods, "number") == [1, 2, 3, 4]
    assert column(periods, "due_date") == [DISBURSED + timedelta(days=7 * k) for k in (1, 2, 3, 4)]
    assert column(periods, "start_date") == [DISBURSED + timedelta(days=7 * k) for k in (0, 1, 2, 3)]
    assert column(periods, "principal") == money(["0.00", "0.00", "0.00", "1000.00"])
    assert column(periods, "interest") == money(["7.00"] * 4)
    assert column(periods, "total") == money(["7.00", "7.00", "7.00", "1007.00"])


def test_interest_only_month_term_monthly() -> None:
    # 1200 x 0.18 / 12 = 18.00 per month for 6 months -> 108.00 interest.
    periods = build_schedule(terms("1200.00", "0.18", 6, MONTH, INTEREST_ONLY, 1, I_MONTH), DISBURSED)
    assert column(periods, "interest") == money(["18.00"] * 6)
    assert column(periods, "principal") == money(["0.00"] * 5 + ["1200.00"])
    totals = schedule_totals(periods)
    assert (totals.principal, totals.interest, totals.fee, totals.total) == (
        D("1200.00"),
        D("108.00"),
        D("0.00"),
        D("1308.00"),
    )


def test_interest_only_each_period_rounded_separately() -> None:
    # 1000 x 0.10 / 12 = 8.3333... -> 8.33 every month (3 x 8.33 = 24.99).
    periods = build_schedule(terms("1000.00", "0.10", 3, MONTH, INTEREST_ONLY, 1, I_MONTH), DISBURSED)
    assert column(periods, "interest") == money(["8.33", "8.33", "8.33"])


def test_interest_only_quarterly() -> None:
    # 12 months / quarter = 4 periods; 2000 x 0.12 / 12 x 3 = 60.00 each.
    # Due dates: Jan 15 + 3, 6, 9, 12 months.
    periods = build_schedule(terms("2000.00", "0.12", 12, MONTH, INTEREST_ONLY, 1, I_QUARTER), DISBURSED)
    assert column(periods, "due_date") == [
        date(2024, 4, 15),
        date(2024, 7, 15),
        date(2024, 10, 15),
        date(2025, 1, 15),
    ]
    assert column(periods, "interest") == money(["60.00"] * 4)


def test_interest_only_yearly() -> None:
    # 24 months / 1 year = 2 periods; 5000 x 0.08 / 12 x 12 = 400.00 each.
    periods = build_schedule(terms("5000.00", "0.08", 24, MONTH, INTEREST_ONLY, 1, I_YEAR), date(2024, 2, 29))
    assert column(periods, "due_date") == [date(2025, 2, 28), date(2026, 2, 28)]
    assert column(periods, "interest") == money(["400.00", "400.00"])
    assert column(periods, "principal") == money(["0.00", "5000.00"])


# ---------------------------------------------------------------------------
# Type 3: equal instalments (annuity)
# ---------------------------------------------------------------------------

# 10000 at 12 %/year for 12 months, r = 0.01:
# instalment = 10000 x 0.01 / (1 - 1.01^-12) = 888.4879 -> 888.49
# k  remaining  interest=round(rem x 0.01)  principal=888.49-interest
# 1  10000.00   100.00                      788.49
# 2   9211.51    92.12 (92.1151)            796.37
# 3   8415.14    84.15 (84.1514)            804.34
# ...
# 12   879.67     8.80 (8.7967)             879.67 (= remaining) -> 888.47
ANNUITY_INTEREST = money(
    ["100.00", "92.12", "84.15", "76.11", "67.98", "59.78"]
    + ["51.49", "43.12", "34.67", "26.13", "17.51", "8.80"]
)
ANNUITY_PRINCIPAL = money(
    ["788.49", "796.37", "804.34", "812.38", "820.51", "828.71"]
    + ["837.00", "845.37", "853.82", "862.36", "870.98", "879.67"]
)


def test_annuity_10000_at_12_percent_for_12_months() -> None:
    periods = build_schedule(terms("10000.00", "0.12", 12, MONTH, ANNUITY, 1, I_MONTH), DISBURSED)
    assert column(periods, "interest") == ANNUITY_INTEREST
    assert column(periods, "principal") == ANNUITY_PRINCIPAL
    assert column(periods, "total") == money(["888.49"] * 11 + ["888.47"])
    totals = schedule_totals(periods)
    # 11 x 888.49 + 888.47 = 10661.86 ; interest = 10661.86 - 10000 = 661.86
    assert (totals.principal, totals.interest, totals.total) == (D("10000.00"), D("661.86"), D("10661.86"))


def test_annuity_instalment_by_independent_formula() -> None:
    # 3000 at 18 %, 6 months: r = 0.015; instalment = 3000 r / (1 - 1.015^-6)
    rate = 0.015
    expected = D(repr(3000 * rate / (1 - (1 + rate) ** -6))).quantize(D("0.01"), ROUND_HALF_UP)
    assert expected == D("526.58")  # 526.576...
    periods = build_schedule(terms("3000.00", "0.18", 6, MONTH, ANNUITY, 1, I_MONTH), DISBURSED)
    assert column(periods, "total")[:-1] == [expected] * 5
    assert periods[0].interest == D("45.00")  # 3000 x 0.015


def test_annuity_quarterly_uses_quarter_rate() -> None:
    # 4000 at 12 %, 12 months, quarterly: r = 0.03, n = 4.
    # instalment = 4000 x 0.03 / (1 - 1.03^-4) = 1076.108... -> 1076.11; first interest 120.00
    periods = build_schedule(terms("4000.00", "0.12", 12, MONTH, ANNUITY, 1, I_QUARTER), DISBURSED)
    assert len(periods) == 4
    assert periods[0].interest == D("120.00")
    assert periods[0].total == D("1076.11")


def test_annuity_at_zero_rate_splits_the_amount() -> None:
    # 1000 / 3 = 333.33 per instalment, last takes 333.34, no interest.
    periods = build_schedule(terms("1000.00", "0", 3, MONTH, ANNUITY, 1, I_MONTH), DISBURSED)
    assert column(periods, "principal") == money(["333.33", "333.33", "333.34"])
    assert column(periods, "interest") == money(["0.00"] * 3)


# ---------------------------------------------------------------------------
# Type 4: equal principal, equal interest (flat)
# ---------------------------------------------------------------------------


def test_flat_month_term_cents_do_not_divide() -> None:
    # Principal 1000 / 3 = 333.33, 333.33, 333.34.
    # Interest total = 1000 x 0.10 / 12 x 3 = 25.00; per period 8.333 -> 8.33; last 25.00 - 16.66 = 8.34.
    periods = build_schedule(terms("1000.00", "0.10", 3, MONTH, FLAT, 1, I_MONTH), DISBURSED)
    assert column(periods, "principal") == money(["333.33", "333.33", "333.34"])
    assert column(periods, "interest") == money(["8.33", "8.33", "8.34"])
    totals = schedule_totals(periods)
    assert (totals.principal, totals.interest, totals.total) == (D("1000.00"), D("25.00"), D("1025.00"))


def test_flat_total_interest_rounded_once() -> None:
    # 100 at 0.10 for 3 months: total = 100 x 0.10 / 12 x 3 = 2.50 exactly;
    # per period 0.8333 -> 0.83; last = 2.50 - 1.66 = 0.84.
    periods = build_schedule(terms("100.00", "0.10", 3, MONTH, FLAT, 1, I_MONTH), DISBURSED)
    assert column(periods, "interest") == money(["0.83", "0.83", "0.84"])


def test_flat_day_term() -> None:
    # 900 at 0.36, 30 days, 10-day interval: principal 300 x 3,
    # interest 900 x 0.36 x 10 / 360 = 9.00 per period, 27.00 in all.
    periods = build_schedule(terms("900.00", "0.36", 30, DAY, FLAT, 10, I_DAY), DISBURSED)
    assert column(periods, "due_date") == [DISBURSED + timedelta(days=d) for d in (10, 20, 30)]
    assert column(periods, "principal") == money(["300.00"] * 3)
    assert column(periods, "interest") == money(["9.00"] * 3)


def test_flat_quarterly_on_a_year() -> None:
    # 1000 at 0.12, 12 months, quarterly: 4 periods, principal 250.00,
    # interest 1000 x 0.12 / 12 x 3 = 30.00 each (total 120.00).
    periods = build_schedule(terms("1000.00", "0.12", 12, MONTH, FLAT, 1, I_QUARTER), DISBURSED)
    assert column(periods, "principal") == money(["250.00"] * 4)
    assert column(periods, "interest") == money(["30.00"] * 4)


def test_period_fee_on_every_period() -> None:
    # Flat 600 at 0.12 for 3 months: principal 200, interest 600 x 0.01 = 6.00, fee 5.00.
    periods = build_schedule(terms("600.00", "0.12", 3, MONTH, FLAT, 1, I_MONTH, fee="5.00"), DISBURSED)
    assert column(periods, "fee") == money(["5.00"] * 3)
    assert column(periods, "total") == money(["211.00"] * 3)
    totals = schedule_totals(periods)
    assert (totals.fee, totals.total) == (D("15.00"), D("633.00"))


# ---------------------------------------------------------------------------
# Period counts and validation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "loan, expected",
    [
        (terms("100.00", "0.1", 28, DAY, INTEREST_ONLY, 7, I_DAY), 4),
        (terms("100.00", "0.1", 30, DAY, FLAT, 30, I_DAY), 1),
        (terms("100.00", "0.1", 12, MONTH, FLAT, 1, I_MONTH), 12),
        (terms("100.00", "0.1", 12, MONTH, FLAT, 2, I_MONTH), 6),
        (terms("100.00", "0.1", 12, MONTH, ANNUITY, 1, I_QUARTER), 4),
        (terms("100.00", "0.1", 12, MONTH, ANNUITY, 2, I_QUARTER), 2),
        (terms("100.00", "0.1", 36, MONTH, INTEREST_ONLY, 1, I_YEAR), 3),
        (terms("100.00", "0.1", 14, DAY, BULLET, 99, I_YEAR), 1),
    ],
)
def test_period_count(loan: LoanTerms, expected: int) -> None:
    assert period_count(loan) == expected


@pytest.mark.parametrize(
    "loan, error",
    [
        (terms("100.00", "0.1", 30, DAY, INTEREST_ONLY, 7, I_DAY), NotWholePeriods),
        (terms("100.00", "0.1", 28, DAY, FLAT, 1, I_MONTH), NotWholePeriods),  # day term, month interval
        (terms("100.00", "0.1", 10, MONTH, FLAT, 1, I_QUARTER), NotWholePeriods),
        (terms("100.00", "0.1", 6, MONTH, INTEREST_ONLY, 1, I_YEAR), NotWholePeriods),
        (terms("100.00", "0.1", 12, MONTH, FLAT, 5, I_MONTH), NotWholePeriods),
        (terms("100.00", "0.1", 3, MONTH, INTEREST_ONLY, 30, I_DAY), DayIntervalOnMonthTerm),
        (terms("100.00", "0.1", 3, MONTH, FLAT, 7, I_DAY), DayIntervalOnMonthTerm),
        (terms("100.00", "0.1", 28, DAY, ANNUITY, 7, I_DAY), AnnuityOnDayTerm),
        # 30 days do not split into weeks either; the annuity check comes first.
        (terms("100.00", "0.1", 30, DAY, ANNUITY, 7, I_DAY), AnnuityOnDayTerm),
    ],
)
def test_schedule_rule_errors(loan: LoanTerms, error: type[Exception]) -> None:
    with pytest.raises(error):
        check_periods(loan)
    with pytest.raises(error):
        period_count(loan)
    with pytest.raises(error):
        build_schedule(loan, DISBURSED)


@pytest.mark.parametrize(
    "loan",
    [
        terms("0.00", "0.1", 14, DAY, BULLET),
        terms("-100.00", "0.1", 14, DAY, BULLET),
        terms("100.00", "0.1", 0, DAY, BULLET),
        terms("100.00", "0.1", -3, MONTH, FLAT, 1, I_MONTH),
        terms("100.00", "0.1", 28, DAY, INTEREST_ONLY, 0, I_DAY),
        terms("100.00", "0.1", 12, MONTH, FLAT, -1, I_MONTH),
        terms("100.00", "-0.1", 14, DAY, BULLET),
        terms("100.00", "0.1", 14, DAY, BULLET, fee="-1.00"),
        terms("100.005", "0.1", 14, DAY, BULLET),
    ],
)
def test_invalid_numbers_raise_value_error(loan: LoanTerms) -> None:
    with pytest.raises(ValueError):
        period_count(loan)


def test_unknown_unit_codes_raise_value_error() -> None:
    with pytest.raises(ValueError):
        LoanTerms(D("100.00"), D("0.1"), 14, 3, 1, 1, 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        LoanTerms(D("100.00"), D("0.1"), 14, 1, 5, 1, 1)  # type: ignore[arg-type]


def test_plain_int_codes_are_accepted() -> None:
    loan = LoanTerms(D("500.00"), D("0.36"), 14, 1, 1, 1, 1)  # type: ignore[arg-type]
    assert loan.term_unit is TermUnit.DAY and loan.repay_type is RepayType.BULLET
    assert build_schedule(loan, DISBURSED)[0].interest == D("7.00")


# ---------------------------------------------------------------------------
# Overdue penalty
# ---------------------------------------------------------------------------

DUE = date(2024, 3, 1)


@pytest.mark.parametrize(
    "as_of, expected",
    [
        (DUE - timedelta(days=5), "0.00"),  # not yet due
        (DUE, "0.00"),  # due by the end of the due date
        (DUE + timedelta(days=1), "0.75"),  # 500 x 0.54 x 1 / 360
        (DUE + timedelta(days=10), "7.50"),  # 500 x 0.54 x 10 / 360 = 2700 / 360
        (DUE + timedelta(days=30), "22.50"),
    ],
)
def test_overdue_penalty(as_of: date, expected: str) -> None:
    assert overdue_penalty(D("500.00"), D("0.54"), DUE, as_of) == D(expected)


def test_overdue_penalty_is_pure_and_rounds_half_up() -> None:
    as_of = DUE + timedelta(days=10)
    first = overdue_penalty(D("500.00"), D("0.54"), DUE, as_of)
    assert overdue_penalty(D("500.00"), D("0.54"), DUE, as_of) == first == D("7.50")
    # 333.33 x 0.5 x 1 / 360 = 0.46296 -> 0.46 ; 1.00 x 0.36 x 5 / 360 = 0.005 -> 0.01
    assert overdue_penalty(D("333.33"), D("0.5"), DUE, DUE + timedelta(days=1)) == D("0.46")
    assert overdue_penalty(D("1.00"), D("0.36"), DUE, DUE + timedelta(days=5)) == D("0.01")


# ---------------------------------------------------------------------------
# Payoff
# ---------------------------------------------------------------------------

# Flat loan 3000 at 0.24 for 3 months from 2024-01-15, fee 2.00 per period:
# principal 1000.00, interest 3000 x 0.02 = 60.00, fee 2.00; due Feb 15, Mar 15, Apr 15.
# Period 1 spans 31 days (Jan 15 -> Feb 15), period 2 29 days (Feb 15 -> Mar 15, leap year).
PAYOFF_DATES = [
    (date(2024, 1, 15), date(2024, 2, 15)),
    (date(2024, 2, 15), date(2024, 3, 15)),
    (date(2024, 3, 15), date(2024, 4, 15)),
]


def payoff_states(paid: tuple[bool, bool, bool]) -> list[PeriodState]:
    return [
        PeriodState(n, start, due, D("1000.00"), D("60.00"), D("2.00"), is_paid)
        for n, ((start, due), is_paid) in enumerate(zip(PAYOFF_DATES, paid), start=1)
    ]


def test_schedule_matches_payoff_fixture() -> None:
    periods = build_schedule(terms("3000.00", "0.24", 3, MONTH, FLAT, 1, I_MONTH, fee="2.00"), DISBURSED)
    assert [(p.start_date, p.due_date) for p in periods] == PAYOFF_DATES
    assert {(p.principal, p.interest, p.fee) for p in periods} == {(D("1000.00"), D("60.00"), D("2.00"))}


def test_payoff_mid_second_period() -> None:
    # Period 1 paid; today Feb 25: 10 of 29 days elapsed -> 60 x 10 / 29 = 20.6896 -> 20.69.
    result = payoff_breakdown(payoff_states((True, False, False)), date(2024, 2, 25), D("0.54"))
    assert [line.number for line in result.lines] == [2, 3]
    current, later = result.lines
    assert (current.principal, current.interest, current.fee, current.penalty, current.total) == (
        D("1000.00"),
        D("20.69"),
        D("2.00"),
        D("0.00"),
        D("1022.69"),
    )
    assert (later.principal, later.interest, later.fee, later.penalty, later.total) == (
        D("1000.00"),
        D("0.00"),
        D("0.00"),
        D("0.00"),
        D("1000.00"),
    )
    assert (result.principal, result.interest, result.fee, result.penalty, result.total) == (
        D("2000.00"),
        D("20.69"),
        D("2.00"),
        D("0.00"),
        D("2022.69"),
    )


def test_payoff_with_an_overdue_period() -> None:
    # Period 1 unpaid, 10 days overdue on Feb 25: 1000 + 60 + 2 + 1000 x 0.54 x 10 / 360 (15.00) = 1077.00.
    # Period 2 current: 1000 + 20.69 + 2 = 1022.69. Period 3: 1000.00. Total 3099.69.
    result = payoff_breakdown(payoff_states((False, False, False)), date(2024, 2, 25), D("0.54"))
    overdue = result.lines[0]
    assert (overdue.number, overdue.interest, overdue.fee, overdue.penalty, overdue.total) == (
        1,
        D("60.00"),
        D("2.00"),
        D("15.00"),
        D("1077.00"),
    )
    assert [line.total for line in result.lines] == money(["1077.00", "1022.69", "1000.00"])
    assert (result.principal, result.interest, result.fee, result.penalty, result.total) == (
        D("3000.00"),
        D("80.69"),
        D("4.00"),
        D("15.00"),
        D("3099.69"),
    )


def test_payoff_period_due_today_is_paid_in_full_without_penalty() -> None:
    # Period 1 due Feb 15 = today: 1062.00, no penalty. Period 2 starts today -> minimum one day:
    # 60 x 1 / 29 = 2.0689 -> 2.07, so 1000 + 2.07 + 2.00 = 1004.07.
    result = payoff_breakdown(payoff_states((False, False, False)), date(2024, 2, 15), D("0.54"))
    assert [line.total for line in result.lines] == money(["1062.00", "1004.07", "1000.00"])
    assert result.lines[1].interest == D("2.07")
    assert result.penalty == D("0.00")


@pytest.mark.parametrize(
    "today, expected_interest",
    [
        (date(2024, 1, 15), "1.94"),  # disbursement day: minimum one day, 60 x 1 / 31 = 1.935
        (date(2024, 1, 16), "1.94"),  # one day elapsed
        (date(2024, 1, 25), "19.35"),  # 60 x 10 / 31 = 19.354
        (date(2024, 2, 14), "58.06"),  # 60 x 30 / 31 = 58.064
    ],
)
def test_payoff_in_first_period_minimum_one_day(today: date, expected_interest: str) -> None:
    result = payoff_breakdown(payoff_states((False, False, False)), today, D("0.54"))
    assert result.lines[0].interest == D(expected_interest)
    assert result.interest == D(expected_interest)
    assert result.fee == D("2.00")
    assert result.principal == D("3000.00")


def test_payoff_after_maturity_pays_everything_with_penalties() -> None:
    # Apr 25: period 2 is 41 days overdue (Mar 15 -> Apr 25), period 3 10 days.
    # Penalties: 1000 x 0.54 x 41 / 360 = 61.50 ; 1000 x 0.54 x 10 / 360 = 15.00
    result = payoff_breakdown(payoff_states((True, False, False)), date(2024, 4, 25), D("0.54"))
    assert [line.penalty for line in result.lines] == money(["61.50", "15.00"])
    assert result.total == D("2000.00") + D("124.00") + D("76.50")


def test_payoff_all_paid_is_empty() -> None:
    result = payoff_breakdown(payoff_states((True, True, True)), date(2024, 2, 25), D("0.54"))
    assert result.lines == ()
    assert result.total == D("0.00")


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, database=None)
MONTH_INTERVAL_UNITS = [I_MONTH, I_QUARTER, I_YEAR]
MONTHS_IN = {I_MONTH: 1, I_QUARTER: 3, I_YEAR: 12}

amounts = st.integers(min_value=1, max_value=10**9).map(lambda cents: D(cents) / 100)
rates = st.integers(min_value=0, max_value=30000).map(lambda basis_points: D(basis_points) / 10000)
fees = st.integers(min_value=0, max_value=10000).map(lambda cents: D(cents) / 100)


@st.composite
def valid_loans(
    draw: st.DrawFn, repay_types: tuple[RepayType, ...] = tuple(RepayType)
) -> tuple[LoanTerms, int]:
    """A valid LoanTerms and its expected number of periods (term / interval)."""
    repay_type = draw(st.sampled_from(repay_types))
    term_unit = MONTH if repay_type == ANNUITY else draw(st.sampled_from(list(TermUnit)))
    if repay_type == BULLET:
        term = draw(st.integers(1, 400 if term_unit == DAY else 60))
        loan_periods = 1  # the interval is ignored, whatever it is
        interval, interval_unit = draw(st.integers(-5, 5)), draw(st.sampled_from(list(IntervalUnit)))
    elif term_unit == DAY:
        interval, loan_periods, interval_unit = draw(st.integers(1, 30)), draw(st.integers(1, 36)), I_DAY
        term = interval * loan_periods
    else:
        interval_unit = draw(st.sampled_from(MONTH_INTERVAL_UNITS))
        interval, loan_periods = draw(st.integers(1, 3)), draw(st.integers(1, 24))
        term = interval * MONTHS_IN[interval_unit] * loan_periods
    loan = LoanTerms(
        amount=draw(amounts),
        annual_rate=draw(rates),
        term_count=term,
        term_unit=term_unit,
        repay_type=repay_type,
        interval_count=interval,
        interval_unit=interval_unit,
        period_fee=draw(fees),
    )
    return loan, loan_periods


def with_rate(loan: LoanTerms, rate: Decimal) -> LoanTerms:
    return LoanTerms(**{**vars(loan), "annual_rate": rate})


def total_interest(loan: LoanTerms) -> Decimal:
    return sum((p.interest for p in build_schedule(loan, DISBURSED)), D(0))


def half_up_cents(value: Fraction) -> int:
    """A non-negative amount of cents (as an exact fraction) rounded half-up."""
    return math.floor(value + Fraction(1, 2))


def reference_annuity(loan: LoanTerms) -> list[tuple[Decimal, Decimal]]:
    """Independent annuity in exact fractions and integer cents: (principal, interest) per period."""
    months = loan.interval_count * MONTHS_IN[loan.interval_unit]
    count = loan.term_count // months
    rate = Fraction(loan.annual_rate) * months / 12
    remaining = int(loan.amount * 100)
    if rate == 0:
        instalment = half_up_cents(Fraction(remaining, count))
    else:
        instalment = half_up_cents(remaining * rate / (1 - (1 + rate) ** -count))
    parts = []
    for number in range(1, count + 1):
        interest = half_up_cents(remaining * rate)
        principal = remaining if number == count else min(instalment - interest, remaining)
        parts.append((D(principal) / 100, D(interest) / 100))
        remaining -= principal
    return parts


@PROPERTY_SETTINGS
@given(valid_loans())
def test_property_principal_sums_to_amount(case: tuple[LoanTerms, int]) -> None:
    loan, _ = case
    periods = build_schedule(loan, DISBURSED)
    assert sum((p.principal for p in periods), D(0)) == loan.amount


@PROPERTY_SETTINGS
@given(valid_loans())
def test_property_no_negative_parts_and_cents_only(case: tuple[LoanTerms, int]) -> None:
    loan, _ = case
    for period in build_schedule(loan, DISBURSED):
        for part in (period.principal, period.interest, period.fee):
            assert part >= 0
            assert part == part.quantize(D("0.01"))


@PROPERTY_SETTINGS
@given(valid_loans())
def test_property_period_count_is_term_over_interval(case: tuple[LoanTerms, int]) -> None:
    loan, expected = case
    periods = build_schedule(loan, DISBURSED)
    assert period_count(loan) == len(periods) == expected
    assert [p.number for p in periods] == list(range(1, expected + 1))
    assert all(p.start_date < p.due_date for p in periods)
    assert all(a.due_date == b.start_date for a, b in zip(periods, periods[1:]))


@PROPERTY_SETTINGS
@given(valid_loans(repay_types=(BULLET, INTEREST_ONLY, FLAT)), rates, rates)
def test_property_total_interest_non_decreasing_in_rate(
    case: tuple[LoanTerms, int], rate_a: Decimal, rate_b: Decimal
) -> None:
    loan, _ = case
    low, high = sorted((rate_a, rate_b))
    assert total_interest(with_rate(loan, low)) <= total_interest(with_rate(loan, high))


@PROPERTY_SETTINGS
@given(valid_loans(repay_types=(ANNUITY,)), rates, rates)
def test_property_annuity_instalment_non_decreasing_in_rate(
    case: tuple[LoanTerms, int], rate_a: Decimal, rate_b: Decimal
) -> None:
    # For the annuity, the instalment is monotonic; total interest is monotonic
    # whenever the rounded instalment is the same (see the counter-example below).
    loan, _ = case
    low, high = (build_schedule(with_rate(loan, r), DISBURSED) for r in sorted((rate_a, rate_b)))
    assert low[0].total <= high[0].total
    if low[0].total == high[0].total:
        assert sum(p.interest for p in low) <= sum(p.interest for p in high)


@pytest.mark.parametrize("repay_type", [ANNUITY, FLAT, BULLET])
def test_a_half_cent_of_interest_rounds_up(repay_type) -> None:
    # CONTRACT §8 (half-up to cents). 300.00 x 0.0017 x 2 / 12 = 0.085 exactly; dividing the
    # rate first (0.0017 / 12 x 2 = 0.000283333...) gave 0.0849999... and rounded down to 0.08.
    periods = build_schedule(terms("300.00", "0.0017", 2, MONTH, repay_type, 2, I_MONTH), DISBURSED)
    assert [p.interest for p in periods] == [D("0.09")]


def test_annuity_total_interest_can_dip_a_cent_when_the_instalment_rounds_up() -> None:
    # Contract rounding, not a bug: 999.99 over 12 months. At 27.50 % the instalment is
    # 96.26 (96.2649...), at 27.51 % it rounds up to 96.27 (96.2698...), so principal is
    # repaid slightly faster and total interest falls from 155.17 to 155.16.
    lower = build_schedule(terms("999.99", "0.2750", 12, MONTH, ANNUITY, 1, I_MONTH), DISBURSED)
    higher = build_schedule(terms("999.99", "0.2751", 12, MONTH, ANNUITY, 1, I_MONTH), DISBURSED)
    assert (lower[0].total, higher[0].total) == (D("96.26"), D("96.27"))
    assert (schedule_totals(lower).interest, schedule_totals(higher).interest) == (D("155.17"), D("155.16"))


@PROPERTY_SETTINGS
@given(valid_loans(repay_types=(ANNUITY,)))
def test_property_annuity_matches_exact_fraction_reference(case: tuple[LoanTerms, int]) -> None:
    loan, _ = case
    periods = build_schedule(loan, DISBURSED)
    assert [(p.principal, p.interest) for p in periods] == reference_annuity(loan)


@PROPERTY_SETTINGS
@given(
    st.integers(1, 10**8).map(lambda cents: D(cents) / 100),
    rates,
    st.integers(-400, 400),
)
def test_property_penalty_matches_formula(principal: Decimal, rate: Decimal, offset: int) -> None:
    due = date(2024, 6, 30)
    expected_days = max(offset, 0)
    expected = (principal * rate * expected_days / 360).quantize(D("0.01"), ROUND_HALF_UP)
    assert overdue_penalty(principal, rate, due, due + timedelta(days=offset)) == expected


