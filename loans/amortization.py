"""Repayment schedules, overdue penalties, payoff amounts and annualised cost.

Pure functions: standard library only, no Django, no ORM. The words (term units, interval
units, repayment types) and the rules every loan obeys come from ``products.terms``, itself
standard library only.

Rules (from the project contract):

* Money is ``Decimal`` rounded half-up to cents (``quantize_money``: the rounding of
  ``cashloan.money``, written again here so that the maths needs nothing but the standard
  library; a test holds the two equal). Rates are
  annual ``Decimal`` fractions: ``Decimal("0.36")`` is 36 %.
* Term units: 1 day, 2 month. Interval units: 1 day, 2 month, 3 quarter
  (3 months), 4 year (12 months).
* Interest: day terms ``principal x rate x days / 360``; month terms
  ``principal x rate / 12 x months``.
* Repayment types: 1 principal and interest in one payment at maturity (one
  period, interval ignored); 2 interest every period, principal with the last;
  3 equal instalments (annuity, month terms only); 4 flat: equal principal and
  equal interest.
* Types 2-4 need the term to split into whole periods (``NotWholePeriods``);
  a month term cannot use a day interval (``DayIntervalOnMonthTerm``); type 3
  cannot use a day term (``AnnuityOnDayTerm``). A non-positive amount, term or
  interval, or a negative rate or fee, raises ``ValueError``.
* Due dates: day terms ``D + k x interval`` days; month terms
  ``add_months(D, k x interval months)``, always from D, clamped to the
  month's last day. A period starts on the previous due date (D for the first).
* Each period's principal, interest and fee are rounded to cents; rounding
  differences go to the last period, so principal parts add up to the amount.
* Overdue penalty: ``unpaid principal x penalty rate / 360 x days after due``.
* Payoff: overdue periods in full plus penalty; the current period its
  principal, fee and pro-rata interest (at least one day); later periods
  principal only.
* Annualised cost (CONTRACT §12): the daily internal rate of return of the
  amount received and the scheduled payments, placed a day term's days or a
  month term's months (365/12 days each) after disbursement, times 365,
  rounded half-up to 4 decimals. The disbursement date does not matter.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Protocol

from products.terms import (
    IntervalUnit,
    RepayType,
    TermUnit,
    annuity_on_day_term,
    day_interval_on_month_term,
    interval_length,
    splits_into_whole_periods,
)

CENT = Decimal("0.01")
ZERO_MONEY = Decimal("0.00")
RATE_PLACES = Decimal("0.0001")
DAYS_PER_INTEREST_YEAR = 360
MONTHS_PER_YEAR = 12
DAYS_PER_COST_YEAR = 365
DAYS_PER_COST_MONTH = Fraction(DAYS_PER_COST_YEAR, MONTHS_PER_YEAR)


class ScheduleRuleError(Exception):
    """A loan's term and repayment settings break a scheduling rule (the API's codes for them
    are in ``products/codes.py``: the maths knows no wire codes)."""


class NotWholePeriods(ScheduleRuleError):
    """The term does not divide into whole repayment intervals."""


class DayIntervalOnMonthTerm(ScheduleRuleError):
    """A month-based term was given a day-based repayment interval."""


class AnnuityOnDayTerm(ScheduleRuleError):
    """Equal instalments (type 3) were asked for on a day-based term."""


@dataclass(frozen=True)
class LoanTerms:
    amount: Decimal
    annual_rate: Decimal
    term_count: int
    term_unit: TermUnit
    repay_type: RepayType
    interval_count: int
    interval_unit: IntervalUnit
    period_fee: Decimal = ZERO_MONEY

    def __post_init__(self) -> None:
        # Accept plain ints from the API; an unknown code raises ValueError.
        object.__setattr__(self, "term_unit", TermUnit(self.term_unit))
        object.__setattr__(self, "repay_type", RepayType(self.repay_type))
        object.__setattr__(self, "interval_unit", IntervalUnit(self.interval_unit))


@dataclass(frozen=True)
class Period:
    number: int
    start_date: date
    due_date: date
    principal: Decimal
    interest: Decimal
    fee: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fee


@dataclass(frozen=True)
class PeriodState:
    """A stored schedule period and whether it has been repaid."""

    number: int
    start_date: date
    due_date: date
    principal: Decimal
    interest: Decimal
    fee: Decimal
    paid: bool = False

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fee


@dataclass(frozen=True)
class ScheduleTotals:
    principal: Decimal
    interest: Decimal
    fee: Decimal
    total: Decimal


@dataclass(frozen=True)
class PayoffLine:
    number: int
    principal: Decimal
    interest: Decimal
    fee: Decimal
    penalty: Decimal
    total: Decimal


@dataclass(frozen=True)
class PayoffBreakdown:
    lines: tuple[PayoffLine, ...]
    principal: Decimal
    interest: Decimal
    fee: Decimal
    penalty: Decimal
    total: Decimal


class MoneyParts(Protocol):
    @property
    def principal(self) -> Decimal: ...

    @property
    def interest(self) -> Decimal: ...

    @property
    def fee(self) -> Decimal: ...


# --------------------------------------------------------------------------
# Money and dates
# --------------------------------------------------------------------------


def quantize_money(value: Decimal) -> Decimal:
    """Round to cents, half-up (away from zero on a tie)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def add_months(d: date, months: int) -> date:
    """Shift by whole months, clamping the day to the target month's end."""
    years, month_index = divmod(d.month - 1 + months, MONTHS_PER_YEAR)
    year, month = d.year + years, month_index + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))


