"""The identity blacklist (CONTRACT §15): entries by ID number (digest only), mobile or device
token; an application by a listed identity is refused with 20005003 whatever account it comes
from; registration and login record a hit and go on; ``manage.py blacklist add|remove``."""

from datetime import date, timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.models import Device, Identity
from cashloan.crypto import keyed_digest
from loans.models import LoanApplication
from risk import blacklist
from risk.models import BlacklistEntry, BlacklistHit
from tests.accounts.helpers import GOOD_ID, OTHER_ID
from tests.factories import ProductFactory, encrypt_password, freeze_today
from tests.products.helpers import APPLY_PATH, apply_payload, verified_customer

pytestmark = pytest.mark.django_db

TODAY = date(2024, 3, 1)
Kind = BlacklistEntry.Kind


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    freeze_today(monkeypatch, TODAY)


@pytest.fixture
def product(db):
    return ProductFactory(single_days="7, 14")


def with_identity(user, number: str):
    Identity.objects.create(
        user=user, real_name="王豆豆", id_number=number, id_number_digest=keyed_digest("id_number", number), verified_at=timezone.now()
    )
    return user


def apply_from(api, user, product, device_token: str = ""):
    api.client.force_login(user)
    if device_token:
        session = api.client.session
        session["device_token"] = device_token
        session.save()
    return api.post(APPLY_PATH, apply_payload(product))


def listed(kind, raw, **options):
    return blacklist.add_entry(kind, raw, reason=options.pop("reason", "多头借贷，恶意逾期"), **options)[0]


class TestApplication:
    def test_an_id_number_listed_from_another_account_refuses_the_account_verified_with_it(self, api, product):
        """The entry names a person, not an account: listed after their first account, the ID
        number refuses whatever account carries it now (here a second one, with its own mobile)."""
        first = with_identity(verified_customer(), OTHER_ID)
        listed(Kind.ID_NUMBER, OTHER_ID)
        Identity.objects.filter(user=first).delete()  # the person closed the first account…
        second = with_identity(verified_customer(), OTHER_ID)  # …and verified a second one
        reply = apply_from(api, second, product)
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "20005003")
        assert reply.body["responseMessage"] == "您的账户暂不符合借款条件"  # the same words as the flags'
        assert not second.is_blacklisted and not LoanApplication.objects.exists()
        assert list(BlacklistHit.objects.values_list("user", "event")) == [(second.pk, "application")]

    def test_a_second_account_logged_in_on_a_listed_device_is_refused(self, api, product):
        owner = with_identity(verified_customer(), GOOD_ID)
        Device.objects.create(user=owner, app_type="1", token="shared-phone", last_login_at=timezone.now())
        listed(Kind.DEVICE, "shared-phone")
        other = with_identity(verified_customer(), OTHER_ID)
        assert apply_from(api, other, product, device_token="shared-phone").code == "20005003"
        assert apply_from(api, other, product, device_token="own-phone").code == "20005000"

    def test_a_listed_mobile_is_refused(self, api, product):
        user = with_identity(verified_customer(mobile="13812345678"), GOOD_ID)
        listed(Kind.MOBILE, "13812345678")
        assert apply_from(api, user, product).code == "20005003"

    def test_an_unlisted_customer_applies(self, api, product):
        listed(Kind.ID_NUMBER, OTHER_ID)
        listed(Kind.MOBILE, "13812345678")
        user = with_identity(verified_customer(mobile="13900000000"), GOOD_ID)
        assert apply_from(api, user, product, device_token="own-phone").code == "20005000"
        assert not BlacklistHit.objects.exists()

    def test_an_entry_applies_through_its_expiry_date_and_not_after(self, api, product, monkeypatch):
        user = with_identity(verified_customer(), GOOD_ID)
        listed(Kind.ID_NUMBER, GOOD_ID, expires_on=TODAY + timedelta(days=1))
        freeze_today(monkeypatch, TODAY + timedelta(days=1))
        assert apply_from(api, user, product).code == "20005003"
        freeze_today(monkeypatch, TODAY + timedelta(days=2))
        assert apply_from(api, user, product).code == "20005000"

    def test_a_removed_entry_no_longer_refuses(self, api, product):
        user = with_identity(verified_customer(), GOOD_ID)
        entry = listed(Kind.ID_NUMBER, GOOD_ID)
        blacklist.remove_entry(entry)
        assert apply_from(api, user, product).code == "20005000"
        entry.refresh_from_db()
        assert entry.removed_at is not None  # kept, stamped


