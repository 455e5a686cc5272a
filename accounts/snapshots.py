"""The logged-in user's row, cached in the shared cache and checked against a per-user version.

Every request of a logged-in customer needs its user row. It is kept in the cache as a
snapshot tagged with the user's version number, which every write to the user changes
(``bump_versions``: a save or delete through the ``post_save``/``post_delete`` signals, a
queryset ``update`` or ``bulk_update`` through ``UserQuerySet``). A snapshot is used only while
its tag equals the current version, so a deactivated, blacklisted or edited customer is seen as
such at the next request, as when the row was read fresh each time.

The version is bumped at once and again when the transaction commits: a reader that caches the
old row under the first bump (before the commit) has it disowned by the second. The reader
always reads the version *before* the row, so a snapshot can only be tagged older than its row.
Versions start from the clock, like the catalogue's (``products.selectors``): if the cache loses
a version key, a restarted count cannot meet a snapshot tagged before.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction

SNAPSHOT_SECONDS = 24 * 3600  # an idle customer's snapshot is dropped after a day


def version_key(user_id) -> str:
    return f"user:version:{user_id}"


def snapshot_key(user_id) -> str:
    return f"user:snapshot:{user_id}"


@dataclass(frozen=True)
class Fetched:
    """A user's version and snapshot as read from the cache (either may be None)."""

    user_id: str
    version: int | None
    snapshot: Any


# The version and snapshot read for this request in the API's single round trip
# (``cashloan.api.trip``); the backend's ``get_user`` uses them instead of asking the cache again.
prefetched: ContextVar[Fetched | None] = ContextVar("prefetched_user", default=None)


def fetch(user_id) -> Fetched:
    values = cache.get_many([version_key(user_id), snapshot_key(user_id)])
    return Fetched(str(user_id), values.get(version_key(user_id)), values.get(snapshot_key(user_id)))


def load_user(user_id, read_row: Callable[[Any], Any]):
    """The user ``user_id`` from its snapshot when current, else ``read_row(user_id)`` (None: no
    such user), remembered for the next request."""
    fetched = prefetched.get()
    if fetched is None or fetched.user_id != str(user_id):
        fetched = fetch(user_id)
    user = _from_snapshot(fetched)
    if user is not None:
        return user
    version = fetched.version if fetched.version is not None else _start_version(user_id)
    user = read_row(user_id)
    if user is not None and version is not None:
        cache.set(snapshot_key(user_id), (version, *_row_of(user)), timeout=SNAPSHOT_SECONDS)
    return user


def bump_versions(user_ids: Iterable) -> None:
    """Disown every cached snapshot of these users, now and when the transaction commits."""
    keys = [version_key(user_id) for user_id in set(user_ids)]
    if not keys:
        return
    _bump(keys)
    transaction.on_commit(lambda: _bump(keys))


def _bump(keys: list[str]) -> None:
    for key in keys:
        try:
            cache.incr(key)
        except ValueError:  # no version yet (or evicted)
            cache.set(key, time.time_ns(), timeout=None)


def _start_version(user_id) -> int | None:
    cache.add(version_key(user_id), time.time_ns(), timeout=None)
    return cache.get(version_key(user_id))


def _row_of(user) -> tuple[tuple[str, ...], tuple]:
    fields = user._meta.concrete_fields
    return tuple(field.attname for field in fields), tuple(getattr(user, field.attname) for field in fields)


def _from_snapshot(fetched: Fetched):
    snapshot = fetched.snapshot
    if fetched.version is None or not isinstance(snapshot, tuple) or len(snapshot) != 3 or snapshot[0] != fetched.version:
        return None
    _, names, values = snapshot
    User = get_user_model()
    if names != _attnames(User):  # cached by a release with other columns
        return None
    return User.from_db("default", names, values)


def _attnames(model) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)
