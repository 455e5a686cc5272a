"""Single use under real concurrency (PostgreSQL + the shared cache)."""

import threading

import pytest
from django.db import connection

from accounts.services import passwords, sessions, sms_codes, verification
from accounts.challenges import Flow, grant_proof, issue_sms_code
from accounts.models import Identity, User
from cashloan.api.errors import ApiError
from tests.factories import UserFactory, encrypt_password

from .helpers import GOOD_ID

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_concurrently(target, count):
    barrier = threading.Barrier(count)
    results = []

    def worker():
        barrier.wait()
        try:
            results.append(target())
        except ApiError as error:
            results.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_one_proof_registers_one_account():
    grant_proof(Flow.REGISTER, "13612345678")
    cipher = encrypt_password("newpass1")
    results = run_concurrently(lambda: passwords.register(mobile="13612345678", password_cipher=cipher, confirm_cipher=cipher).pk, 6)
    assert len([r for r in results if isinstance(r, int)]) == 1
    assert User.objects.filter(mobile="13612345678").count() == 1


def test_one_sms_code_is_checked_once():
    code = issue_sms_code(Flow.REGISTER, "13612345678")
    results = run_concurrently(lambda: sms_codes.check_register_code(mobile="13612345678", sms_code=code) or "ok", 6)
    assert results.count("ok") == 1


def test_one_identity_for_two_accounts_at_once():
    first, second = UserFactory(), UserFactory()
    users = iter([first, second])
    lock = threading.Lock()

    def verify():
        with lock:
            user = next(users)
        return verification.verify_real_name(user, real_name="王豆豆", id_number=GOOD_ID).pk

    results = run_concurrently(verify, 2)
    assert len([r for r in results if isinstance(r, int)]) == 1
    assert Identity.objects.count() == 1


def test_concurrent_wrong_passwords_check_at_most_five():
    """CONTRACT §5, issue 10 item 3: 12 concurrent wrong guesses used to have 7 passwords
    checked where 5 were allowed. The attempt is counted before its password is checked:
    exactly LOGIN_MAX_FAILURES (5) are checked, the rest answer locked (90003000)."""
    user = UserFactory(mobile="13612345670")
    checked = []
    original = User.check_password

    def counting_check(self, raw_password):
        checked.append(raw_password)
        return original(self, raw_password)

    cipher = encrypt_password("wrong-guess")
    User.check_password = counting_check
    try:
        results = run_concurrently(lambda: sessions.authenticate_customer(mobile=user.mobile, password_cipher=cipher), 12)
    finally:
        User.check_password = original
    assert len(checked) == 5
    assert sorted(results) == ["90002000"] * 4 + ["90003000"] * 8
    with pytest.raises(ApiError) as locked:  # the right password too, until the lock ends
        sessions.authenticate_customer(mobile=user.mobile, password_cipher=encrypt_password("secret123"))
    assert locked.value.code == "90003000"
