"""Personal information and contacts (seed §33–§35) through signed HTTP calls."""

import uuid
from decimal import Decimal

import pytest

from accounts.models import Contact, PersonalInfo
from tests.factories import UserFactory

from .helpers import PERSONAL_INFO

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(api):
    user = UserFactory()
    assert api.login(user.mobile, "secret123").ok
    return user


def save_info(api, **changes):
    return api.post("/appCommonApi/savePerfectUserInfo", {**PERSONAL_INFO, **changes})


def add_contact(api, **changes):
    payload = {"operType": "add", "relType": "1", "realName": "木木", "phoneNum": "13940460755", **changes}
    return api.post("/appCommonApi/saveOrUpdateRelShip", payload)


def get_info(api) -> dict:
    reply = api.post("/appCommonApi/getPerfectUserInfo")
    assert reply.code == "0000", reply.body
    return reply.result


class TestGetPerfectUserInfo:
    def test_empty_with_the_seeds_keys(self, api, user):
        """§33: the seed's snake_case and camelCase keys exactly."""
        reply = api.post("/appCommonApi/getPerfectUserInfo")
        assert (reply.body["exceptionFlag"], reply.code, reply.body["responseMessage"]) == ("0000", "0000", "获取当前登录用户详细信息")
        assert set(reply.result) == set(PERSONAL_INFO) | {"relShipList"}
        assert reply.result["relShipList"] == [] and reply.result["education"] == ""

    def test_after_saving(self, api, user):
        save_info(api, education="05", residenceLength="1", monthIncome="10000.5")
        add_contact(api)
        result = get_info(api)
        expected = {**PERSONAL_INFO, "education": "5", "residenceLength": "01", "monthIncome": "10000.50"}
        assert {key: result[key] for key in PERSONAL_INFO} == expected
        (contact,) = result["relShipList"]
        assert set(contact) == {"id", "relType", "realName", "phoneNum"}
        assert (contact["relType"], contact["realName"], contact["phoneNum"]) == ("1", "木木", "13940460755")
        uuid.UUID(contact["id"])

    def test_login_required(self, api):
        assert api.post("/appCommonApi/getPerfectUserInfo").code == "90004000"


class TestSavePerfectUserInfo:
    def test_success_and_normalised_storage(self, api, user):
        """§34: "完善个人信息成功"; "1" and "01" alike."""
        reply = save_info(api, education="01", workingHours="5", payrollDay="01")
        assert (reply.body["exceptionFlag"], reply.code, reply.body["responseMessage"]) == ("0000", "0000", "完善个人信息成功")
        info = PersonalInfo.objects.get(user=user)
        assert (info.education, info.working_hours, info.payroll_day) == (1, 5, 1)
        assert info.month_income == Decimal("10000.00")

    def test_saving_again_updates(self, api, user):
        save_info(api)
        save_info(api, currentPosition="经理")
        assert PersonalInfo.objects.get(user=user).position == "经理"

    @pytest.mark.parametrize(
        "field,value",
        [
            ("education", "0"), ("education", "8"), ("education", "x"), ("education", "001"),
            ("maritalStatus", "5"), ("residenceLength", "06"), ("workingHours", "00"),
            ("industryType", "15"), ("industryType", "0"), ("payrollDay", "32"), ("payrollDay", "0"),
            ("registry_province", "11000"), ("house_address_county", "01010a"), ("work_address_city", "011000"),
            ("monthIncome", "-1"), ("monthIncome", "abc"), ("monthIncome", "1.234"), ("monthIncome", "1e5"),
            ("currentWorkInfo", "x" * 101),
        ],
    )
    def test_bad_values_are_refused(self, api, user, field, value):
        reply = save_info(api, **{field: value})
        assert reply.code == "10001000" and field in reply.body["responseMessage"]
        assert not PersonalInfo.objects.exists()

    @pytest.mark.parametrize("field", ["education", "registry_detail", "monthIncome", "payrollDay", "work_address_county"])
    def test_missing_fields(self, api, user, field):
        payload = dict(PERSONAL_INFO)
        del payload[field]
        assert api.post("/appCommonApi/savePerfectUserInfo", payload).code == "10001000"
        assert not PersonalInfo.objects.exists()

    def test_login_required(self, api):
        assert save_info(api).code == "90004000"


