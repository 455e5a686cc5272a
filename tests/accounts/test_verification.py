"""Verification (seed §19, §30–§32; CONTRACT §7) through signed HTTP calls."""

import pytest

from accounts.models import BankCard, Identity, User
from tests.factories import UserFactory

from .helpers import GOOD_CARD, GOOD_ID, OTHER_CARD, OTHER_ID, id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(api):
    user = UserFactory()
    assert api.login(user.mobile, "secret123").ok
    return user


def real_name(api, name="王豆豆", number=GOOD_ID):
    return api.post("/appCommonApi/authRealNameInfo", {"realName": name, "idCardNo": number})


def bank_card(api, number=GOOD_CARD, mobile="18911647533"):
    return api.post("/appCommonApi/authUserBankCard", {"bankCardNo": number, "mobile": mobile})


def status(api) -> dict:
    reply = api.post("/appCommonApi/getAuthenticationStatus")
    assert reply.code == "0000", reply.body
    return reply.result


class TestAuthRealNameInfo:
    def test_success_answers_mobile_auth_status(self, api, user):
        """§32: resultSet is the mobile-operator status "0"/"1"."""
        reply = real_name(api)
        assert (reply.body["exceptionFlag"], reply.code, reply.body["responseMessage"], reply.result) == ("0000", "0000", "身份实名认证成功", "0")
        user.refresh_from_db()
        assert user.real_name_verified and user.real_name == "王豆豆"
        assert Identity.objects.get(user=user).id_number == GOOD_ID

    def test_result_is_1_once_the_mobile_is_verified(self, api, user):
        real_name(api)
        api.post("/appCommonApi/authUserMobile")
        assert real_name(api).result == "1"

    @pytest.mark.parametrize(
        "name,number,reason",
        [
            ("王豆豆", "110106197606292151", "校验"),
            ("王豆豆", "123456789456123456", "校验"),
            ("王豆豆", id_number(birth="20300101"), "出生日期"),
            ("王豆豆", id_number(birth="20150101"), "年龄"),
            ("王1豆", GOOD_ID, "姓名"),
        ],
    )
    def test_refusals(self, api, user, name, number, reason):
        reply = real_name(api, name, number)
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "9999")
        assert reason in reply.body["responseMessage"]
        user.refresh_from_db()
        assert not user.real_name_verified and not Identity.objects.exists()

    def test_later_verification_must_match_the_first(self, api, user):
        assert real_name(api).ok
        reply = real_name(api, number=OTHER_ID)
        assert reply.code == "9999" and "不一致" in reply.body["responseMessage"]
        assert real_name(api, name="李四").code == "9999"
        assert real_name(api, name="王 豆 豆", number=GOOD_ID.lower()).ok  # the same identity again
        assert Identity.objects.get(user=user).id_number == GOOD_ID

    def test_one_identity_per_account(self, api, client, user):
        assert real_name(api).ok
        other = UserFactory()
        api.session_id = None
        client.cookies.clear()
        api.login(other.mobile, "secret123")
        reply = real_name(api)
        assert reply.code == "9999" and "其他账号" in reply.body["responseMessage"]
        other.refresh_from_db()
        assert not other.real_name_verified

    def test_provider_comes_from_the_setting(self, api, user, settings):
        settings.VERIFICATION_PROVIDER = "tests.accounts.test_validators.RefusingProvider"
        reply = real_name(api)
        assert reply.code == "9999" and "公安系统比对不一致" in reply.body["responseMessage"]

    @pytest.mark.parametrize("payload", [{"realName": "王豆豆"}, {"idCardNo": GOOD_ID}, {"realName": " ", "idCardNo": GOOD_ID}, {"realName": ["王"], "idCardNo": GOOD_ID}])
    def test_missing_or_ill_typed(self, api, user, payload):
        assert api.post("/appCommonApi/authRealNameInfo", payload).code == "10001000"

    def test_login_required(self, api):
        assert real_name(api).code == "90004000"
        assert not Identity.objects.exists()


