"""Secrets on the wire (passwords, CONTRACT §6) and masked numbers (CONTRACT §7).

* Passwords travel DES-encrypted (CONTRACT §6): CBC, key = the first 8 bytes of ``APP_KEY``,
  IV = bytes 01..08, PKCS#5 padding, base64 with or without ``=`` padding. This is the scheme
  that turns the seed's §15 sample ``t9xLwn19WXS+d7OVW9ocKw`` into ``zhongkeborun``.
* ID and bank-card numbers are shown masked outside their owner's reads (CONTRACT §7).

Encryption at rest and keyed digests are the project's (``cashloan.crypto``): SMS codes use
them too.
"""

import base64
import binascii

from Crypto.Cipher import DES
from Crypto.Util.Padding import pad, unpad
from django.conf import settings

_DES_IV = bytes(range(1, 9))


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


def mask_number(value: str) -> str:
    """First 6 and last 4 digits shown (CONTRACT §7): ``110106********2150``."""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]
