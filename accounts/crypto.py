"""Secrets on the wire and at rest.

* Passwords travel DES-encrypted (CONTRACT §6): CBC, key = the first 8 bytes of ``APP_KEY``,
  IV = bytes 01..08, PKCS#5 padding, base64 with or without ``=`` padding. This is the scheme
  that turns the seed's §15 sample ``t9xLwn19WXS+d7OVW9ocKw`` into ``zhongkeborun``.
* ID and bank-card numbers are stored AES-256-GCM encrypted under ``FIELD_ENCRYPTION_KEY``
  (CONTRACT §7), a fresh 12-byte nonce per value; a keyed HMAC digest lets us find equal
  values (one identity per account) without decrypting.
"""

import base64
import binascii
import hashlib
import hmac
import os

from Crypto.Cipher import AES, DES
from Crypto.Util.Padding import pad, unpad
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_DES_IV = bytes(range(1, 9))
_FIELD_PREFIX = "v1:"


class UndecryptablePassword(ValueError):
    """The value is not base64 DES/CBC/PKCS#5 ciphertext of UTF-8 text under the app key."""


def _password_cipher():
    return DES.new(settings.APP_KEY.encode("utf-8")[:8], DES.MODE_CBC, iv=_DES_IV)


def encrypt_password(plain: str) -> str:
    """What the app sends for a password field (for integrators, scripts and tests)."""
    return base64.b64encode(_password_cipher().encrypt(pad(plain.encode("utf-8"), 8))).decode("ascii")


def decrypt_password(value: str) -> str:
    if not isinstance(value, str) or not value or len(value) > 256:
        raise UndecryptablePassword("empty or oversized")
    text = value.strip()
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise UndecryptablePassword("not base64") from None
    if not raw or len(raw) % 8:
        raise UndecryptablePassword("not whole DES blocks")
    try:
        return unpad(_password_cipher().decrypt(raw), 8).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise UndecryptablePassword("bad padding or not UTF-8") from None


def _field_key() -> bytes:
    try:
        key = base64.b64decode(settings.FIELD_ENCRYPTION_KEY, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be base64") from None
    if len(key) != 32:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be 32 bytes, base64-encoded")
    return key


def encrypt_value(plain: str) -> str:
    """``v1:`` + base64(nonce ‖ ciphertext ‖ tag)."""
    nonce = os.urandom(12)
    cipher = AES.new(_field_key(), AES.MODE_GCM, nonce=nonce)
    ciphertext, tag = cipher.encrypt_and_digest(plain.encode("utf-8"))
    return _FIELD_PREFIX + base64.b64encode(nonce + ciphertext + tag).decode("ascii")


def decrypt_value(stored: str) -> str:
    if not stored.startswith(_FIELD_PREFIX):
        raise ValueError("not an encrypted field value")
    raw = base64.b64decode(stored[len(_FIELD_PREFIX):])
    nonce, ciphertext, tag = raw[:12], raw[12:-16], raw[-16:]
    cipher = AES.new(_field_key(), AES.MODE_GCM, nonce=nonce)
    return cipher.decrypt_and_verify(ciphertext, tag).decode("utf-8")


def keyed_digest(purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` under a key derived from the field key, per ``purpose``."""
    key = hmac.new(_field_key(), f"digest:{purpose}".encode(), hashlib.sha256).digest()
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def mask_number(value: str) -> str:
    """First 6 and last 4 digits shown (CONTRACT §7): ``110106********2150``."""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]
