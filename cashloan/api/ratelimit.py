"""Fixed-window counters in the shared cache, for per-mobile and per-IP limits."""

from django.conf import settings
from django.core.cache import cache


def hit(key: str, limit: int, window_seconds: int) -> bool:
    """Count one event under ``key``; False once more than ``limit`` happened in the window."""
    cache_key = f"rl:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


def client_ip(request) -> str:
    """The caller's address. Behind ``TRUSTED_PROXY_COUNT`` proxies, the address the nearest
    of them saw (taken from the right of X-Forwarded-For, so a client cannot forge it)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
