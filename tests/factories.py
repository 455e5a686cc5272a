"""factory_boy factories and small helpers shared by the tests."""

import base64

import factory
from Crypto.Cipher import DES
from Crypto.Util.Padding import pad
from django.conf import settings

from accounts.models import User


def encrypt_password(plain: str) -> str:
    """What the mobile app sends (CONTRACT §6): DES/CBC/PKCS5, key = APP_KEY, IV = 01..08."""
    key = settings.APP_KEY.encode()[:8]
    cipher = DES.new(key, DES.MODE_CBC, iv=bytes(range(1, 9)))
    return base64.b64encode(cipher.encrypt(pad(plain.encode(), 8))).decode()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    username = factory.LazyAttribute(lambda user: user.mobile)
    password = factory.django.Password("secret123")