class TestAuthUserBankCard:
    def test_success(self, api, user):
        """§30: "银行卡认证成功"; the card is stored encrypted and shown to its owner."""
        real_name(api)
        reply = bank_card(api)
        assert (reply.body["exceptionFlag"], reply.code, reply.body["responseMessage"], reply.result) == ("0000", "0000", "银行卡认证成功", "")
        user.refresh_from_db()
        assert user.bank_card_verified
        assert BankCard.objects.get(user=user).card_number == GOOD_CARD

    def test_needs_real_name_first(self, api, user):
        reply = bank_card(api)
        assert reply.code == "9999" and "身份" in reply.body["responseMessage"]
        assert not BankCard.objects.exists()

    @pytest.mark.parametrize("number,mobile", [("6217000730005201531", "18911647533"), ("12345", "18911647533"), ("6222 0202 0011 2233 446x", "18911647533"), (GOOD_CARD, "1891164753")])
    def test_refusals(self, api, user, number, mobile):
        real_name(api)
        assert bank_card(api, number, mobile).code == "9999"
        user.refresh_from_db()
        assert not user.bank_card_verified and not BankCard.objects.exists()

    def test_spaces_are_ignored_and_a_new_card_replaces_the_old(self, api, user):
        real_name(api)
        assert bank_card(api, "6222 0202 0011 2233 446").ok
        assert bank_card(api, OTHER_CARD, "13900000000").ok
        card = BankCard.objects.get(user=user)
        assert (card.card_number, card.reserved_mobile) == (OTHER_CARD, "13900000000")

    def test_missing_fields_and_login(self, api, user):
        assert api.post("/appCommonApi/authUserBankCard", {"bankCardNo": GOOD_CARD}).code == "10001000"
        assert api.post("/appCommonApi/authUserBankCard", {"mobile": "18911647533"}).code == "10001000"
        api.session_id = None
        api.client.cookies.clear()
        assert bank_card(api).code == "90004000"


class TestAuthUserMobile:
    def test_success(self, api, user):
        """§31: no input; the account's own mobile, once real-name verified."""
        real_name(api)
        reply = api.post("/appCommonApi/authUserMobile")
        assert (reply.body["exceptionFlag"], reply.code, reply.body["responseMessage"]) == ("0000", "0000", "手机实名认证成功")
        user.refresh_from_db()
        assert user.mobile_verified

    def test_needs_real_name_first(self, api, user):
        assert api.post("/appCommonApi/authUserMobile").code == "9999"
        user.refresh_from_db()
        assert not user.mobile_verified

    def test_login_required(self, api):
        assert api.post("/appCommonApi/authUserMobile").code == "90004000"


class TestGetAuthenticationStatus:
    def test_fresh_account(self, api, user):
        """§19: every flag "0", every value empty."""
        assert status(api) == {
            "realNameAuthStatus": "0", "bankCardAuthStatus": "0", "customerInfoStatus": "0", "mobileAuthStatus": "0",
            "isBlackList": "0", "isRisk": "0", "authRealName": "", "authNumber": "", "bankCardNumber": "", "bankCardMobile": "",
        }

    def test_owner_sees_full_values(self, api, user):
        real_name(api)
        bank_card(api)
        result = status(api)
        assert (result["realNameAuthStatus"], result["bankCardAuthStatus"]) == ("1", "1")
        assert (result["authRealName"], result["authNumber"]) == ("王豆豆", GOOD_ID)
        assert (result["bankCardNumber"], result["bankCardMobile"]) == (GOOD_CARD, "18911647533")

    def test_flags_set_by_staff(self, api, user):
        User.objects.filter(pk=user.pk).update(is_blacklisted=True, is_risk=True)
        result = status(api)
        assert (result["isBlackList"], result["isRisk"]) == ("1", "1")

    def test_another_users_data_is_never_visible(self, api, client, user):
        real_name(api)
        bank_card(api)
        other = UserFactory()
        api.session_id = None
        client.cookies.clear()
        api.login(other.mobile, "secret123")
        result = status(api)
        assert GOOD_ID not in str(result) and GOOD_CARD not in str(result)
        assert result["realNameAuthStatus"] == "0"

    def test_login_required(self, api):
        assert api.post("/appCommonApi/getAuthenticationStatus").code == "90004000"
