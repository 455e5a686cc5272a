"""Whole journeys of the app, every step through the signed HTTP API (CONTRACT §5–§7)."""

import pytest
from django.core.cache import cache

from accounts.models import User
from tests.factories import encrypt_password

from .helpers import GOOD_CARD, GOOD_ID, PERSONAL_INFO

pytestmark = pytest.mark.django_db
MOBILE = "13612345678"


def test_sign_up_verify_change_password_and_log_out(steps, api):
    """captcha → SMS (read from the file backend) → check → register → login → the three
    verifications → personal info → contact → all "1" → modifyPwd → quitMobileLogin."""
    captcha = steps.captcha()
    assert steps.send_code(MOBILE, captcha=captcha).code == "20001000"
    assert steps.check_code(MOBILE, steps.last_code(MOBILE)).code == "20002006"
    assert steps.register(MOBILE, "first-pass").code == "20003000"

    session_id = api.login(MOBILE, "first-pass").result
    assert api.post("/appCommonApi/authRealNameInfo", {"realName": "王豆豆", "idCardNo": GOOD_ID}).result == "0"
    assert api.post("/appCommonApi/authUserBankCard", {"bankCardNo": GOOD_CARD, "mobile": "18911647533"}).code == "0000"
    assert api.post("/appCommonApi/authUserMobile").code == "0000"
    assert api.post("/appCommonApi/savePerfectUserInfo", PERSONAL_INFO).code == "0000"
    contact = {"operType": "add", "relType": "7", "realName": "配偶", "phoneNum": "13940460755"}
    assert api.post("/appCommonApi/saveOrUpdateRelShip", contact).code == "0000"

    status = api.post("/appCommonApi/getAuthenticationStatus").result
    assert [status[key] for key in ("realNameAuthStatus", "bankCardAuthStatus", "customerInfoStatus", "mobileAuthStatus")] == ["1"] * 4
    assert (status["authNumber"], status["bankCardNumber"]) == (GOOD_ID, GOOD_CARD)
    assert User.objects.get(mobile=MOBILE).verifications_complete

    modify = {"mobile": MOBILE, "oldPassword": encrypt_password("first-pass"), "newPassword": encrypt_password("second-pass")}
    assert api.post("/appApi/modifyPwd", modify).code == "20003004"
    assert api.post("/appCommonApi/getAuthenticationStatus").code == "0000"  # this session lives on
    assert api.login(MOBILE, "first-pass").code == "90002000"
    assert api.login(MOBILE, "second-pass").code == "90000000"

    assert api.post("/appApi/quitMobileLogin", {"sessionId": session_id}).code == "20003010"
    assert api.post("/appCommonApi/getAuthenticationStatus", session=session_id).code == "90004000"


def test_forgotten_password_of_a_verified_account(steps, api, client):
    """captcha → reset SMS → check → identity auth (the account is real-name verified) → reset;
    the old session ends, the old password fails, the new one works."""
    steps.verified_code(MOBILE)
    steps.register(MOBILE, "first-pass")
    old_session = api.login(MOBILE, "first-pass").result
    assert api.post("/appCommonApi/authRealNameInfo", {"realName": "王豆豆", "idCardNo": GOOD_ID}).ok
    api.session_id = None
    client.cookies.clear()
    cache.delete(f"sms:gap:{MOBILE}")  # more than a minute since the registration SMS

    captcha = steps.captcha()
    assert steps.send_code(MOBILE, reset=True, captcha=captcha).code == "20001000"
    assert steps.check_code(MOBILE, steps.last_code(MOBILE), reset=True).code == "20002006"
    assert steps.reset(MOBILE, "second-pass").code == "20003003"  # identity not proven yet
    identity = {"mobile": MOBILE, "realname": "王 豆 豆", "identitycode": GOOD_ID}
    assert api.post("/openApi/forgetPwdIdentityAuth", identity).code == "20004000"
    assert steps.reset(MOBILE, "second-pass").code == "20003002"

    assert api.post("/appCommonApi/getAuthenticationStatus", session=old_session).code == "90004000"
    assert api.login(MOBILE, "first-pass").code == "90002000"
    assert api.login(MOBILE, "second-pass").code == "90000000"
