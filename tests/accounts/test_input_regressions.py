"""Bugs the fuzz run (tests/api/test_fuzz.py) found in the accounts inputs (seed §34, §35)."""

import logging

import pytest

from accounts import validators
from accounts.inputs import parse_enum
from accounts.models import Education, RelationType
from tests.factories import VerifiedUserFactory

from .helpers import GOOD_CARD, GOOD_ID, PERSONAL_INFO

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["³", "²", "¹⁰", "①", "٣"])
def test_parse_enum_takes_ascii_digits_only(value):
    """``"³".isdigit()`` is true but ``int("³")`` raises: the fuzz run got a 9999 fault from §34."""
    assert parse_enum(value, Education.values) is None
    assert parse_enum(value, RelationType.values) is None


@pytest.fixture
def customer_api(api):
    user = VerifiedUserFactory()
    api.client.force_login(user)
    return api


@pytest.mark.parametrize("key", ["education", "maritalStatus", "residenceLength", "industryType", "workingHours", "payrollDay"])
def test_personal_info_with_a_superscript_digit_is_malformed_not_a_fault(customer_api, caplog, key):
    """§34: 10001000 naming the field, as for any other value outside the seed's lists."""
    with caplog.at_level(logging.ERROR, logger="cashloan.api"):
        reply = customer_api.post("/appCommonApi/savePerfectUserInfo", {**PERSONAL_INFO, key: "³"})
    assert (reply.code, reply.ok) == ("10001000", False)
    assert key in reply.body["responseMessage"]
    assert not caplog.records


def test_contact_with_a_superscript_relation_is_malformed_not_a_fault(customer_api, caplog):
    """§35: the same parser reads ``relType``."""
    payload = {"operType": "add", "relType": "²", "realName": "王大", "phoneNum": "13900000001"}
    with caplog.at_level(logging.ERROR, logger="cashloan.api"):
        reply = customer_api.post("/appCommonApi/saveOrUpdateRelShip", payload)
    assert (reply.code, reply.ok) == ("10001000", False)
    assert "relType" in reply.body["responseMessage"]
    assert not caplog.records


@pytest.mark.parametrize("key, value", [("monthIncome", "６０００"), ("registry_province", "1１００００")])
def test_personal_info_with_full_width_digits_is_malformed(customer_api, key, value):
    """Issue 10 item 15: full-width digits are refused like any other non-ASCII digit."""
    reply = customer_api.post("/appCommonApi/savePerfectUserInfo", {**PERSONAL_INFO, key: value})
    assert (reply.code, reply.ok) == ("10001000", False)
    assert key in reply.body["responseMessage"]


@pytest.mark.parametrize("number", ["13８00000000", "13800000００0"])
def test_a_mobile_in_full_width_digits_is_not_a_mobile(number):
    assert not validators.is_mobile(number)


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_an_id_or_card_number_in_full_width_digits_is_refused():
    assert validators.id_checksum_ok(GOOD_ID) and validators.is_bank_card(GOOD_CARD)
    assert not validators.id_checksum_ok(GOOD_ID.translate(FULL_WIDTH))
    assert not validators.is_bank_card(GOOD_CARD.translate(FULL_WIDTH))
