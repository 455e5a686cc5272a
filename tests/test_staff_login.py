"""Staff login is throttled and locked (CONTRACT §11, issue 10 item 3): django-axes locks a user
name, and separately a client address, after ADMIN_LOGIN_MAX_FAILURES (5) failures; the
lock-out page is in Chinese; a superuser unlocks from the admin."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY

from cashloan.models import StaffLoginFailure
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "secret123"  # the factories' password


def log_in(client, username, password, address="198.51.100.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return SESSION_KEY in client.session


@pytest.fixture
def staff():
    return UserFactory(username="officer", is_staff=True)


def test_five_wrong_passwords_lock_the_user_name(client, staff):
    """The attack of the issue: 30 wrong passwords then the right one logged in."""
    for _ in range(4):
        assert log_in(client, "officer", "wrong").status_code == 200  # the login form again
    assert log_in(client, "officer", "wrong").status_code == 429  # the 5th failure locks
    response = log_in(client, "officer", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429 and not logged_in(client)
    assert "登录已被锁定" in page and "连续 5 次登录失败" in page and "约 15 分钟" in page
    elsewhere = log_in(client, "officer", PASSWORD, address="198.51.100.99")
    assert elsewhere.status_code == 429 and not logged_in(client)  # the name is locked from anywhere


def test_five_failures_from_one_address_lock_the_address(client, staff):
    UserFactory(username="another", is_staff=True)
    for number in range(5):
        log_in(client, f"guess{number}", "wrong", address="203.0.113.9")
    assert log_in(client, "officer", PASSWORD, address="203.0.113.9").status_code == 429
    assert not logged_in(client)
    assert log_in(client, "another", PASSWORD, address="203.0.113.10").status_code == 302
    assert logged_in(client)


def test_fewer_failures_then_the_right_password_logs_in(client, staff):
    for _ in range(4):
        log_in(client, "officer", "wrong")
    assert log_in(client, "officer", PASSWORD).status_code == 302 and logged_in(client)


def test_a_superuser_unlocks_and_it_is_logged(client, staff):
    for _ in range(5):
        log_in(client, "officer", "wrong")
    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    admin = type(client)()
    admin.force_login(boss)
    listing = admin.get("/admin/cashloan/staffloginfailure/").content.decode()
    assert "后台登录失败记录" in listing and "officer" in listing
    row = StaffLoginFailure.objects.get(username="officer")
    admin.post("/admin/cashloan/staffloginfailure/", {"action": "unlock", "_selected_action": [str(row.pk)]})
    entry = LogEntry.objects.get(object_id=str(row.pk))
    assert entry.user == boss and entry.change_message == "解除锁定。失败次数：5 → 0"
    assert log_in(client, "officer", PASSWORD).status_code == 302 and logged_in(client)


def test_only_superusers_see_the_locks(client, staff):
    client.force_login(UserFactory(is_staff=True, is_superuser=False))
    assert client.get("/admin/cashloan/staffloginfailure/").status_code == 403


def test_customer_api_logins_are_not_counted_as_staff_failures(api):
    """Customers log in through the signed API with their own lock (CONTRACT §5)."""
    user = UserFactory()
    for _ in range(3):
        api.login(user.mobile, "wrong")
    assert not StaffLoginFailure.objects.exists()

