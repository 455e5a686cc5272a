"""Captcha, SMS codes and registration (seed §7–§10; CONTRACT §7)."""

import json
import time
from importlib import import_module

import pytest
from django.conf import settings
from django.core.cache import cache

from accounts.challenges import CAPTCHA_ALPHABET
from accounts.models import User
from messaging.models import SmsMessage
from tests.factories import UserFactory, encrypt_password

from .helpers import sms_codes

pytestmark = pytest.mark.django_db
MOBILE = "13712345678"


class TestGetCode:
    def test_four_unambiguous_characters_and_a_session_cookie(self, api):
        """§7: resultSet = the captcha; an anonymous session is created so the cookie comes back."""
        reply = api.post("/openApi/getCode")
        assert (reply.body["exceptionFlag"], reply.code, reply.body["responseMessage"]) == ("0000", "0000", "获取验证码成功")
        assert len(reply.result) == 4 and set(reply.result) <= set(CAPTCHA_ALPHABET)
        assert reply.response.cookies[settings.SESSION_COOKIE_NAME].value

    def test_the_anonymous_session_lives_minutes(self, api, settings):
        """Issue 10 item 12: each getCode left a session living 30 days (500 calls, 601 keys)."""
        reply = api.post("/openApi/getCode")
        cookie = reply.response.cookies[settings.SESSION_COOKIE_NAME]
        assert cookie["max-age"] == settings.ANONYMOUS_SESSION_SECONDS == 600
        store = import_module(settings.SESSION_ENGINE).SessionStore(cookie.value)
        assert store.exists(cookie.value) and store.get_expiry_age() == 600

    def test_a_login_from_that_session_lives_the_full_age(self, api, settings):
        api.post("/openApi/getCode")
        user = UserFactory(mobile="13712345670")
        assert api.login(user.mobile, "secret123").ok
        store = import_module(settings.SESSION_ENGINE).SessionStore(api.session_id)
        assert store.get_expiry_age() == settings.SESSION_COOKIE_AGE

    def test_rate_limited_per_ip(self, api, settings):
        """Issue 10 item 12: getCode is limited per client IP (``CAPTCHA_IP_PER_MINUTE``)."""
        settings.CAPTCHA_IP_PER_MINUTE = 3
        codes = [api.post("/openApi/getCode", REMOTE_ADDR="203.0.113.7").code for _ in range(4)]
        assert codes == ["0000", "0000", "0000", "90005000"]
        assert api.post("/openApi/getCode", REMOTE_ADDR="203.0.113.8").code == "0000"

    def test_bound_to_the_session(self, steps, api, client):
        captcha = steps.captcha()
        client.cookies.clear()  # another caller, without the session
        assert steps.send_code(MOBILE, captcha=captcha).code == "10002002"

    def test_is_single_use(self, steps):
        captcha = steps.captcha()
        assert steps.send_code(MOBILE, captcha=captcha).code == "20001000"
        assert steps.send_code("13712345679", captcha=captcha).code == "10002002"

    def test_a_wrong_guess_uses_it_up(self, steps):
        captcha = steps.captcha()
        wrong = "2222" if captcha != "2222" else "3333"
        assert steps.send_code(MOBILE, captcha=wrong).code == "10002001"
        assert steps.send_code(MOBILE, captcha=captcha).code == "10002002"

    def test_case_insensitive(self, steps):
        assert steps.send_code(MOBILE, captcha=steps.captcha().upper()).code == "20001000"

    def test_expires(self, steps, api, client):
        """Valid 2 minutes: after that the cache has forgotten it (10002002)."""
        captcha = steps.captcha()
        cache.delete(f"captcha:{client.cookies[settings.SESSION_COOKIE_NAME].value}")
        assert steps.send_code(MOBILE, captcha=captcha).code == "10002002"

    def test_lifetime_follows_the_setting(self, steps, settings):
        settings.CAPTCHA_TTL_SECONDS = 1
        captcha = steps.captcha()
        time.sleep(1.2)
        assert steps.send_code(MOBILE, captcha=captcha).code == "10002002"


