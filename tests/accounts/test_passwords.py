"""Forgotten password (seed §11–§14) and password change (§15); CONTRACT §5–§7."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from cashloan.crypto import keyed_digest
from accounts.models import Identity, User
from messaging.models import SmsMessage
from tests.factories import UserFactory, VerifiedUserFactory, encrypt_password

from .helpers import GOOD_ID, OTHER_ID

pytestmark = pytest.mark.django_db


def verified_with_identity(**kwargs) -> User:
    user = VerifiedUserFactory(**kwargs)
    Identity.objects.create(
        user=user, real_name="王豆豆", id_number=GOOD_ID, id_number_digest=keyed_digest("id_number", GOOD_ID), verified_at=timezone.now()
    )
    return user


def identity_auth(api, mobile, name="王豆豆", number=GOOD_ID):
    return api.post("/openApi/forgetPwdIdentityAuth", {"mobile": mobile, "realname": name, "identitycode": number})


class TestForgetPwdGetSmsCode:
    def test_sends_a_reset_code(self, steps):
        """§11: 20001000; the SMS is a reset-flow one."""
        user = UserFactory()
        reply = steps.send_code(user.mobile, reset=True)
        assert (reply.body["exceptionFlag"], reply.code) == ("0000", "20001000")
        assert SmsMessage.objects.get(mobile=user.mobile).purpose == "reset_password"
        assert len(steps.last_code(user.mobile)) == 6

    def test_unknown_mobile(self, steps):
        reply = steps.send_code("13712345678", reset=True)
        assert (reply.code, reply.body["responseMessage"]) == ("10001000", "手机号码未注册")

    def test_bad_mobile(self, steps):
        assert steps.send_code("1371234567", reset=True).body["responseMessage"] == "手机号码格式错误"

    def test_captcha_required(self, steps, api):
        user = UserFactory()
        assert steps.send_code(user.mobile, reset=True, captcha="zzzz").code in {"10002001", "10002002"}
        steps.captcha()
        wrong = steps.send_code(user.mobile, reset=True, captcha="----")
        assert wrong.code == "10002001"
        assert api.post("/openApi/forgetPwdGetSmsCode", {"mobile": user.mobile}).code == "10001000"

    def test_shares_the_per_mobile_interval_with_registration_codes(self, steps):
        user = UserFactory()
        assert steps.send_code(user.mobile, reset=True).code == "20001000"
        assert steps.send_code(user.mobile, reset=True).code == "90005000"


class TestForgetPwdCheckSmsCode:
    def test_right_code(self, steps):
        user = UserFactory()
        steps.send_code(user.mobile, reset=True)
        reply = steps.check_code(user.mobile, steps.last_code(user.mobile), reset=True)
        assert (reply.body["exceptionFlag"], reply.code) == ("0000", "20002006")

    def test_wrong_and_missing(self, steps):
        user = UserFactory()
        assert steps.check_code(user.mobile, "123456", reset=True).code == "20002004"
        steps.send_code(user.mobile, reset=True)
        wrong = "000000" if steps.last_code(user.mobile) != "000000" else "111111"
        assert steps.check_code(user.mobile, wrong, reset=True).code == "20002005"

    def test_register_code_cannot_be_used_for_reset(self, steps):
        """Register-flow and reset-flow codes are separate."""
        steps.send_code("13712345678")
        code = steps.last_code("13712345678")
        UserFactory(mobile="13712345678")
        assert steps.check_code("13712345678", code, reset=True).code == "20002004"

    def test_unknown_mobile(self, steps):
        reply = steps.check_code("13712345678", "123456", reset=True)
        assert (reply.code, reply.body["responseMessage"]) == ("10001000", "手机号码未注册")


class TestForgetPwdIdentityAuth:
    def test_matching_identity(self, steps, api):
        """§13: 20004000 when name and ID match the verified identity (the seed's spaced name too)."""
        user = verified_with_identity()
        steps.verified_code(user.mobile, reset=True)
        reply = identity_auth(api, user.mobile, name="王 豆 豆", number=GOOD_ID.lower())
        assert (reply.body["exceptionFlag"], reply.code) == ("0000", "20004000")

    @pytest.mark.parametrize("name,number", [("王豆", GOOD_ID), ("王豆豆", OTHER_ID)])
    def test_mismatch(self, steps, api, name, number):
        user = verified_with_identity()
        steps.verified_code(user.mobile, reset=True)
        reply = identity_auth(api, user.mobile, name=name, number=number)
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "20004001")
        assert steps.reset(user.mobile, "newpass1").code == "20003003"

    def test_without_sms_proof(self, api):
        user = verified_with_identity()
        assert identity_auth(api, user.mobile).code == "20004001"

    def test_five_mismatches_discard_the_proof(self, steps, api):
        user = verified_with_identity()
        steps.verified_code(user.mobile, reset=True)
        for _ in range(5):
            assert identity_auth(api, user.mobile, number=OTHER_ID).code == "20004001"
        assert identity_auth(api, user.mobile).code == "20004001"  # the right one, too late

    def test_unverified_account_has_nothing_to_prove(self, steps, api):
        user = UserFactory()
        steps.verified_code(user.mobile, reset=True)
        assert identity_auth(api, user.mobile).code == "20004000"

    def test_unknown_and_bad_mobile(self, api):
        assert identity_auth(api, "13712345678").body["responseMessage"] == "手机号码未注册"
        assert identity_auth(api, "137").body["responseMessage"] == "手机号码格式错误"

    @pytest.mark.parametrize("missing", ["mobile", "realname", "identitycode"])
    def test_missing_field(self, api, missing):
        payload = {"mobile": "13712345678", "realname": "王豆豆", "identitycode": GOOD_ID}
        del payload[missing]
        assert api.post("/openApi/forgetPwdIdentityAuth", payload).code == "10001000"


