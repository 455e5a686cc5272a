"""The quote (seed §22): checks a loan request and works out its figures.

One function, :func:`quote_loan`, serves both the quote (§22) and the application (§23), so
the two always agree (CONTRACT §8).

The checks, in this order; the first failure answers (CONTRACT §8, seed §22.4):

1. Presence and JSON type of every field (the API's serializer): ``10001000``.
2. Format, field by field:
   ``20004000`` amount: a decimal string (or integer) > 0 with at most 2 decimals;
   ``20004002`` interest rate: a decimal string (or integer) >= 0 with at most 4 decimals;
   ``20004004`` term: a positive integer (string or integer, at most 9999);
   ``20004006`` term unit: 1 day or 2 month;
   ``20004008`` repayment interval: a positive integer (at most 9999);
   ``20004010`` its unit: 1 day, 2 month, 3 quarter, 4 year;
   ``20004013`` repayment type: 1 to 4.
   Enumerations accept ``"1"``, ``"01"`` and ``1`` alike. Type 1 ignores the interval when
   counting periods, but its interval fields must still be well-formed.
3. The rules of every product: ``20004012`` a month term with a day interval;
   ``20004015`` a day term with equal instalments (type 3). Both hold for every repayment type.
4. The product: unknown or off sale ``10001000``.
5. The product's limits (``products.rules.ProductLimits.violation``):
   ``20004001`` amount outside the range / not one of the fixed amounts;
   ``20004003`` rate outside the range / not one of the fixed rates;
   ``20004005`` term outside the days (day term) or months (month term) limit, when the
   product offers that unit;
   ``20004007`` term unit not offered;
   ``20004009`` interval count not offered, or (types 2–4) the term does not split into whole
   intervals;
   ``20004011`` interval unit not offered;
   ``20004014`` repayment type not offered.

Then the figures: service fee = amount × service fee rate (half-up to cents, deducted at
disbursement), ``replyAmount`` = amount − fee, the schedule dated from today (Asia/Shanghai),
and the annualised cost (CONTRACT §12: ``loans.amortization.annualized_cost``).

6. ``20004016``: with ``ANNUAL_COST_CAP`` set, an annualised cost above it (or none at all:
   nothing received) is refused, after every other check (CONTRACT §4, §12).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from cashloan.api.errors import ApiError
from cashloan.money import quantize_money
from loans.amortization import LoanTerms, Period, ScheduleTotals, annualized_cost, build_schedule, schedule_totals
from products import codes, rules
from products.models import Product
from products.selectors import ProductUnavailable, on_sale_product

logger = logging.getLogger(__name__)

AMOUNT_PATTERN = re.compile(r"\d{1,12}(\.\d{1,2})?", re.ASCII)
RATE_PATTERN = re.compile(r"\d{1,4}(\.\d{1,4})?", re.ASCII)
COUNT_PATTERN = re.compile(r"\d{1,4}", re.ASCII)
CODE_PATTERN = re.compile(r"0?\d", re.ASCII)
MAX_STORABLE_RATE = Decimal("9999.9999")


class QuoteRefused(ApiError):
    """A §22.4 code: the request breaks a format rule or one of the product's limits."""

    def __init__(self, code: str):
        super().__init__(codes.MESSAGES[code], code=code)


@dataclass(frozen=True)
class QuoteRequest:
    amount: Decimal
    rate: Decimal
    term_count: int
    term_unit: int
    interval_count: int
    interval_unit: int
    repay_type: int


@dataclass(frozen=True)
class Quote:
    product: Product
    request: QuoteRequest
    disbursed_on: date
    schedule: list[Period]
    totals: ScheduleTotals
    service_fee: Decimal
    reply_amount: Decimal
    annualized_cost_rate: Decimal | None

    @property
    def repay_time(self) -> date:
        return self.schedule[-1].due_date


# --- 2. formats ------------------------------------------------------------------------------


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _decimal(value, pattern: re.Pattern, code: str) -> Decimal:
    if _is_int(value) and value >= 0:
        value = str(value)
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise QuoteRefused(code)
    return Decimal(value)


def _count(value, code: str) -> int:
    if _is_int(value):
        value = str(value)
    if not isinstance(value, str) or not COUNT_PATTERN.fullmatch(value) or int(value) <= 0:
        raise QuoteRefused(code)
    return int(value)


def parse_code(value, allowed: frozenset[int]) -> int | None:
    """An enumeration value: ``"1"``, ``"01"`` or ``1``; None when not one of ``allowed``."""
    if _is_int(value):
        number = value
    elif isinstance(value, str) and CODE_PATTERN.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if number in allowed else None


