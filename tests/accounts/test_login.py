"""Login and logout through signed HTTP calls (seed §4, §18; CONTRACT §5)."""

import pytest
from django.conf import settings

from accounts.models import Device
from tests.factories import UserFactory, encrypt_password

pytestmark = pytest.mark.django_db


def login_payload(mobile, password, **overrides):
    return {"username": mobile, "password": encrypt_password(password), "appType": "1", "token": "tok-1", **overrides}


class TestLogin:
    def test_success_returns_session_id_and_cookie(self, api):
        """§4: 90000000, resultSet = the session id, also set as the JSESSIONID cookie."""
        user = UserFactory()
        reply = api.post("/security/login", login_payload(user.mobile, "secret123"))
        assert (reply.body["exceptionFlag"], reply.code, reply.body["responseMessage"]) == ("0000", "90000000", "登陆授权成功")
        assert reply.response.cookies[settings.SESSION_COOKIE_NAME].value == reply.result
        assert api.post("/appCommonApi/getAuthenticationStatus", session=reply.result).code == "0000"

    def test_cookie_alone_authenticates(self, api, client):
        user = UserFactory()
        assert api.post("/security/login", login_payload(user.mobile, "secret123")).ok
        assert api.post("/appCommonApi/getAuthenticationStatus").code == "0000"  # via the client's cookie

    def test_device_is_stored_per_user_and_token(self, api):
        user = UserFactory()
        api.post("/security/login", login_payload(user.mobile, "secret123", appType="2", token="ios-token"))
        api.post("/security/login", login_payload(user.mobile, "secret123", appType="2", token="ios-token"))
        api.post("/security/login", login_payload(user.mobile, "secret123", appType="1", token="android-token"))
        devices = {(d.app_type, d.token) for d in Device.objects.filter(user=user)}
        assert devices == {("2", "ios-token"), ("1", "android-token")}

    def test_attempts_per_ip_are_bounded(self, api, settings):
        """Each attempt costs a slow password hash: past LOGIN_IP_PER_MINUTE, 90005000 (CONTRACT §4)."""
        settings.LOGIN_IP_PER_MINUTE = 3
        user = UserFactory()
        replies = [api.post("/security/login", login_payload(user.mobile, "wrong-pass")).code for _ in range(3)]
        assert replies == ["90002000"] * 3
        reply = api.post("/security/login", login_payload(user.mobile, "secret123"))
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "90005000")
        other_ip = api.post("/security/login", login_payload(user.mobile, "secret123"), REMOTE_ADDR="10.0.0.8")
        assert other_ip.code == "90000000"

    def test_no_account(self, api):
        reply = api.post("/security/login", login_payload("13912345678", "secret123"))
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "90001000")

    def test_wrong_password(self, api):
        user = UserFactory()
        reply = api.post("/security/login", login_payload(user.mobile, "wrong-one"))
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "90002000")
        assert reply.result == ""

    def test_lockout_after_five_wrong_passwords(self, api):
        """CONTRACT §5: five failures within 15 minutes lock; the right password is then refused."""
        user = UserFactory()
        codes = [api.post("/security/login", login_payload(user.mobile, "wrong-one")).code for _ in range(5)]
        assert codes == ["90002000"] * 4 + ["90003000"]
        assert api.post("/security/login", login_payload(user.mobile, "secret123")).code == "90003000"

    def test_success_resets_the_failure_count(self, api):
        user = UserFactory()
        for _ in range(4):
            api.post("/security/login", login_payload(user.mobile, "wrong-one"))
        assert api.post("/security/login", login_payload(user.mobile, "secret123")).ok
        for _ in range(4):
            assert api.post("/security/login", login_payload(user.mobile, "wrong-one")).code == "90002000"

    def test_lock_is_per_account(self, api):
        victim, other = UserFactory(), UserFactory()
        for _ in range(5):
            api.post("/security/login", login_payload(victim.mobile, "wrong-one"))
        assert api.post("/security/login", login_payload(other.mobile, "secret123")).ok

    def test_lock_expires(self, api, settings):
        settings.LOGIN_LOCK_SECONDS = 1
        user = UserFactory()
        for _ in range(5):
            api.post("/security/login", login_payload(user.mobile, "wrong-one"))
        from django.core.cache import cache

        # what the cache does after LOGIN_LOCK_SECONDS: the lock and the count end together
        cache.delete_many([f"login:lock:{user.pk}", f"login:failures:{user.pk}"])
        assert api.post("/security/login", login_payload(user.mobile, "secret123")).ok

    def test_inactive_account(self, api):
        user = UserFactory(is_active=False)
        assert api.post("/security/login", login_payload(user.mobile, "secret123")).code == "90009000"

    def test_bad_app_type_is_malformed_even_with_a_wrong_password(self, api):
        user = UserFactory()
        assert api.post("/security/login", login_payload(user.mobile, "wrong-one", appType="4")).code == "10001000"
        assert api.post("/security/login", login_payload(user.mobile, "secret123")).ok  # nothing counted

    def test_password_that_does_not_decrypt_is_malformed(self, api):
        user = UserFactory()
        reply = api.post("/security/login", login_payload(user.mobile, "x") | {"password": "secret123"})
        assert reply.code == "10001000" and "password" in reply.body["responseMessage"]

    @pytest.mark.parametrize("missing", ["username", "password", "appType", "token"])
    def test_missing_field(self, api, missing):
        user = UserFactory()
        payload = login_payload(user.mobile, "secret123")
        del payload[missing]
        reply = api.post("/security/login", payload)
        assert reply.code == "10001000" and missing in reply.body["responseMessage"]

    @pytest.mark.parametrize("bad", [{"appType": "7"}, {"username": ["13800000000"]}, {"token": {"a": 1}}, {"password": 12345678}])
    def test_ill_typed_fields(self, api, bad):
        user = UserFactory()
        reply = api.post("/security/login", login_payload(user.mobile, "secret123") | bad)
        assert reply.code == "10001000"
        assert not Device.objects.exists()

    def test_login_required_endpoint_without_session(self, api):
        assert api.post("/appCommonApi/getAuthenticationStatus").code == "90004000"