class TestUserResetPwd:
    def test_reset_without_identity_for_unverified_account(self, steps, api):
        """§14: 20003002; the old password stops working, the new one works."""
        user = UserFactory()
        steps.verified_code(user.mobile, reset=True)
        reply = steps.reset(user.mobile, "newpass1")
        assert (reply.body["exceptionFlag"], reply.code, reply.body["responseMessage"]) == ("0000", "20003002", "密码重置成功")
        assert api.login(user.mobile, "secret123").code == "90002000"
        assert api.login(user.mobile, "newpass1").code == "90000000"

    def test_without_sms_proof_is_refused(self, steps):
        user = UserFactory()
        reply = steps.reset(user.mobile, "newpass1")
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "20003003")
        user.refresh_from_db()
        assert user.check_password("secret123")

    def test_register_proof_is_not_a_reset_proof(self, steps):
        steps.verified_code("13712345678")
        user = UserFactory(mobile="13712345678")
        assert steps.reset(user.mobile, "newpass1").code == "20003003"

    def test_verified_account_needs_identity_auth(self, steps, api):
        user = verified_with_identity()
        steps.verified_code(user.mobile, reset=True)
        reply = steps.reset(user.mobile, "newpass1")
        assert reply.code == "20003003" and "身份认证" in reply.body["responseMessage"]
        assert identity_auth(api, user.mobile).code == "20004000"
        assert steps.reset(user.mobile, "newpass1").code == "20003002"

    def test_proof_is_consumed(self, steps):
        user = UserFactory()
        steps.verified_code(user.mobile, reset=True)
        assert steps.reset(user.mobile, "newpass1").code == "20003002"
        assert steps.reset(user.mobile, "newpass2").code == "20003003"

    def test_proof_expires(self, steps):
        user = UserFactory()
        steps.verified_code(user.mobile, reset=True)
        cache.delete(f"smsproof:reset:{user.mobile}")
        assert steps.reset(user.mobile, "newpass1").code == "20003003"

    def test_mismatch_and_length(self, steps):
        user = UserFactory()
        steps.verified_code(user.mobile, reset=True)
        assert steps.reset(user.mobile, "newpass1", confirm="newpass2").code == "20003003"
        assert steps.reset(user.mobile, "short").code == "20003003"
        assert steps.reset(user.mobile, "newpass1").code == "20003002"

    def test_reset_ends_every_session_and_lifts_the_lock(self, steps, api):
        user = UserFactory()
        session_id = api.login(user.mobile, "secret123").result
        api.session_id = None
        for _ in range(5):
            api.login(user.mobile, "wrong-one")
        steps.verified_code(user.mobile, reset=True)
        assert steps.reset(user.mobile, "newpass1").code == "20003002"
        assert api.post("/appCommonApi/getAuthenticationStatus", session=session_id).code == "90004000"
        assert api.login(user.mobile, "newpass1").code == "90000000"

    def test_unknown_mobile_and_malformed(self, steps, api):
        assert steps.reset("13712345678", "newpass1").body["responseMessage"] == "手机号码未注册"
        assert steps.reset("1371234567", "newpass1").body["responseMessage"] == "手机号码格式错误"
        reply = api.post("/openApi/userResetPwd", {"mobile": "13712345678", "password": "plain", "confirmPassword": "plain"})
        assert reply.code == "10001000"


