"""A model field that keeps its value AES-GCM encrypted in the database (see crypto.py)."""

from django.db import models

from cashloan.crypto import decrypt_value, encrypt_value


class EncryptedCharField(models.TextField):
    """Plain text in Python, ``v1:<base64>`` in the database.

    Each save encrypts with a fresh nonce, so equality lookups cannot work: keep a
    :func:`cashloan.crypto.keyed_digest` beside the field when rows must be found by value.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_value(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_value(value)
