"""Reads of the catalogue: the §20 list and §21 details, served from the cache.

The whole on-sale catalogue is one cache entry keyed by a version number; any product save or
delete bumps the version (``products.signals``), so the next read rebuilds it. Warm reads
touch no database, and an unknown id costs nothing either (it is simply not in the entry).

The version starts from the clock, not from 1: if Redis evicts the version key, a restarted
count can never meet an entry cached under an older version.
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from cashloan.api.errors import MalformedRequest
from cashloan.money import money_str, rate_str

from . import rules
from .models import Product

VERSION_KEY = "products:catalogue:version"


class ProductUnavailable(MalformedRequest):
    """Seed §21.4: an unknown, off-sale or malformed product id is ``10001000``."""

    message = "产品不存在或已下架"


def _cache_seconds() -> int:
    return settings.PRODUCT_CACHE_SECONDS


# --- the version key --------------------------------------------------------------------------


def catalogue_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_catalogue_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # missing (evicted, or never read)
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def invalidate_catalogue() -> None:
    """Forget the cached catalogue now and again after the transaction commits.

    The second bump closes the window where a reader caches the old rows under the new version
    between our first bump and our commit.
    """
    forget_process_copy()
    bump_catalogue_version()
    transaction.on_commit(bump_catalogue_version)


# --- the cached catalogue ------------------------------------------------------------------


# Bumped whenever the cached entry's layout changes, so a deploy never reads an old layout.
CATALOGUE_SHAPE = 2

# This process's copy of the catalogue: (version, entry, when the version was last checked).
# It is used without asking the cache for up to PRODUCT_VERSION_RECHECK_SECONDS, then while
# the shared version stays the same. A save in this process forgets it at once; one in another
# process is seen here within the recheck interval.
_process_copy: tuple[int | None, dict | None, float] = (None, None, 0.0)


def forget_process_copy() -> None:
    global _process_copy
    _process_copy = (None, None, 0.0)


def catalogue() -> dict:
    """``{"list": [§20 rows], "details": {id: §21 row}, "products": {id: Product}}`` of the
    products on sale (shared: read-only)."""
    global _process_copy
    copied_version, entry, checked_at = _process_copy
    now = time.monotonic()
    if entry is not None and now - checked_at < settings.PRODUCT_VERSION_RECHECK_SECONDS:
        return entry
    version = catalogue_version()
    if copied_version == version:
        _process_copy = (version, entry, now)
        return entry
    key = f"products:catalogue:{CATALOGUE_SHAPE}:{version}"
    entry = cache.get(key)
    if entry is None:
        products = list(Product.objects.filter(on_sale=True).order_by("display_order", "created_at"))
        entry = {
            "list": [product_summary(p) for p in products],
            "details": {str(p.id): product_detail(p) for p in products},
            "products": {str(p.id): p for p in products},
        }
        cache.set(key, entry, timeout=_cache_seconds())
    _process_copy = (version, entry, now)
    return entry


def product_list() -> list[dict]:
    return catalogue()["list"]


def product_details(product_id: str) -> dict:
    detail = catalogue()["details"].get(normalise_product_id(product_id))
    if detail is None:
        raise ProductUnavailable()
    return detail


def normalise_product_id(product_id) -> str:
    try:
        return str(uuid.UUID(str(product_id)))
    except (ValueError, AttributeError, TypeError):
        raise ProductUnavailable("产品编号格式错误") from None


def on_sale_product(product_id, *, cached: bool = False) -> Product:
    """The product on sale. ``cached``: the catalogue's copy, current as of its version (enough
    for a quote); otherwise read from the database (an application commits to its terms)."""
    if cached:
        product = catalogue()["products"].get(normalise_product_id(product_id))
    else:
        product = Product.objects.filter(pk=normalise_product_id(product_id), on_sale=True).first()
    if product is None:
        raise ProductUnavailable()
    return product


# --- rendering -----------------------------------------------------------------------------


def _text(value) -> str:
    return "" if value is None else str(value)


def _normalised_list(text: str, parse, render) -> str:
    """``"7, 14"`` → ``"7,14"``; amounts ``"500.00"``; rates ``"0.3600"``. Unparseable: as stored."""
    try:
        return ",".join(render(value) for value in parse(text))
    except rules.RuleError:
        return text


def _amounts(text: str) -> str:
    return _normalised_list(text, rules.parse_amounts, money_str)


def _rates(text: str) -> str:
    return _normalised_list(text, rules.parse_rates, rate_str)


def _counts(text: str) -> str:
    return _normalised_list(text, rules.parse_counts, str)


def product_summary(product: Product) -> dict:
    """Seed §20's fields, every value a string ("" when not set)."""
    return {
        "id": str(product.id),
        "name": product.name,
        "amountLimitType": str(product.amount_limit_type),
        "singleMinAmount": money_str(product.single_min_amount),
        "singleMaxAmount": money_str(product.single_max_amount),
        "singleAmounts": _amounts(product.single_amounts),
        "termUnit": _counts(product.term_units),
        "daysLimitType": str(product.days_limit_type),
        "singleMinDays": _text(product.single_min_days),
        "singleMaxDays": _text(product.single_max_days),
        "singleDays": _counts(product.single_days),
        "monthsLimitType": str(product.months_limit_type),
        "singleMinMonths": _text(product.single_min_months),
        "singleMaxMonths": _text(product.single_max_months),
        "singleMonths": _counts(product.single_months),
    }


def product_detail(product: Product) -> dict:
    """Seed §21's fields and dictionaries, plus the fees and penalty rate (CONTRACT §8)."""
    return {
        **product_summary(product),
        "detailDescription": product.detail_description,
        "thirdServiceCode": product.third_service_code,
        "singleDefaultAmount": money_str(product.single_default_amount),
        "interestRateLimitType": str(product.interest_rate_limit_type),
        "minInterestRate": rate_str(product.min_interest_rate),
        "maxInterestRate": rate_str(product.max_interest_rate),
        "interestRates": _rates(product.interest_rates),
        "defaultInterestRate": rate_str(product.default_interest_rate),
        "singleDefaultDays": _text(product.single_default_days),
        "singleDefaultMonths": _text(product.single_default_months),
        "repayType": _counts(product.repay_types),
        "defaultRepayTermCount": _text(product.default_repay_term_count),
        "defaultRepayTermUnit": _text(product.default_repay_term_unit),
        "repayTermUnit": _counts(product.repay_term_units),
        "repayTermCounts": _counts(product.repay_term_counts),
        "serviceFeeRate": rate_str(product.service_fee_rate),
        "periodFee": money_str(product.period_fee),
        "penaltyRate": rate_str(product.penalty_rate),
        "termUnitData": dict(rules.TERM_UNIT_DATA),
        "repayTermUnitData": dict(rules.REPAY_TERM_UNIT_DATA),
        "repayTypeData": dict(rules.REPAY_TYPE_DATA),
        "purposeData": dict(rules.PURPOSE_DATA),
        "otherChannelsData": dict(rules.OTHER_CHANNELS_DATA),
    }
