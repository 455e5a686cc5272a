"""Single use under real concurrency (PostgreSQL + the shared cache)."""

import threading

import pytest
from django.db import connection

from accounts.services import passwords, sms_codes, verification
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
