"""A signed request's reads from Redis in one round trip.

A logged-in request needs three things from Redis: the replay memory (refuse a sign seen
before), its session, and its user's version and cached snapshot (``accounts.snapshots``).
Asked one at a time they cost a round trip each, on this machine about as much CPU as a
whole plain Django request; here they go out as one pipeline. Which user a session belongs to
is known only after reading it, so each process remembers it per session key (a session key
names one user for its whole life: a login makes a new key); a process's first request of a
session reads the user in a second trip.

Without django-redis (the SQLite fallback of development and quick tests) each is asked
in turn, with the same outcome.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache

from accounts import snapshots

from .errors import ReplayedRequest
from .verification import remember_sign, replay_key, replay_seconds

# Session key → user id, as seen by this process (bounded: cleared when full).
_session_users: dict[str, str] = {}
SESSION_USERS_KEPT = 50_000


def first_trip(request, sign: str, *, logged_in: bool) -> snapshots.Fetched | None:
    """Remember ``sign`` (ReplayedRequest when seen before); for a ``logged_in`` endpoint also
    load the session into ``request.session`` and fetch the user's version and snapshot,
    returned for ``accounts.snapshots.prefetched``."""
    session = getattr(request, "session", None)
    session_key = session.session_key if logged_in and session is not None else None
    if not session_key or not _is_redis_session(session):
        remember_sign(sign)
        return None
    user_id = _session_users.get(session_key)
    client = cache.client
    pipe = client.get_client(write=True).pipeline(transaction=False)
    pipe.set(client.make_key(replay_key(sign)), client.encode(1), nx=True, px=replay_seconds() * 1000)
    pipe.get(client.make_key(session.cache_key))
    if user_id is not None:
        pipe.get(client.make_key(snapshots.version_key(user_id)))
        pipe.get(client.make_key(snapshots.snapshot_key(user_id)))
    replies = pipe.execute()
    if not replies[0]:
        raise ReplayedRequest()
    data = _decode(replies[1])
    if data is None:  # what SessionStore.load does with a missing session
        session._session_key = None
        data = {}
    session._session_cache = data
    if user_id is None or str(data.get(SESSION_KEY)) != user_id:
        return None
    return snapshots.Fetched(user_id, _decode(replies[2]), _decode(replies[3]))


def remember_session_user(request, user) -> None:
    """After the login check: which user this session key names, for the next request's trip."""
    session_key = request.session.session_key
    if session_key and user.pk is not None and session_key not in _session_users:
        if len(_session_users) >= SESSION_USERS_KEPT:
            _session_users.clear()
        _session_users[session_key] = str(user.pk)


def _decode(raw):
    return None if raw is None else cache.client.decode(raw)


def _is_redis_session(session) -> bool:
    return settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache" and hasattr(cache, "client") and hasattr(
        cache.client, "get_client"
    ) and not hasattr(session, "_session_cache")
