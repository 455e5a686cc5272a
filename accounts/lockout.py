"""Login lockout (seed §4, CONTRACT §5): five wrong passwords within 15 minutes lock the
account for 15 minutes. Counters live in the shared cache, so every server sees them.

An attempt is counted *before* its password is checked (:func:`reserve_attempt`), with the
cache's atomic increment: of any number of concurrent guesses only the first
``LOGIN_MAX_FAILURES`` of the window reach a password check, the others are refused as locked.
(Counting after the check let 7 concurrent guesses through where 5 were allowed.)
"""

from django.conf import settings
from django.core.cache import cache


def _lock_key(user_id: int) -> str:
    return f"login:lock:{user_id}"


def _attempts_key(user_id: int) -> str:
    return f"login:failures:{user_id}"


def is_locked(user_id: int) -> bool:
    return cache.get(_lock_key(user_id)) is not None


def reserve_attempt(user_id: int) -> int | None:
    """This attempt's number in the window (the window starts at the first one), or None when
    the account is locked or the window's allowance is used up by attempts still in flight."""
    if is_locked(user_id):
        return None
    key = _attempts_key(user_id)
    cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    try:
        attempt = cache.incr(key)
    except ValueError:  # expired between add and incr: a new window
        cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)
        attempt = 1
    return attempt if attempt <= settings.LOGIN_MAX_FAILURES else None


def record_failure(user_id: int, attempt: int) -> bool:
    """The reserved ``attempt`` had a wrong password; True when it was the last one allowed,
    which locks the account for ``LOGIN_LOCK_SECONDS``."""
    if attempt < settings.LOGIN_MAX_FAILURES:
        return False
    cache.set(_lock_key(user_id), 1, timeout=settings.LOGIN_LOCK_SECONDS)
    # The count ends with the lock, not before: deleting it now would open a new window to a
    # guess that checked the lock a moment before it was set.
    cache.touch(_attempts_key(user_id), settings.LOGIN_LOCK_SECONDS)
    return True


def clear(user_id: int) -> None:
    """A right password, a reset or a change: the count starts again."""
    cache.delete_many([_lock_key(user_id), _attempts_key(user_id)])