class TestRegistrationAndLogin:
    def test_a_listed_device_logs_in_and_the_hit_is_recorded(self, api):
        user = with_identity(verified_customer(), GOOD_ID)
        user.set_password("secret123")
        user.save()
        entry = listed(Kind.DEVICE, "device-token")  # the token the signed client logs in with
        id_entry = listed(Kind.ID_NUMBER, GOOD_ID)
        assert api.login(user.mobile, "secret123").ok
        assert set(BlacklistHit.objects.values_list("entry", "user", "event")) == {
            (entry.pk, user.pk, "login"), (id_entry.pk, user.pk, "login")
        }

    def test_a_listed_mobile_registers_and_the_hit_is_recorded(self, monkeypatch):
        from accounts.services import passwords

        monkeypatch.setattr(passwords, "read_proof", lambda flow, mobile: object())
        monkeypatch.setattr(passwords, "consume_proof", lambda flow, mobile: True)
        entry = listed(Kind.MOBILE, "13812345678")
        user = passwords.register(
            mobile="13812345678", password_cipher=encrypt_password("Secret123"), confirm_cipher=encrypt_password("Secret123")
        )
        assert list(BlacklistHit.objects.values_list("entry", "user", "event")) == [(entry.pk, user.pk, "registration")]


class TestEntries:
    def test_an_id_number_is_stored_as_its_digest_and_masked(self):
        entry = listed(Kind.ID_NUMBER, GOOD_ID.lower())
        assert entry.value == keyed_digest("id_number", GOOD_ID) and GOOD_ID not in entry.value
        assert entry.shown == f"{GOOD_ID[:3]}{'*' * 11}{GOOD_ID[-4:]}"

    @pytest.mark.parametrize("kind, raw", [(Kind.ID_NUMBER, "110101199003071230"), (Kind.MOBILE, "2381234567"), (Kind.DEVICE, "")])
    def test_a_bad_value_is_refused(self, kind, raw):
        with pytest.raises(Exception, match="不正确|不能为空"):
            listed(kind, raw)

    def test_adding_a_listed_identity_replaces_its_reason_and_expiry(self):
        first = listed(Kind.MOBILE, "13812345678")
        again, created = blacklist.add_entry(Kind.MOBILE, "13812345678", reason="新原因", expires_on=date(2025, 1, 1))
        assert (again.pk, created, again.reason, again.expires_on) == (first.pk, False, "新原因", date(2025, 1, 1))


class TestCommand:
    def test_add_and_remove_from_the_shell(self, capsys):
        call_command("blacklist", "add", "--id-number", GOOD_ID, "--reason", "法院失信名单", "--expires", "2025-12-31")
        entry = BlacklistEntry.objects.get()
        assert (entry.kind, entry.value, entry.reason, entry.expires_on, entry.created_by) == (
            "id_number", keyed_digest("id_number", GOOD_ID), "法院失信名单", date(2025, 12, 31), None
        )
        call_command("blacklist", "remove", "--id-number", GOOD_ID)
        entry.refresh_from_db()
        assert entry.removed_at is not None
        assert "已移出黑名单" in capsys.readouterr().out
        call_command("blacklist", "remove", "--id-number", GOOD_ID)  # nothing listed: done, exit 0
        assert "不在黑名单中" in capsys.readouterr().out

    @pytest.mark.parametrize("flag, value", [("--mobile", "13812345678"), ("--device", "phone-1")])
    def test_mobile_and_device(self, flag, value):
        call_command("blacklist", "add", flag, value, "--reason", "中介代办")
        assert BlacklistEntry.objects.get().shown == value
        call_command("blacklist", "remove", flag, value)
        assert BlacklistEntry.objects.get().removed_at is not None

    def test_a_bad_value_exits_1(self):
        with pytest.raises(CommandError, match="手机号格式不正确"):
            call_command("blacklist", "add", "--mobile", "12", "--reason", "x")