def modify(api, mobile, old, new, **kwargs):
    payload = {"mobile": mobile, "oldPassword": encrypt_password(old), "newPassword": encrypt_password(new)}
    return api.post("/appApi/modifyPwd", payload, **kwargs)


class TestModifyPwd:
    def test_without_a_session(self, api):
        """§15 needs no login: 20003004, the new password works, the old one not."""
        user = UserFactory()
        reply = modify(api, user.mobile, "secret123", "newpass1")
        assert (reply.body["exceptionFlag"], reply.code) == ("0000", "20003004")
        assert api.login(user.mobile, "secret123").code == "90002000"
        assert api.login(user.mobile, "newpass1").code == "90000000"

    def test_seed_sample_password(self, api):
        """The seed's §15 sample ciphertext is accepted as the old password 'zhongkeborun'."""
        user = UserFactory(password="zhongkeborun")
        payload = {"mobile": user.mobile, "oldPassword": "t9xLwn19WXS+d7OVW9ocKw", "newPassword": "t9xLwn19WXS+d7OVW9ocKw"}
        assert api.post("/appApi/modifyPwd", payload).code == "20003004"

    def test_keeps_the_current_session_and_ends_the_others(self, api, client):
        user = UserFactory()
        other_device = api.login(user.mobile, "secret123").result
        api.session_id = None
        client.cookies.clear()
        current = api.login(user.mobile, "secret123").result
        assert modify(api, user.mobile, "secret123", "newpass1").code == "20003004"
        assert api.post("/appCommonApi/getAuthenticationStatus", session=current).code == "0000"
        assert api.post("/appCommonApi/getAuthenticationStatus", session=other_device).code == "90004000"

    def test_session_of_another_account_is_refused(self, api):
        me, victim = UserFactory(), UserFactory()
        api.login(me.mobile, "secret123")
        reply = modify(api, victim.mobile, "secret123", "newpass1")
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "20003005")
        victim.refresh_from_db()
        assert victim.check_password("secret123")

    def test_wrong_old_password_counts_towards_the_lockout(self, api):
        user = UserFactory()
        for _ in range(4):
            assert modify(api, user.mobile, "wrong-one", "newpass1").code == "20003015"
        assert modify(api, user.mobile, "wrong-one", "newpass1").code == "20003015"
        assert api.login(user.mobile, "secret123").code == "90003000"
        assert modify(api, user.mobile, "secret123", "newpass1").code == "90003000"

    def test_login_failures_count_too(self, api):
        user = UserFactory()
        for _ in range(5):
            api.login(user.mobile, "wrong-one")
        assert modify(api, user.mobile, "secret123", "newpass1").code == "90003000"

    def test_new_password_length(self, api):
        user = UserFactory()
        assert modify(api, user.mobile, "secret123", "short").code == "20003005"
        assert modify(api, user.mobile, "secret123", "x" * 21).code == "20003005"

    def test_unknown_account_and_bad_mobile(self, api):
        assert modify(api, "13712345678", "secret123", "newpass1").body["responseMessage"] == "账号不存在"
        assert modify(api, "1371234567", "secret123", "newpass1").body["responseMessage"] == "手机号码格式错误"

    @pytest.mark.parametrize("missing", ["mobile", "oldPassword", "newPassword"])
    def test_missing_field(self, api, missing):
        payload = {"mobile": "13712345678", "oldPassword": encrypt_password("a" * 6), "newPassword": encrypt_password("b" * 6)}
        del payload[missing]
        assert api.post("/appApi/modifyPwd", payload).code == "10001000"

    def test_undecryptable(self, api):
        user = UserFactory()
        reply = api.post("/appApi/modifyPwd", {"mobile": user.mobile, "oldPassword": "secret123", "newPassword": "newpass1"})
        assert reply.code == "10001000"
