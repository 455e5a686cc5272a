"""The authentication backend's per-request user load (accounts/backends.py)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.backends import UserBackend
from accounts.models import User
from tests.factories import UserFactory

from .test_login import login_payload

pytestmark = pytest.mark.django_db


def field_values(user: User) -> dict:
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


def test_loads_the_same_row_as_the_orm_in_one_query():
    user = UserFactory(real_name="王豆豆", total_credit=Decimal("1234.50"), last_login=timezone.now() - timedelta(days=1))
    with CaptureQueriesContext(connection) as queries:
        loaded = UserBackend().get_user(user.pk)
    assert len(queries) == 1
    assert type(loaded) is User and field_values(loaded) == field_values(User.objects.get(pk=user.pk))


def test_unknown_and_inactive_users_are_nobody():
    inactive = UserFactory(is_active=False)
    assert UserBackend().get_user(inactive.pk) is None
    assert UserBackend().get_user(inactive.pk + 1000) is None


def test_a_logged_in_request_sees_the_row_as_it_is_now(api):
    """Nothing is cached: a user deactivated after logging in is refused at the next request."""
    user = UserFactory()
    assert api.post("/security/login", login_payload(user.mobile, "secret123")).ok
    assert api.client.session[SESSION_KEY] == str(user.pk)
    assert api.post("/appCommonApi/getUserCenterInfo", {}).ok
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert api.post("/appCommonApi/getUserCenterInfo", {}).code == "90004000"