class TestGetSmsCode:
    def test_sends_a_six_digit_code(self, steps, sms_file):
        """§8: 20001000; the SMS is recorded and delivered through the backend."""
        reply = steps.send_code(MOBILE)
        assert (reply.body["exceptionFlag"], reply.code, reply.result) == ("0000", "20001000", "")
        (code,) = sms_codes(sms_file, MOBILE)
        assert len(code) == 6 and code.isdigit()
        sms = SmsMessage.objects.get(mobile=MOBILE)
        assert sms.purpose == "register" and sms.status == SmsMessage.Status.SENT

    def test_already_registered(self, steps, sms_file):
        user = UserFactory()
        reply = steps.send_code(user.mobile)
        assert (reply.code, reply.body["responseMessage"]) == ("10001000", "手机号码已注册")
        assert sms_codes(sms_file, user.mobile) == []

    @pytest.mark.parametrize("mobile", ["12345678901", "1371234567", "abc", "137123456789"])
    def test_bad_mobile_format(self, steps, mobile):
        reply = steps.send_code(mobile)
        assert (reply.code, reply.body["responseMessage"]) == ("10001000", "手机号码格式错误")

    @pytest.mark.parametrize("payload", [{"mobile": MOBILE}, {"code": "abcd"}, {"mobile": [MOBILE], "code": "abcd"}, {"mobile": MOBILE, "code": None}])
    def test_missing_or_ill_typed(self, api, payload):
        assert api.post("/openApi/getSmsCode", payload).code == "10001000"
        assert not SmsMessage.objects.exists()

    def test_second_sms_within_60_seconds_is_refused(self, steps, sms_file):
        assert steps.send_code(MOBILE).code == "20001000"
        reply = steps.send_code(MOBILE)
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "90005000")
        assert len(sms_codes(sms_file, MOBILE)) == 1

    def test_another_mobile_is_not_held_back(self, steps):
        assert steps.send_code(MOBILE).code == "20001000"
        assert steps.send_code("13712345679").code == "20001000"

    def test_daily_limit_per_mobile(self, steps, settings):
        settings.SMS_MOBILE_INTERVAL_SECONDS = 1
        settings.SMS_MOBILE_DAILY_LIMIT = 2
        for _ in range(2):
            assert steps.send_code(MOBILE).code == "20001000"
            cache.delete(f"sms:gap:{MOBILE}")  # the minute passed
        assert steps.send_code(MOBILE).code == "90005000"

    def test_hourly_limit_per_ip(self, steps, settings):
        settings.SMS_IP_HOURLY_LIMIT = 3
        for index in range(3):
            assert steps.send_code(f"1371234560{index}").code == "20001000"
        assert steps.send_code("13712345609").code == "90005000"
        assert steps.send_code("13712345608", REMOTE_ADDR="10.0.0.2").code == "20001000"

    def test_message_names_the_code_and_validity(self, steps, sms_file):
        """The customer's SMS names the code; the SMS log records it as ****** (CONTRACT §11)."""
        steps.send_code(MOBILE)
        delivered = json.loads(sms_file.read_text(encoding="utf-8").splitlines()[-1])["text"]
        code = steps.last_code(MOBILE)
        assert code in delivered and "5分钟" in delivered
        recorded = SmsMessage.objects.get(mobile=MOBILE)
        assert recorded.text == delivered.replace(code, "******") and recorded.sealed_text == ""


class TestCheckSmsCode:
    def test_right_code(self, steps):
        """§9: 20002006."""
        steps.send_code(MOBILE)
        reply = steps.check_code(MOBILE, steps.last_code(MOBILE))
        assert (reply.body["exceptionFlag"], reply.code) == ("0000", "20002006")

    def test_single_use(self, steps):
        steps.send_code(MOBILE)
        code = steps.last_code(MOBILE)
        assert steps.check_code(MOBILE, code).code == "20002006"
        assert steps.check_code(MOBILE, code).code == "20002004"

    def test_wrong_code(self, steps):
        steps.send_code(MOBILE)
        wrong = "000000" if steps.last_code(MOBILE) != "000000" else "111111"
        reply = steps.check_code(MOBILE, wrong)
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "20002005")

    def test_no_code_sent_or_expired(self, steps):
        assert steps.check_code(MOBILE, "123456").code == "20002004"
        steps.send_code(MOBILE)
        code = steps.last_code(MOBILE)
        cache.delete(f"smscode:register:{MOBILE}")  # five minutes later
        assert steps.check_code(MOBILE, code).code == "20002004"

    def test_five_wrong_tries_burn_the_code(self, steps):
        """At most 5 tries: the 6th and the 7th are refused even with the right code."""
        steps.send_code(MOBILE)
        code = steps.last_code(MOBILE)
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(5):
            assert steps.check_code(MOBILE, wrong).code == "20002005"
        assert steps.check_code(MOBILE, wrong).code == "20002005"  # a seventh attempt follows
        reply = steps.check_code(MOBILE, code)
        assert reply.code == "20002005" and "次数过多" in reply.body["responseMessage"]
        assert steps.register(MOBILE, "newpass1").code == "20003001"

    def test_a_new_code_replaces_the_old_and_resets_tries(self, steps, settings):
        settings.SMS_MOBILE_INTERVAL_SECONDS = 1
        steps.send_code(MOBILE)
        first = steps.last_code(MOBILE)
        for _ in range(5):
            steps.check_code(MOBILE, "999999" if first != "999999" else "888888")
        cache.delete(f"sms:gap:{MOBILE}")
        steps.send_code(MOBILE)
        second = steps.last_code(MOBILE)
        if first != second:
            assert steps.check_code(MOBILE, first).code == "20002005"
        assert steps.check_code(MOBILE, second).code == "20002006"

    def test_registered_mobile(self, steps):
        user = UserFactory()
        reply = steps.check_code(user.mobile, "123456")
        assert (reply.code, reply.body["responseMessage"]) == ("10001000", "手机号码已注册")

    def test_bad_format_and_missing(self, api):
        assert api.post("/openApi/checkSmsCode", {"mobile": "1", "smscode": "123456"}).body["responseMessage"] == "手机号码格式错误"
        assert api.post("/openApi/checkSmsCode", {"mobile": MOBILE}).code == "10001000"
        assert api.post("/openApi/checkSmsCode", {"smscode": "123456"}).code == "10001000"

    def test_reset_code_cannot_register(self, steps):
        """Register-flow and reset-flow codes are separate."""
        user = UserFactory()
        steps.send_code(user.mobile, reset=True)
        code = steps.last_code(user.mobile)
        user.delete()  # the mobile is free again, but the code was for a reset
        assert steps.check_code(user.mobile, code).code == "20002004"


