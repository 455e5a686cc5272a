"""Passwords are Argon2id hashes with OWASP's parameters (cashloan/hashers.py)."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, make_password

pytestmark = pytest.mark.django_db


def test_new_hashes_use_tuned_parameters_real_hasher():
    encoded = make_password("secret123")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("secret123", encoded)
    assert not check_password("secret124", encoded)


def test_hash_with_django_defaults_verifies_and_is_upgraded_real_hasher():
    old = Argon2PasswordHasher().encode("secret123", Argon2PasswordHasher().salt())
    assert "m=102400" in old
    upgraded = []
    assert check_password("secret123", old, setter=upgraded.append)
    assert upgraded == ["secret123"]  # Django re-hashes with the tuned parameters
