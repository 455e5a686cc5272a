"""The authentication backend's per-request user load (accounts/backends.py, accounts/snapshots.py)
and the signed request's single round trip to Redis (cashloan/api/trip.py)."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import snapshots
from accounts.backends import UserBackend
from accounts.models import Customer, User
from cashloan.api.signing import sign_request
from tests.factories import UserFactory

from .test_login import login_payload

pytestmark = pytest.mark.django_db

USES_REDIS = hasattr(cache, "client") and settings.SESSION_ENGINE.endswith(".cache")


def field_values(user: User) -> dict:
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


def load(user_id) -> tuple[User | None, int]:
    """The backend's user and how many queries it took."""
    with CaptureQueriesContext(connection) as queries:
        loaded = UserBackend().get_user(user_id)
    return loaded, len(queries)


def test_loads_the_same_row_as_the_orm_then_from_its_snapshot():
    user = UserFactory(real_name="王豆豆", total_credit=Decimal("1234.50"), last_login=timezone.now() - timedelta(days=1))
    first, first_queries = load(user.pk)
    again, again_queries = load(user.pk)
    assert (first_queries, again_queries) == (1, 0)
    for loaded in (first, again):
        assert type(loaded) is User and field_values(loaded) == field_values(User.objects.get(pk=user.pk))
        assert not loaded._state.adding


def test_unknown_and_inactive_users_are_nobody():
    inactive = UserFactory(is_active=False)
    assert UserBackend().get_user(inactive.pk) is None
    assert UserBackend().get_user(inactive.pk + 1000) is None


def _save(user):
    user.real_name = "改名"
    user.save()


def _save_proxy(user):
    customer = Customer.objects.get(pk=user.pk)
    customer.real_name = "改名"
    customer.save(update_fields=["real_name"])


def _update_by_pk(user):
    User.objects.filter(pk=user.pk).update(real_name="改名")


def _update_by_pk_in(user):
    Customer.objects.filter(pk__in=[user.pk]).update(real_name="改名")


def _update_by_other_column(user):
    User.objects.filter(mobile=user.mobile).update(real_name="改名")


def _update_excluding(user):
    User.objects.exclude(pk=user.pk + 1000).update(real_name="改名")


def _bulk_update(user):
    user.real_name = "改名"
    User.objects.bulk_update([user], ["real_name"])


@pytest.mark.parametrize("write", [_save, _save_proxy, _update_by_pk, _update_by_pk_in, _update_by_other_column, _update_excluding, _bulk_update])
def test_every_kind_of_write_disowns_the_snapshot(write):
    user = UserFactory(real_name="王豆豆")
    load(user.pk)
    assert load(user.pk) == (user, 0)  # cached
    write(User.objects.get(pk=user.pk))
    loaded, queries = load(user.pk)
    assert (loaded.real_name, queries) == ("改名", 1)


def test_a_deleted_user_is_nobody():
    user = UserFactory()
    load(user.pk)
    User.objects.filter(pk=user.pk).delete()
    assert load(user.pk)[0] is None


def test_a_row_read_before_a_write_is_never_used_after_it():
    """The version is read before the row: a reader that cached the old row under the version
    it saw before the write finds its snapshot disowned."""
    user = UserFactory(is_active=True)
    version = snapshots.fetch(user.pk).version  # set when the user was created
    assert version is not None
    User.objects.filter(pk=user.pk).update(is_active=False)  # the write lands between
    stale = User.objects.get(pk=user.pk)
    stale.is_active = True  # the row as the reader saw it before the write
    cache.set(snapshots.snapshot_key(user.pk), (version, *snapshots._row_of(stale)))
    assert UserBackend().get_user(user.pk) is None


def test_a_snapshot_of_other_columns_is_ignored():
    user = UserFactory()
    load(user.pk)
    version, names, values = cache.get(snapshots.snapshot_key(user.pk))
    cache.set(snapshots.snapshot_key(user.pk), (version, names[:-1], values[:-1]))
    assert load(user.pk) == (user, 1)


@pytest.mark.parametrize("deactivate", [
    lambda user: User.objects.filter(pk=user.pk).update(is_active=False),
    lambda user: setattr(user, "is_active", False) or user.save(),
], ids=["queryset update", "save"])
def test_a_deactivated_customer_is_refused_at_the_next_request(api, deactivate):
    user = UserFactory()
    assert api.post("/security/login", login_payload(user.mobile, "secret123")).ok
    assert api.client.session[SESSION_KEY] == str(user.pk)
    assert api.post("/appCommonApi/getUserCenterInfo", {}).ok
    assert api.post("/appCommonApi/getUserCenterInfo", {}).ok  # the second from the snapshot
    deactivate(User.objects.get(pk=user.pk))
    assert api.post("/appCommonApi/getUserCenterInfo", {}).code == "90004000"


def test_a_new_password_ends_the_other_sessions_at_their_next_request(api, client):
    """The snapshot carries the password hash the session is checked against."""
    from tests.conftest import SignedClient

    user = UserFactory()
    other = SignedClient(client.__class__())
    for session in (api, other):
        assert session.post("/security/login", login_payload(user.mobile, "secret123")).ok
        assert session.post("/appCommonApi/getUserCenterInfo", {}).ok
    fresh = User.objects.get(pk=user.pk)
    fresh.set_password("another1")
    fresh.save()
    assert other.post("/appCommonApi/getUserCenterInfo", {}).code == "90004000"


# --- one round trip --------------------------------------------------------------------------


def test_a_replayed_logged_in_request_is_refused(api):
    user = UserFactory()
    assert api.post("/security/login", login_payload(user.mobile, "secret123")).ok
    raw = json.dumps(sign_request({}, settings.APP_KEY)).encode()
    assert api.post_raw("/appCommonApi/getUserCenterInfo", raw).ok
    assert api.post_raw("/appCommonApi/getUserCenterInfo", raw).code == "90100003"
    assert api.post("/appCommonApi/getUserCenterInfo", {}).ok


def test_an_unknown_session_is_not_logged_in(api):
    assert api.post("/appCommonApi/getUserCenterInfo", {}, session="x" * 32).code == "90004000"


@pytest.mark.skipif(not USES_REDIS, reason="the single trip is Redis's (REDIS_URL)")
def test_a_logged_in_request_reads_redis_once(api, monkeypatch):
    """Replay check, session, user version and snapshot: one pipeline, once the process knows
    the session's user; a session's first request needs a second trip for the user."""
    from redis.connection import AbstractConnection

    user = UserFactory()
    assert api.post("/security/login", login_payload(user.mobile, "secret123")).ok
    sent = []
    real = AbstractConnection.send_packed_command
    monkeypatch.setattr(AbstractConnection, "send_packed_command", lambda self, *a, **k: sent.append(1) or real(self, *a, **k))
    with CaptureQueriesContext(connection) as first_queries:
        assert api.post("/appCommonApi/getUserCenterInfo", {}).ok
    first_trips, sent[:] = len(sent), []
    with CaptureQueriesContext(connection) as queries:
        assert api.post("/appCommonApi/getUserCenterInfo", {}).ok
    assert len(sent) == 1 < first_trips
    assert len(queries) == len(first_queries) - 1  # no user row