# --------------------------------------------------------------------------
# Validation (callable one by one, in the API's order, before any schedule)
# --------------------------------------------------------------------------


def check_amounts(terms: LoanTerms) -> None:
    """ValueError on a non-positive amount, term or interval, or a bad rate/fee."""
    if terms.amount <= 0:
        raise ValueError("amount must be positive")
    if terms.amount != quantize_money(terms.amount):
        raise ValueError("amount must be whole cents")
    if terms.term_count <= 0:
        raise ValueError("term must be positive")
    if terms.repay_type != RepayType.BULLET and terms.interval_count <= 0:
        raise ValueError("repayment interval must be positive")
    if terms.annual_rate < 0:
        raise ValueError("annual rate must not be negative")
    if terms.period_fee < 0:
        raise ValueError("period fee must not be negative")


def check_interval_unit(terms: LoanTerms) -> None:
    """DayIntervalOnMonthTerm when a month term has a day interval (types 2-4)."""
    if terms.repay_type != RepayType.BULLET and day_interval_on_month_term(terms.term_unit, terms.interval_unit):
        raise DayIntervalOnMonthTerm("a month term needs a month, quarter or year interval")


def check_repay_type(terms: LoanTerms) -> None:
    """AnnuityOnDayTerm when equal instalments are asked for on a day term."""
    if annuity_on_day_term(terms.term_unit, terms.repay_type):
        raise AnnuityOnDayTerm("equal instalments need a month term")


def check_whole_periods(terms: LoanTerms) -> None:
    """NotWholePeriods unless the term splits into whole intervals (types 2-4)."""
    if not splits_into_whole_periods(
        terms.term_count, terms.term_unit, terms.interval_count, terms.interval_unit, terms.repay_type
    ):
        raise NotWholePeriods("the term must divide into whole repayment intervals")


def check_periods(terms: LoanTerms) -> None:
    """Run every check: amounts, interval unit, repayment type, whole periods."""
    check_amounts(terms)
    check_interval_unit(terms)
    check_repay_type(terms)
    check_whole_periods(terms)


def period_count(terms: LoanTerms) -> int:
    """Number of repayment periods; raises like ``check_periods``."""
    check_periods(terms)
    return terms.term_count // _period_length(terms)


def _period_length(terms: LoanTerms) -> int:
    """Length of one period in the term's unit (days or months)."""
    if terms.repay_type == RepayType.BULLET:
        return terms.term_count
    length = interval_length(terms.term_unit, terms.interval_count, terms.interval_unit)
    assert length is not None  # guaranteed by check_whole_periods
    return length


def _interest_basis(terms: LoanTerms) -> int:
    """Divisor turning ``annual rate x length`` into a period rate: 360 or 12."""
    return DAYS_PER_INTEREST_YEAR if terms.term_unit == TermUnit.DAY else MONTHS_PER_YEAR


