"""Login lockout (seed §4, CONTRACT §5): five wrong passwords within 15 minutes lock the
account for 15 minutes. Counters live in the shared cache, so every server sees them."""

from django.conf import settings
from django.core.cache import cache


def _settings() -> tuple[int, int, int]:
    return (
        settings.LOGIN_MAX_FAILURES,
        settings.LOGIN_FAILURE_WINDOW_SECONDS,
        settings.LOGIN_LOCK_SECONDS,
    )


def _lock_key(user_id: int) -> str:
    return f"login:lock:{user_id}"


def _failures_key(user_id: int) -> str:
    return f"login:failures:{user_id}"


def is_locked(user_id: int) -> bool:
    return cache.get(_lock_key(user_id)) is not None


def record_failure(user_id: int) -> bool:
    """Count a wrong password; True when this failure locked the account."""
    max_failures, window, lock_seconds = _settings()
    key = _failures_key(user_id)
    if cache.add(key, 1, timeout=window):  # the window starts at the first failure
        failures = 1
    else:
        try:
            failures = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window)
            failures = 1
    if failures < max_failures:
        return False
    cache.set(_lock_key(user_id), 1, timeout=lock_seconds)
    cache.delete(key)
    return True


def clear(user_id: int) -> None:
    cache.delete_many([_lock_key(user_id), _failures_key(user_id)])
