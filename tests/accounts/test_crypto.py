"""Passwords on the wire (CONTRACT §6) and numbers at rest (CONTRACT §7)."""

import base64

import pytest
from django.db import connection

from accounts.crypto import UndecryptablePassword, decrypt_password, mask_number
from cashloan.crypto import decrypt_value, encrypt_value, keyed_digest
from accounts.models import BankCard, Identity
from tests.factories import UserFactory, encrypt_password

from .helpers import GOOD_CARD, GOOD_ID


class TestDesPasswords:
    def test_seed_section_15_sample_decrypts_to_zhongkeborun(self, settings):
        """CONTRACT §6: the real client's sample, with and without base64 padding."""
        settings.APP_KEY = "12345678"
        assert decrypt_password("t9xLwn19WXS+d7OVW9ocKw") == "zhongkeborun"
        assert decrypt_password("t9xLwn19WXS+d7OVW9ocKw==") == "zhongkeborun"

    def test_key_is_the_first_eight_bytes_of_the_app_key(self, settings):
        settings.APP_KEY = "12345678-and-more"
        assert decrypt_password("t9xLwn19WXS+d7OVW9ocKw") == "zhongkeborun"
        settings.APP_KEY = "87654321"
        with pytest.raises(UndecryptablePassword):
            assert decrypt_password("t9xLwn19WXS+d7OVW9ocKw") != "zhongkeborun"

    @pytest.mark.parametrize("plain", ["secret123", "密码是中文的", "a" * 20, "12345678"])
    def test_round_trip_with_the_apps_encryption(self, plain):
        assert decrypt_password(encrypt_password(plain)) == plain

    @pytest.mark.parametrize(
        "value",
        [
            "",
            "not base64 !!",
            "YWJj",  # 3 bytes: not whole DES blocks
            base64.b64encode(b"12345678").decode(),  # one block, padding wrong after decryption
            "x" * 300,
        ],
    )
    def test_values_that_do_not_decrypt(self, value):
        with pytest.raises(UndecryptablePassword):
            decrypt_password(value)

    def test_not_utf8_is_refused(self, settings):
        from Crypto.Cipher import DES
        from Crypto.Util.Padding import pad

        cipher = DES.new(settings.APP_KEY.encode()[:8], DES.MODE_CBC, iv=bytes(range(1, 9)))
        value = base64.b64encode(cipher.encrypt(pad(b"\xff\xfe\xfd", 8))).decode()
        with pytest.raises(UndecryptablePassword):
            decrypt_password(value)


class TestFieldEncryption:
    def test_round_trip_with_a_fresh_nonce_each_time(self):
        first, second = encrypt_value(GOOD_ID), encrypt_value(GOOD_ID)
        assert first != second
        assert decrypt_value(first) == decrypt_value(second) == GOOD_ID
        assert GOOD_ID not in first

    def test_tampering_is_detected(self):
        stored = encrypt_value(GOOD_ID)
        raw = bytearray(base64.b64decode(stored[3:]))
        raw[15] ^= 1
        with pytest.raises(ValueError):
            decrypt_value("v1:" + base64.b64encode(bytes(raw)).decode())

    def test_another_key_cannot_read_it(self, settings):
        stored = encrypt_value(GOOD_ID)
        settings.FIELD_ENCRYPTION_KEY = base64.b64encode(b"k" * 32).decode()
        with pytest.raises(ValueError):
            decrypt_value(stored)

    def test_digest_depends_on_purpose_and_value(self):
        assert keyed_digest("id_number", GOOD_ID) == keyed_digest("id_number", GOOD_ID)
        assert keyed_digest("id_number", GOOD_ID) != keyed_digest("card", GOOD_ID)
        assert len(keyed_digest("id_number", GOOD_ID)) == 64

    def test_mask_keeps_first_six_and_last_four(self):
        assert mask_number("110106197606292150") == "110106********2150"
        assert mask_number("6222020200112233446") == "622202*********3446"
        assert mask_number("1234") == "****"

    @pytest.mark.django_db
    def test_numbers_are_encrypted_in_the_database(self):
        from django.utils import timezone

        user = UserFactory()
        Identity.objects.create(user=user, real_name="王豆豆", id_number=GOOD_ID, id_number_digest="d", verified_at=timezone.now())
        BankCard.objects.create(user=user, card_number=GOOD_CARD, reserved_mobile="13800000000", verified_at=timezone.now())
        with connection.cursor() as cursor:
            cursor.execute("SELECT id_number FROM accounts_identity")
            (raw_id,) = cursor.fetchone()
            cursor.execute("SELECT card_number FROM accounts_bankcard")
            (raw_card,) = cursor.fetchone()
        assert raw_id.startswith("v1:") and GOOD_ID not in raw_id
        assert raw_card.startswith("v1:") and GOOD_CARD not in raw_card
        assert Identity.objects.get(user=user).id_number == GOOD_ID
        assert BankCard.objects.get(user=user).card_number == GOOD_CARD