def _period_interest_exact(principal: Decimal, terms: LoanTerms, periods: int = 1) -> Decimal:
    """Unrounded interest on ``principal`` for ``periods`` periods.

    Every factor is multiplied before the one division: the product is exact, so a half
    cent (300.00 x 0.0017 x 2 / 12 = 0.085) rounds up instead of landing at 0.0849999...
    """
    return principal * terms.annual_rate * _period_length(terms) * periods / _interest_basis(terms)


# --------------------------------------------------------------------------
# Schedule
# --------------------------------------------------------------------------


def period_dates(terms: LoanTerms, disbursed_on: date) -> list[tuple[date, date]]:
    """(start, due) date of every period; each due date is computed from D."""
    count = period_count(terms)  # validates before anything else
    length = _period_length(terms)
    due_dates = [_shift(disbursed_on, k * length, terms.term_unit) for k in range(1, count + 1)]
    start_dates = [disbursed_on, *due_dates[:-1]]
    return list(zip(start_dates, due_dates))


def _shift(d: date, length: int, unit: TermUnit) -> date:
    return d + timedelta(days=length) if unit == TermUnit.DAY else add_months(d, length)


def build_schedule(terms: LoanTerms, disbursed_on: date) -> list[Period]:
    """The full repayment schedule of a loan disbursed on ``disbursed_on``."""
    dates = period_dates(terms, disbursed_on)
    parts = [(run.principal, run.interest) for run in split_principal_and_interest(terms, len(dates)) for _ in range(run.count)]
    fee = quantize_money(terms.period_fee)
    return [
        Period(number, start, due, principal, interest, fee)
        for number, ((start, due), (principal, interest)) in enumerate(zip(dates, parts), start=1)
    ]


@dataclass(frozen=True)
class Run:
    """``count`` consecutive periods owing the same principal and interest.

    Most schedules are two runs (equal periods, then the last one's remainder), which lets the
    annualised cost of a thousand-period loan be solved without a thousand terms.
    """

    principal: Decimal
    interest: Decimal
    count: int


def split_principal_and_interest(terms: LoanTerms, count: int) -> list[Run]:
    """Each period's principal and interest (rounded to cents), as runs, in period order."""
    return [run for run in _SPLITTERS[terms.repay_type](terms, count) if run.count > 0]


def _split_bullet(terms: LoanTerms, count: int) -> list[Run]:
    return [Run(terms.amount, quantize_money(_period_interest_exact(terms.amount, terms)), 1)]


def _split_interest_only(terms: LoanTerms, count: int) -> list[Run]:
    interest = quantize_money(_period_interest_exact(terms.amount, terms))
    return [Run(ZERO_MONEY, interest, count - 1), Run(terms.amount, interest, 1)]


def _split_annuity(terms: LoanTerms, count: int) -> list[Run]:
    with localcontext() as context:
        context.prec = 50
        rate = terms.annual_rate * _period_length(terms) / MONTHS_PER_YEAR
    instalment = annuity_instalment(terms.amount, rate, count)
    remaining = terms.amount
    runs: list[Run] = []
    for number in range(1, count + 1):
        interest = quantize_money(_period_interest_exact(remaining, terms))
        is_last = number == count
        # Never repay more than is owed (tiny loans whose rounded instalment overshoots).
        principal = remaining if is_last else min(instalment - interest, remaining)
        runs.append(Run(principal, interest, 1))
        remaining -= principal
    return runs


def annuity_instalment(amount: Decimal, period_rate: Decimal, count: int) -> Decimal:
    """Rounded equal instalment: ``amount x r / (1 - (1 + r)^-n)``, or amount / n at r = 0."""
    if period_rate == 0:
        return quantize_money(amount / count)
    with localcontext() as context:
        context.prec = 50
        instalment = amount * period_rate / (1 - (1 + period_rate) ** -count)
    return quantize_money(instalment)


def _split_flat(terms: LoanTerms, count: int) -> list[Run]:
    total_interest = _period_interest_exact(terms.amount, terms, periods=count)
    principals = _split_evenly(terms.amount, count)
    share = _period_interest_exact(terms.amount, terms)
    interests = _split_evenly(quantize_money(total_interest), count, share)
    return _zip_runs(principals, interests)


