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

from . import schemas
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
            "list": [schemas.product_summary(p) for p in products],
            "details": {str(p.id): schemas.product_detail(p) for p in products},
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