class TestUserRegister:
    def test_after_checked_code_real_hasher(self, steps, api):
        """§10: 20003000; stored as an Argon2 hash; the account logs in with the new password."""
        steps.verified_code(MOBILE)
        reply = steps.register(MOBILE, "newpass1")
        assert (reply.body["exceptionFlag"], reply.code, reply.body["responseMessage"]) == ("0000", "20003000", "密码设置成功")
        user = User.objects.get(mobile=MOBILE)
        assert user.username == MOBILE and user.password.startswith("argon2")
        assert api.login(MOBILE, "newpass1").code == "90000000"

    def test_without_check_sms_code_is_refused(self, steps):
        """CONTRACT §7: no server-side proof, no account."""
        reply = steps.register(MOBILE, "newpass1")
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "20003001")
        assert "短信验证码" in reply.body["responseMessage"]
        assert not User.objects.filter(mobile=MOBILE).exists()

    def test_sent_but_not_checked_is_refused(self, steps):
        steps.send_code(MOBILE)
        assert steps.register(MOBILE, "newpass1").code == "20003001"

    def test_proof_is_consumed(self, steps):
        steps.verified_code(MOBILE)
        assert steps.register(MOBILE, "newpass1").code == "20003000"
        User.objects.filter(mobile=MOBILE).delete()
        assert steps.register(MOBILE, "newpass1").code == "20003001"

    def test_proof_expires(self, steps):
        steps.verified_code(MOBILE)
        cache.delete(f"smsproof:register:{MOBILE}")  # ten minutes later
        assert steps.register(MOBILE, "newpass1").code == "20003001"

    def test_proof_is_per_mobile(self, steps):
        steps.verified_code(MOBILE)
        assert steps.register("13712345679", "newpass1").code == "20003001"

    def test_mismatched_confirmation_keeps_the_proof(self, steps):
        steps.verified_code(MOBILE)
        reply = steps.register(MOBILE, "newpass1", confirm="newpass2")
        assert reply.code == "20003001" and "不一致" in reply.body["responseMessage"]
        assert steps.register(MOBILE, "newpass1").code == "20003000"

    @pytest.mark.parametrize("password", ["12345", "a" * 21])
    def test_password_length(self, steps, password):
        steps.verified_code(MOBILE)
        reply = steps.register(MOBILE, password)
        assert reply.code == "20003001" and "长度" in reply.body["responseMessage"]

    def test_already_registered(self, steps):
        user = UserFactory()
        reply = steps.register(user.mobile, "newpass1")
        assert (reply.code, reply.body["responseMessage"]) == ("10001000", "手机号码已注册")

    def test_bad_mobile(self, steps):
        assert steps.register("23712345678", "newpass1").body["responseMessage"] == "手机号码格式错误"

    def test_undecryptable_password_is_malformed(self, steps, api):
        steps.verified_code(MOBILE)
        reply = api.post("/openApi/userRegister", {"mobile": MOBILE, "password": "newpass1", "confirmPassword": "newpass1"})
        assert reply.code == "10001000"
        assert not User.objects.filter(mobile=MOBILE).exists()

    @pytest.mark.parametrize("missing", ["mobile", "password", "confirmPassword"])
    def test_missing_field(self, api, missing):
        payload = {"mobile": MOBILE, "password": encrypt_password("newpass1"), "confirmPassword": encrypt_password("newpass1")}
        del payload[missing]
        assert api.post("/openApi/userRegister", payload).code == "10001000"
