"""Secrets at rest under ``FIELD_ENCRYPTION_KEY`` (CONTRACT §7, §11).

* Values (ID and bank-card numbers, an SMS code's text until it is delivered) are stored
  AES-256-GCM encrypted, a fresh 12-byte nonce per value.
* A keyed HMAC digest finds equal values without decrypting (one identity per account) and
  checks one-time secrets (SMS codes, captchas) that are never stored in clear.
"""

import base64
import binascii
import hashlib
import hmac
import os

from Crypto.Cipher import AES
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_FIELD_PREFIX = "v1:"


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
