"""GB 11643 ID numbers, Luhn card numbers, mobiles and names (CONTRACT §7)."""

from datetime import date

import pytest

from accounts import validators
from accounts.providers import LocalVerificationProvider, Verdict, get_provider

from .helpers import GOOD_CARD, GOOD_ID, id_number

TODAY = date(2026, 6, 1)


class TestIdNumbers:
    @pytest.mark.parametrize("number", ["110106197606292150", "11010519491231002X", "440524188001010014"])
    def test_known_good_checksums(self, number):
        assert validators.id_checksum_ok(number)

    @pytest.mark.parametrize(
        "number",
        [
            "110106197606292151",  # last digit changed
            "11010519491231002Y",
            "210104198812123366",  # the seed's §13 sample: its check digit is wrong
            "123456789456123456",  # the seed's §32 sample
            "11010619760629215",  # 17 characters
            "1101061976062921500",
            "11010619760629215x",  # lowercase x is normalised before, not accepted raw
        ],
    )
    def test_known_bad_numbers(self, number):
        assert not validators.id_checksum_ok(number)

    def test_lowercase_x_is_normalised(self):
        assert validators.normalise_id_number(" 11010519491231002x ") == "11010519491231002X"

    def test_plausible_birth_date_and_age(self):
        assert validators.id_number_problem(id_number(birth="20000101"), TODAY) is None
        assert validators.id_number_problem(id_number(birth="20080601"), TODAY) is None  # 18 today
        assert "年龄" in validators.id_number_problem(id_number(birth="20080602"), TODAY)  # 18 tomorrow
        assert validators.id_number_problem(id_number(birth="19550602"), TODAY) is None  # 70 until tomorrow
        assert "年龄" in validators.id_number_problem(id_number(birth="19550601"), TODAY)  # 71 today
        assert "出生日期" in validators.id_number_problem(id_number(birth="19900230"), TODAY)  # 30 February
        assert "出生日期" in validators.id_number_problem(id_number(birth="20300101"), TODAY)  # future
        assert "校验" in validators.id_number_problem("110106197606292151", TODAY)


class TestBankCards:
    @pytest.mark.parametrize("number", [GOOD_CARD, "4111111111111111", "6217000730005201534", "378282246310005", "123456789007"])
    def test_known_good(self, number):
        assert validators.is_bank_card(number)

    @pytest.mark.parametrize(
        "number",
        ["6217000730005201531", "4111111111111112", "624156325632141", "12345678903", "62220202001122334460000", "6222 0202", ""],
    )
    def test_known_bad(self, number):
        assert not validators.is_bank_card(number)


@pytest.mark.parametrize("mobile,ok", [("13800000000", True), ("19912345678", True), ("12800000000", False), ("1380000000", False), ("138000000001", False), ("+8613800000000", False), ("", False)])
def test_mobile_format(mobile, ok):
    assert validators.is_mobile(mobile) is ok


@pytest.mark.parametrize("name,ok", [("王豆豆", True), ("阿依古丽·买买提", True), ("John Smith", True), ("王1", False), ("", False), ("<script>", False), ("王" * 51, False)])
def test_person_names(name, ok):
    assert validators.is_person_name(name) is ok


def test_seed_spaced_name_is_normalised():
    assert validators.normalise_name(" 王 豆 豆 ") == "王豆豆"
    assert validators.normalise_name("John   Smith") == "John Smith"


class TestProvider:
    def test_default_is_the_local_provider(self):
        assert isinstance(get_provider(), LocalVerificationProvider)

    def test_setting_chooses_another(self, settings):
        settings.VERIFICATION_PROVIDER = "tests.accounts.test_validators.RefusingProvider"
        assert isinstance(get_provider(), RefusingProvider)

    def test_local_checks(self):
        provider = LocalVerificationProvider()
        assert provider.verify_identity(real_name="王豆豆", id_number=GOOD_ID).ok
        assert not provider.verify_identity(real_name="王豆豆", id_number="110106197606292151").ok
        assert not provider.verify_identity(real_name="王1", id_number=GOOD_ID).ok
        assert provider.verify_bank_card(real_name="王豆豆", id_number=GOOD_ID, card_number=GOOD_CARD, reserved_mobile="13800000000").ok
        assert not provider.verify_bank_card(real_name="王豆豆", id_number=GOOD_ID, card_number=GOOD_CARD, reserved_mobile="1380000").ok
        assert not provider.verify_mobile(real_name="王豆豆", id_number=GOOD_ID, mobile="12000000000").ok


class RefusingProvider(LocalVerificationProvider):
    """A stand-in third party that refuses every identity."""

    def verify_identity(self, *, real_name, id_number):
        return Verdict.failed("公安系统比对不一致")


class TestNoTrailingNewline:
    """`$` also matches before a final newline: every shape check anchors at the very end."""

    def test_a_mobile_with_a_newline_is_not_a_mobile(self):
        assert validators.is_mobile("13800000000")
        assert not validators.is_mobile("13800000000\n")

    def test_an_id_number_with_a_newline_fails_its_checksum(self):
        assert validators.id_checksum_ok("110106197606292150")
        assert not validators.id_checksum_ok("110106197606292150\n")

    def test_a_card_number_with_a_newline_is_not_a_card(self):
        assert validators.is_bank_card(GOOD_CARD)
        assert not validators.is_bank_card(GOOD_CARD + "\n")

    def test_a_name_with_a_newline_is_not_a_name(self):
        assert validators.is_person_name("王豆豆")
        assert not validators.is_person_name("王豆豆\n")
