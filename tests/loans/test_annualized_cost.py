"""The annualised cost (CONTRACT §12): the daily IRR of the dated cash flows x 365.

"the amount received (after the service fee), every scheduled payment with its period fee --
placed in time with a day term counted in days and a month counted as 365/12 days (the
disbursement date does not matter); the daily internal rate of return r of those flows; the
annualised cost is r x 365, rounded half-up to 4 decimals. Worked figures: 500 received, 507
repaid after 14 days -> 0.3626; 495 received, 507 repaid after 14 days -> 0.6250."

The expected figures come from an independent solver written here: Decimal arithmetic at 40
digits, bisection on the daily rate itself (not its logarithm), exact Fraction day offsets.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loans.amortization import IntervalUnit, LoanTerms, RepayType, TermUnit, annualized_cost, build_schedule, payment_runs, payment_step_days

D = Decimal
MONTH_DAYS = Fraction(365, 12)


def reference_cost(received: Decimal, flows: list[tuple[Fraction, Decimal]]) -> Decimal:
    """Bisection on the daily rate r in Decimal: sum(amount / (1 + r)^day) = received."""
    with localcontext() as context:
        context.prec = 40

        def present_value(rate: Decimal) -> Decimal:
            return sum(amount / (1 + rate) ** (D(day.numerator) / D(day.denominator)) for day, amount in flows)

        low, high = D("-0.5"), D("10")
        for _ in range(200):
            middle = (low + high) / 2
            if present_value(middle) > received:
                low = middle
            else:
                high = middle
        return (middle * 365).quantize(D("0.0001"), rounding=ROUND_HALF_UP)


def closed_form(received: str, repaid: str, days: int) -> Decimal:
    """One payment: r = (repaid / received)^(1/days) - 1."""
    with localcontext() as context:
        context.prec = 40
        rate = (D(repaid) / D(received)) ** (D(1) / D(days)) - 1
        return (rate * 365).quantize(D("0.0001"), rounding=ROUND_HALF_UP)


def loan(amount="500.00", rate="0.36", term=14, unit=TermUnit.DAY, repay_type=RepayType.BULLET, interval=1,
         interval_unit=IntervalUnit.DAY, fee="0.00") -> LoanTerms:
    return LoanTerms(D(amount), D(rate), term, unit, repay_type, interval, interval_unit, D(fee))


def cost_of(terms: LoanTerms, received: str) -> Decimal:
    return annualized_cost(D(received), terms)


# --- the contract's worked figures -----------------------------------------------------------


def test_worked_figure_500_received_507_repaid_after_14_days():
    """§12: 500 at 36 % for 14 days is 7.00 of interest; nothing deducted -> 0.3626."""
    terms = loan()
    assert build_schedule(terms, date(2024, 1, 15))[0].total == D("507.00")
    assert closed_form("500", "507", 14) == D("0.3626")
    assert cost_of(terms, "500.00") == D("0.3626")


def test_worked_figure_495_received_507_repaid_after_14_days():
    """§12: the same loan with a 1 % service fee deducted (495 received) -> 0.6250."""
    assert closed_form("495", "507", 14) == D("0.6250")
    assert cost_of(loan(), "495.00") == D("0.6250")


def test_the_payments_are_the_schedules_whatever_the_disbursement_date():
    """The cost reads the payments as runs, never a dated schedule: a month is 365/12 days."""
    terms = loan("3000.00", "0.12", 3, TermUnit.MONTH, RepayType.ANNUITY, 1, IntervalUnit.MONTH, fee="2.00")
    for on in (date(2024, 1, 31), date(2024, 2, 1), date(2025, 7, 15)):
        totals = [p.total for p in build_schedule(terms, on)]
        assert [amount for amount, count in payment_runs(terms) for _ in range(count)] == totals


# --- months, fees, intervals: against the independent solver ---------------------------------


def flows(terms: LoanTerms, step_days: Fraction) -> list[tuple[Fraction, Decimal]]:
    schedule = build_schedule(terms, date(2024, 3, 31))
    return [(step_days * p.number, p.total) for p in schedule]


@pytest.mark.parametrize(
    "terms, received, step",
    [
        # 3000 over 3 months at 12 %, annuity: 1020.07, 1020.07, 1019.99 (approx) at 365/12-day steps
        (loan("3000.00", "0.12", 3, TermUnit.MONTH, RepayType.ANNUITY, 1, IntervalUnit.MONTH), "2970.00", MONTH_DAYS),
        # flat, with a 5.00 period fee
        (loan("3000.00", "0.24", 6, TermUnit.MONTH, RepayType.FLAT, 1, IntervalUnit.MONTH, fee="5.00"), "3000.00", MONTH_DAYS),
        # interest quarterly on a 12-month term: payments at 3 x 365/12 days
        (loan("10000.00", "0.18", 12, TermUnit.MONTH, RepayType.INTEREST_ONLY, 1, IntervalUnit.QUARTER), "9800.00", 3 * MONTH_DAYS),
        # a day term paid every 7 days
        (loan("2000.00", "0.36", 28, TermUnit.DAY, RepayType.FLAT, 7, IntervalUnit.DAY, fee="1.00"), "1960.00", Fraction(7)),
        # a month term paid once a year
        (loan("5000.00", "0.10", 24, TermUnit.MONTH, RepayType.INTEREST_ONLY, 1, IntervalUnit.YEAR), "5000.00", 12 * MONTH_DAYS),
    ],
    ids=["annuity-3m", "flat-6m-fee", "quarterly", "weekly-days", "yearly"],
)
def test_multi_period_loans_match_the_independent_solver(terms, received, step):
    expected = reference_cost(D(received), flows(terms, step))
    assert cost_of(terms, received) == expected


def test_a_month_term_is_counted_in_365_12_day_months():
    """One payment of 1010.00 after one month (30.4166… days) of 1000 received."""
    terms = loan("1000.00", "0.12", 1, TermUnit.MONTH, RepayType.BULLET, 1, IntervalUnit.MONTH)
    assert payment_step_days(terms) == Fraction(365, 12)
    with localcontext() as context:
        context.prec = 40
        rate = (D("1010") / D("1000")) ** (D(12) / D(365)) - 1
    assert cost_of(terms, "1000.00") == (rate * 365).quantize(D("0.0001"), rounding=ROUND_HALF_UP) == D("0.1194")


def test_no_cost_when_repaid_exactly_what_was_received():
    result = cost_of(loan("1000.00", "0", 3, TermUnit.MONTH, RepayType.FLAT, 1, IntervalUnit.MONTH), "1000.00")
    assert result == D("0.0000") and result.as_tuple().exponent == -4


def test_nothing_received_has_no_cost():
    with pytest.raises(ValueError):
        cost_of(loan(), "0.00")


def test_a_huge_cost_is_still_found():
    """0.01 received, 507.00 repaid the next day: r = 50699 a day."""
    terms = loan("500.00", "5.04", 1)
    assert build_schedule(terms, date(2024, 1, 1))[0].total == D("507.00")
    assert cost_of(terms, "0.01") == closed_form("0.01", "507.00", 1)


@settings(max_examples=150, deadline=None, database=None)
@given(
    st.integers(100_00, 10**8).map(lambda cents: D(cents) / 100),
    st.integers(0, 9900).map(lambda basis_points: D(basis_points) / 10000),
    st.integers(1, 400),
    st.integers(0, 50).map(lambda percent: D(percent) / 100),
)
def test_property_single_payment_matches_the_closed_form(amount, rate, days, fee_rate):
    terms = LoanTerms(amount, rate, days, TermUnit.DAY, RepayType.BULLET, 1, IntervalUnit.DAY)
    repaid = build_schedule(terms, date(2024, 1, 1))[0].total
    received = (amount * (1 - fee_rate)).quantize(D("0.01"))
    assert cost_of(terms, str(received)) == closed_form(str(received), str(repaid), days)


# --- the schedule as runs: the same figures as period by period --------------------------------

from tests.loans.test_amortization import valid_loans  # noqa: E402  (the amortisation tests' loan strategy)


def reference_flat(loan: LoanTerms, count: int) -> list[tuple[Decimal, Decimal]]:
    """Flat (type 4) period by period, as the contract describes it: equal rounded shares of the
    principal and of the total interest, no share above what is left, the last takes the rest."""
    length = loan.term_count // count
    basis = 360 if loan.term_unit == TermUnit.DAY else 12
    exact_interest = loan.amount * loan.annual_rate * length * count / basis  # every factor, then the division

    def shares(total: Decimal, share: Decimal) -> list[Decimal]:
        rounded, left, parts = share.quantize(D("0.01"), rounding=ROUND_HALF_UP), total, []
        for _ in range(count - 1):
            part = min(rounded, left)
            parts.append(part)
            left -= part
        return parts + [left]

    principal = shares(loan.amount, loan.amount / count)
    interest = shares(exact_interest.quantize(D("0.01"), rounding=ROUND_HALF_UP), loan.amount * loan.annual_rate * length / basis)
    return list(zip(principal, interest))


@settings(max_examples=300, deadline=None, database=None)
@given(valid_loans(repay_types=(RepayType.FLAT,)))
def test_property_flat_schedule_matches_the_period_by_period_reference(case):
    loan, count = case
    schedule = build_schedule(loan, date(2024, 1, 31))
    assert [(p.principal, p.interest) for p in schedule] == reference_flat(loan, count)


@pytest.mark.parametrize("amount, count", [("0.05", 7), ("0.02", 3), ("1.00", 3), ("0.06", 4)])
def test_flat_shares_of_tiny_amounts_never_go_negative(amount, count):
    loan_terms = loan(amount, "0", count, TermUnit.DAY, RepayType.FLAT, 1, IntervalUnit.DAY)
    schedule = build_schedule(loan_terms, date(2024, 1, 1))
    assert [(p.principal, p.interest) for p in schedule] == reference_flat(loan_terms, count)


@settings(max_examples=300, deadline=None, database=None)
@given(valid_loans())
def test_property_payment_runs_are_the_schedules_totals(case):
    loan, _ = case
    totals = [p.total for p in build_schedule(loan, date(2024, 2, 29))]
    assert [amount for amount, count in payment_runs(loan) for _ in range(count)] == totals


@settings(max_examples=40, deadline=None, database=None)
@given(valid_loans(), st.integers(0, 30).map(lambda percent: D(percent) / 100))
def test_property_cost_matches_the_independent_solver(case, fee_rate):
    loan, _ = case
    schedule = build_schedule(loan, date(2024, 1, 1))
    received = (loan.amount * (1 - fee_rate)).quantize(D("0.01"))
    if received <= 0 or sum(p.total for p in schedule) <= received:
        return
    step = payment_step_days(loan)
    expected = reference_cost(received, [(step * p.number, p.total) for p in schedule])
    if expected >= D("3650"):
        return  # outside the reference's bracket
    assert annualized_cost(received, loan) == expected