class TestSaveOrUpdateRelShip:
    def test_add(self, api, user):
        """§35: "完善联系人信息成功"."""
        reply = add_contact(api, relType="07")
        assert (reply.body["exceptionFlag"], reply.code, reply.body["responseMessage"]) == ("0000", "0000", "完善联系人信息成功")
        contact = Contact.objects.get(user=user)
        assert (contact.rel_type, contact.real_name) == (7, "木木")

    def test_update_own_contact(self, api, user):
        add_contact(api)
        contact_id = get_info(api)["relShipList"][0]["id"]
        reply = add_contact(api, operType="update", id=contact_id, relType="6", realName="朋友甲", phoneNum="13900001111")
        assert reply.code == "0000"
        contact = Contact.objects.get(pk=contact_id)
        assert (contact.rel_type, contact.real_name, contact.phone_num) == (6, "朋友甲", "13900001111")

    def test_another_users_contact_cannot_be_changed(self, api, user):
        other = UserFactory()
        theirs = Contact.objects.create(user=other, rel_type=1, real_name="他人", phone_num="13900002222")
        reply = add_contact(api, operType="update", id=str(theirs.pk), realName="篡改")
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "9999")
        theirs.refresh_from_db()
        assert (theirs.real_name, theirs.user_id) == ("他人", other.pk)
        assert "他人" not in str(get_info(api))

    def test_unknown_id(self, api, user):
        assert add_contact(api, operType="update", id=str(uuid.uuid4())).code == "9999"

    @pytest.mark.parametrize(
        "changes",
        [
            {"operType": "delete"}, {"relType": "5"}, {"relType": "8"}, {"relType": "0"}, {"phoneNum": "12345"},
            {"realName": "木1"}, {"operType": "update"}, {"operType": "update", "id": "not-a-uuid"},
        ],
    )
    def test_bad_values(self, api, user, changes):
        assert add_contact(api, **changes).code == "10001000"
        assert not Contact.objects.exists()

    @pytest.mark.parametrize("field", ["operType", "relType", "realName", "phoneNum"])
    def test_missing_fields(self, api, user, field):
        payload = {"operType": "add", "relType": "1", "realName": "木木", "phoneNum": "13940460755"}
        del payload[field]
        assert api.post("/appCommonApi/saveOrUpdateRelShip", payload).code == "10001000"

    def test_own_mobile_is_not_a_contact(self, api, user):
        assert add_contact(api, phoneNum=user.mobile).code == "9999"

    def test_at_most_ten_contacts(self, api, user):
        for index in range(10):  # 137…: never the factory's 139… mobile of the user
            assert add_contact(api, phoneNum=f"1370000{index:04d}").code == "0000"
        assert add_contact(api, phoneNum="13911110000").code == "9999"
        assert Contact.objects.filter(user=user).count() == 10

    def test_login_required(self, api):
        assert add_contact(api).code == "90004000"


class TestCustomerInfoStatus:
    def test_becomes_1_with_info_and_a_contact(self, api, user):
        """§19 customerInfoStatus: all personal fields saved and at least one contact."""
        save_info(api)
        assert api.post("/appCommonApi/getAuthenticationStatus").result["customerInfoStatus"] == "0"
        add_contact(api)
        assert api.post("/appCommonApi/getAuthenticationStatus").result["customerInfoStatus"] == "1"
        user.refresh_from_db()
        assert user.info_completed

    def test_contact_first_then_info(self, api, user):
        add_contact(api)
        assert api.post("/appCommonApi/getAuthenticationStatus").result["customerInfoStatus"] == "0"
        save_info(api)
        assert api.post("/appCommonApi/getAuthenticationStatus").result["customerInfoStatus"] == "1"