def _code(value, allowed: frozenset[int], code: str) -> int:
    number = parse_code(value, allowed)
    if number is None:
        raise QuoteRefused(code)
    return number


def parse_quote_request(data: Mapping) -> QuoteRequest:
    """Step 2: the format checks, in CONTRACT §8 order."""
    amount = _decimal(data["amount"], AMOUNT_PATTERN, codes.AMOUNT_FORMAT)
    if amount <= 0:
        raise QuoteRefused(codes.AMOUNT_FORMAT)
    rate = _decimal(data["interestRate"], RATE_PATTERN, codes.RATE_FORMAT)
    term_count = _count(data["termCount"], codes.TERM_FORMAT)
    term_unit = _code(data["termUnit"], rules.TERM_UNITS, codes.TERM_UNIT_FORMAT)
    interval_count = _count(data["repayTermCount"], codes.INTERVAL_FORMAT)
    interval_unit = _code(data["repayTermUnit"], rules.INTERVAL_UNITS, codes.INTERVAL_UNIT_FORMAT)
    repay_type = _code(data["repayType"], rules.REPAY_TYPES, codes.REPAY_TYPE_FORMAT)
    return QuoteRequest(amount, rate, term_count, term_unit, interval_count, interval_unit, repay_type)


# --- 3. and 5. rules -------------------------------------------------------------------------


def check_universal_rules(request: QuoteRequest) -> None:
    code = rules.universal_violation(
        term_unit=request.term_unit, interval_unit=request.interval_unit, repay_type=request.repay_type
    )
    if code:
        raise QuoteRefused(code)


def product_limits(product: Product) -> rules.ProductLimits:
    try:
        return rules.limits_of(product)
    except rules.ProductRuleError as error:
        # Saved outside the admin's validation: nobody can borrow it until staff fix it.
        logger.error("product %s (%s) is inconsistent: %s", product.code, product.pk, error)
        raise ProductUnavailable("该产品暂不可申请") from None


def check_product_limits(product: Product, request: QuoteRequest) -> None:
    code = product_limits(product).violation(
        amount=request.amount,
        rate=request.rate,
        term_count=request.term_count,
        term_unit=request.term_unit,
        interval_count=request.interval_count,
        interval_unit=request.interval_unit,
        repay_type=request.repay_type,
    )
    if code:
        raise QuoteRefused(code)


# --- figures ---------------------------------------------------------------------------------


def loan_terms(product: Product, request: QuoteRequest) -> LoanTerms:
    return LoanTerms(
        amount=request.amount,
        annual_rate=request.rate,
        term_count=request.term_count,
        term_unit=request.term_unit,
        repay_type=request.repay_type,
        interval_count=request.interval_count,
        interval_unit=request.interval_unit,
        period_fee=product.period_fee,
    )


def service_fee(amount: Decimal, fee_rate: Decimal) -> Decimal:
    return quantize_money(amount * fee_rate)


def above_cap(cost: Decimal | None) -> bool:
    """Whether a cost breaks ``ANNUAL_COST_CAP`` (a cost that does not exist breaks any cap)."""
    cap = settings.ANNUAL_COST_CAP
    return cap is not None and (cost is None or cost > cap)


def _cost_rate(received: Decimal, terms: LoanTerms) -> Decimal | None:
    """The annualised cost, or None when it does not exist or would not fit the stored field (absurd terms)."""
    try:
        rate = annualized_cost(received, terms)
    except (ValueError, OverflowError):
        return None
    return rate if abs(rate) <= MAX_STORABLE_RATE else None


def quote_loan(product_id, data: Mapping, *, today: date | None = None, cached_product: bool = False) -> Quote:
    """Check a §22 / §23 request (the module's order) and work out its figures.

    ``cached_product``: read the product from the cached catalogue (the quote) rather than
    the database (the application).
    """
    request = parse_quote_request(data)
    check_universal_rules(request)
    product = on_sale_product(product_id, cached=cached_product)
    check_product_limits(product, request)
    disbursed_on = today or timezone.localdate()
    terms = loan_terms(product, request)
    schedule = build_schedule(terms, disbursed_on)
    fee = service_fee(request.amount, product.service_fee_rate)
    reply_amount = request.amount - fee
    cost = _cost_rate(reply_amount, terms)
    if above_cap(cost):
        raise QuoteRefused(codes.COST_ABOVE_CAP)
    return Quote(
        product=product,
        request=request,
        disbursed_on=disbursed_on,
        schedule=schedule,
        totals=schedule_totals(schedule),
        service_fee=fee,
        reply_amount=reply_amount,
        annualized_cost_rate=cost,
    )