def _split_evenly(total: Decimal, count: int, share: Decimal | None = None) -> list[tuple[Decimal, int]]:
    """``count`` rounded shares of ``total`` as (part, how many) runs; the last takes the remainder.

    No share exceeds what is left, so no part is ever negative: once less than a share is
    left, the next part takes it all and the ones after it are zero.
    """
    rounded_share = quantize_money(total / count if share is None else share)
    if rounded_share <= 0:
        return [(ZERO_MONEY, count - 1), (total, 1)]
    full_shares = min(count - 1, int(total // rounded_share))
    left = total - rounded_share * full_shares
    if full_shares == count - 1:
        return [(rounded_share, full_shares), (left, 1)]
    zeros = count - 1 - full_shares - 1
    return [(rounded_share, full_shares), (left, 1), (ZERO_MONEY, zeros), (ZERO_MONEY, 1)]


def _zip_runs(principals: list[tuple[Decimal, int]], interests: list[tuple[Decimal, int]]) -> list[Run]:
    """Pair two run lists of the same length period by period."""
    runs: list[Run] = []
    principal_runs = [run for run in principals if run[1] > 0]
    interest_runs = [run for run in interests if run[1] > 0]
    p = i = 0
    p_used = i_used = 0
    while p < len(principal_runs) and i < len(interest_runs):
        principal, p_count = principal_runs[p]
        interest, i_count = interest_runs[i]
        length = min(p_count - p_used, i_count - i_used)
        runs.append(Run(principal, interest, length))
        p_used += length
        i_used += length
        if p_used == p_count:
            p, p_used = p + 1, 0
        if i_used == i_count:
            i, i_used = i + 1, 0
    return runs


_SPLITTERS: dict[RepayType, Callable[[LoanTerms, int], list[Run]]] = {
    RepayType.BULLET: _split_bullet,
    RepayType.INTEREST_ONLY: _split_interest_only,
    RepayType.ANNUITY: _split_annuity,
    RepayType.FLAT: _split_flat,
}


def schedule_totals(periods: Iterable[MoneyParts]) -> ScheduleTotals:
    """Sums of principal, interest and fee over the periods."""
    principal = interest = fee = ZERO_MONEY
    for period in periods:
        principal += period.principal
        interest += period.interest
        fee += period.fee
    return ScheduleTotals(principal, interest, fee, principal + interest + fee)


# --------------------------------------------------------------------------
# Penalty and payoff
# --------------------------------------------------------------------------


def overdue_days(due_date: date, as_of: date) -> int:
    """Days after the due date (a period is overdue from the next day)."""
    return max(0, (as_of - due_date).days)


def overdue_penalty(
    unpaid_principal: Decimal, penalty_rate: Decimal, due_date: date, as_of: date
) -> Decimal:
    """``unpaid principal x penalty rate / 360 x overdue days``, rounded to cents."""
    days = overdue_days(due_date, as_of)
    return quantize_money(unpaid_principal * penalty_rate * days / DAYS_PER_INTEREST_YEAR)


def penalty_left(
    unpaid_principal: Decimal, penalty_rate: Decimal, due_date: date, as_of: date, waived: Decimal
) -> Decimal:
    """The penalty as of ``as_of`` less what waivers took off it (never below zero)."""
    return max(Decimal("0.00"), overdue_penalty(unpaid_principal, penalty_rate, due_date, as_of) - waived)


def payoff_breakdown(
    periods: Sequence[PeriodState], today: date, penalty_rate: Decimal, penalty_until: date | None = None
) -> PayoffBreakdown:
    """What the borrower owes to settle every unpaid period today; penalties run to
    ``penalty_until`` (default today: a written-off loan's stop at its write-off date)."""
    lines: list[PayoffLine] = []
    current_seen = False
    for state in sorted((p for p in periods if not p.paid), key=lambda p: p.number):
        if state.due_date <= today:
            lines.append(_due_line(state, penalty_until or today, penalty_rate))
        elif not current_seen:
            lines.append(_current_line(state, today))
            current_seen = True
        else:
            lines.append(_future_line(state))
    return _breakdown(lines)


def _payoff_line(
    number: int, principal: Decimal, interest: Decimal, fee: Decimal, penalty: Decimal
) -> PayoffLine:
    return PayoffLine(number, principal, interest, fee, penalty, principal + interest + fee + penalty)


def _due_line(state: PeriodState, penalty_as_of: date, penalty_rate: Decimal) -> PayoffLine:
    penalty = overdue_penalty(state.principal, penalty_rate, state.due_date, penalty_as_of)
    return _payoff_line(state.number, state.principal, state.interest, state.fee, penalty)


def _current_line(state: PeriodState, today: date) -> PayoffLine:
    interest = pro_rata_interest(state.interest, state.start_date, state.due_date, today)
    return _payoff_line(state.number, state.principal, interest, state.fee, ZERO_MONEY)


def _future_line(state: PeriodState) -> PayoffLine:
    return _payoff_line(state.number, state.principal, ZERO_MONEY, ZERO_MONEY, ZERO_MONEY)


def pro_rata_interest(interest: Decimal, start_date: date, due_date: date, today: date) -> Decimal:
    """Interest for the elapsed days of a period: at least one day, at most all of it."""
    period_days = (due_date - start_date).days
    if period_days <= 0:
        return quantize_money(interest)
    elapsed_days = min(max(1, (today - start_date).days), period_days)
    return quantize_money(interest * elapsed_days / period_days)


def _breakdown(lines: list[PayoffLine]) -> PayoffBreakdown:
    return PayoffBreakdown(
        lines=tuple(lines),
        principal=sum((line.principal for line in lines), ZERO_MONEY),
        interest=sum((line.interest for line in lines), ZERO_MONEY),
        fee=sum((line.fee for line in lines), ZERO_MONEY),
        penalty=sum((line.penalty for line in lines), ZERO_MONEY),
        total=sum((line.total for line in lines), ZERO_MONEY),
    )


# --------------------------------------------------------------------------
# Annualised cost (CONTRACT §12)
# --------------------------------------------------------------------------

_SOLVER_ITERATIONS = 200


def payment_runs(terms: LoanTerms) -> list[tuple[Decimal, int]]:
    """What each period of the schedule costs the borrower (principal, interest and fee), as
    (amount, how many periods in a row) runs in period order: :func:`build_schedule`'s totals
    without building a single date."""
    fee = quantize_money(terms.period_fee)
    runs: list[tuple[Decimal, int]] = []
    for run in split_principal_and_interest(terms, period_count(terms)):
        total = run.principal + run.interest + fee
        if runs and runs[-1][0] == total:
            runs[-1] = (total, runs[-1][1] + run.count)
        else:
            runs.append((total, run.count))
    return runs


def payment_step_days(terms: LoanTerms) -> Fraction:
    """Days from one payment to the next, in the annualised cost: a month is 365/12 days."""
    length = _period_length(terms)
    return Fraction(length) if terms.term_unit == TermUnit.DAY else length * DAYS_PER_COST_MONTH


def annualized_cost(received: Decimal, terms: LoanTerms) -> Decimal:
    """``r x 365`` rounded half-up to 4 decimals, where ``r`` is the daily IRR of +``received``
    at day 0 and -each period's total (:func:`payment_runs`) ``k x payment_step_days`` later.

    ValueError when nothing is received or nothing is paid (no rate exists).
    """
    flows, step, paid = _cost_flows(received, terms)
    if paid == received:
        return Decimal("0.0000")
    return _rounded_cost(_solve_daily_log_rate(float(received), step, flows))


def surely_costs_less(received: Decimal, terms: LoanTerms, log_rate: float) -> bool:
    """True when the daily IRR :func:`annualized_cost` finds for ``terms`` is surely below
    ``e^log_rate - 1``, decided without building the schedule; False when it may not be.

    Each payment is bounded from above (the interest of a period on the whole amount, every
    rounding taken upwards, a flat loan's remainders all added to its last payment); the
    present value of those bounds at ``log_rate`` is then at least the true one, which falls
    as the rate rises, so when even it is below ``received`` the true rate is below
    ``log_rate``. Annuities are not bounded (always False).

    For ``log_rate`` > 0 the bound of a term split into periods of one unit (one day, one month)
    is also a bound for every coarser split of it: each payment of a period of d units is at
    most the sum of the d one-unit payments it replaces, which all fall no later than it.
    """
    bound = _payments_upper_bound(terms)
    if bound is None:
        return False
    flows, step = bound
    return _present_value(flows, step, log_rate) * (1 + 1e-9) < float(received)


def _payments_upper_bound(terms: LoanTerms) -> tuple[list[tuple[float, int, int]], float] | None:
    """(amount, first period, periods) runs at least as large as every payment, and the step."""
    if terms.repay_type not in (RepayType.BULLET, RepayType.INTEREST_ONLY, RepayType.FLAT):
        return None
    count = period_count(terms)
    amount = float(terms.amount)
    interest = float(_period_interest_exact(terms.amount, terms)) + 0.005
    fee = float(quantize_money(terms.period_fee))
    step = float(payment_step_days(terms))
    if terms.repay_type == RepayType.BULLET:
        return [(amount + interest + fee, 1, 1)], step
    if terms.repay_type == RepayType.INTEREST_ONLY:
        return [(interest + fee, 1, count), (amount, count, 1)], step
    # Flat: shares of the principal and of the interest are each rounded by at most half a
    # cent; the last period takes both remainders, at most a cent per period.
    return [(amount / count + 0.005 + interest + fee, 1, count), ((count + 1) * 0.01, count, 1)], step


def _cost_flows(received: Decimal, terms: LoanTerms) -> tuple[list[tuple[float, int, int]], float, Decimal]:
    """The payments as (amount, first period number, periods) runs, the step in days, the total paid."""
    runs = payment_runs(terms)
    paid = sum((amount * count for amount, count in runs), ZERO_MONEY)
    if received <= 0 or paid <= 0:
        raise ValueError("nothing received or nothing repaid: no annualised cost")
    flows = []
    first = 1
    for amount, count in runs:
        if amount:
            flows.append((float(amount), first, count))
        first += count
    return flows, float(payment_step_days(terms)), paid


def _rounded_cost(log_rate: float) -> Decimal:
    daily_rate = Decimal(repr(math.expm1(log_rate)))
    return (daily_rate * DAYS_PER_COST_YEAR).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def _solve_daily_log_rate(received: float, step: float, flows: Sequence[tuple[float, int, int]]) -> float:
    """x = ln(1 + r) where the payments' present value equals ``received``.

    Payment k (of n) falls on day k x step. For x >= 0 its discount factor lies between those of
    the first and the last payment, so the root lies between ln(paid / received) / first day and
    ln(paid / received) / last day (the same holds for x < 0). The present value is monotonic in
    x; the bracket is narrowed by the Illinois variant of regula falsi.
    """
    paid = sum(amount * count for amount, _, count in flows)
    log_ratio = math.log(paid / received)
    first_day, last_day = flows[0][1] * step, (flows[-1][1] + flows[-1][2] - 1) * step
    low, high = sorted((log_ratio / last_day, log_ratio / first_day))

    def excess(x: float) -> float:  # present value - received: decreasing in x
        return _present_value(flows, step, x) - received

    f_low, f_high = excess(low), excess(high)
    if f_low <= 0:
        return low
    if f_high >= 0:
        return high
    kept_side = 0
    for _ in range(_SOLVER_ITERATIONS):
        x = high - f_high * (high - low) / (f_high - f_low)
        if not low < x < high:
            x = (low + high) / 2
            if not low < x < high:
                break
        f = excess(x)
        if f == 0:
            return x
        if f > 0:
            low, f_low = x, f
            if kept_side == 1:
                f_high /= 2
            kept_side = 1
        else:
            high, f_high = x, f
            if kept_side == -1:
                f_low /= 2
            kept_side = -1
    return (low + high) / 2


def _present_value(flows: Sequence[tuple[float, int, int]], step: float, x: float) -> float:
    """Sum over runs of amount x (e^(-first.step.x) + … + e^(-(first+count-1).step.x)).

    A run's geometric sum is e^(-first.s) x expm1(-count.s) / expm1(-s), s = step.x: no
    cancellation even when the rate is tiny.
    """
    s = step * x
    total = 0.0
    for amount, first, count in flows:
        if s == 0:
            total += amount * count
            continue
        total += amount * math.exp(-first * s) * math.expm1(-count * s) / math.expm1(-s)
    return total