class TestQuitMobileLogin:
    def test_ends_the_named_session(self, api):
        """§18: 20003010; the session no longer works afterwards."""
        user = UserFactory()
        session_id = api.login(user.mobile, "secret123").result
        reply = api.post("/appApi/quitMobileLogin", {"sessionId": session_id})
        assert (reply.body["exceptionFlag"], reply.code) == ("0000", "20003010")
        assert api.post("/appCommonApi/getAuthenticationStatus", session=session_id).code == "90004000"

    def test_ends_a_session_named_from_another_connection(self, api, client):
        user = UserFactory()
        session_id = api.login(user.mobile, "secret123").result
        api.session_id = None
        client.cookies.clear()
        assert api.post("/appApi/quitMobileLogin", {"sessionId": session_id}).code == "20003010"
        assert api.post("/appCommonApi/getAuthenticationStatus", session=session_id).code == "90004000"

    def test_other_sessions_of_the_user_survive(self, api, client):
        user = UserFactory()
        first = api.login(user.mobile, "secret123").result
        api.session_id = None
        client.cookies.clear()  # a second device
        second = api.login(user.mobile, "secret123").result
        assert first != second
        api.post("/appApi/quitMobileLogin", {"sessionId": first})
        assert api.post("/appCommonApi/getAuthenticationStatus", session=second).code == "0000"

    def test_unknown_session_is_idempotent(self, api):
        assert api.post("/appApi/quitMobileLogin", {"sessionId": "ABCDEF0123456789"}).code == "20003010"

    @pytest.mark.parametrize("payload", [{}, {"sessionId": ""}, {"sessionId": "../etc"}, {"sessionId": ["x"]}, {"sessionId": "a" * 65}])
    def test_missing_or_bad_session_id(self, api, payload):
        assert api.post("/appApi/quitMobileLogin", payload).code == "10001000"
