"""Seed §23 under real concurrency (PostgreSQL): one customer, ten simultaneous applications.

CONTRACT §8: a user may have one unfinished loan at a time. The customer's row lock serialises
the checks; exactly one application is written, the others answer 20005004.
"""

import threading
from collections import Counter

import pytest
from django.db import connection
from django.test import Client

from loans import applications
from loans.models import LoanApplication, StatusChange
from tests.conftest import SignedClient
from tests.factories import ProductFactory
from tests.products.helpers import APPLY_PATH, apply_payload, verified_customer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 10


def apply_at_once(users, product) -> list[str]:
    clients = []
    for user in users:
        client = SignedClient(Client())
        client.client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    codes: list[str] = []

    def apply(client):
        try:
            barrier.wait(timeout=30)
            codes.append(client.post(APPLY_PATH, apply_payload(product)).code)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return codes


def test_ten_concurrent_applications_make_one_loan(monkeypatch):
    product = ProductFactory(single_days="7, 14")
    user = verified_customer()
    checks, real_check = [], applications.has_unfinished_loan

    def counted_check(user):
        checks.append(user.pk)
        return real_check(user)

    monkeypatch.setattr(applications, "has_unfinished_loan", counted_check)
    codes = apply_at_once([user] * THREADS, product)
    assert Counter(codes) == {"20005000": 1, "20005004": THREADS - 1}
    # The lock did the work: each request checked once, none needed the unique constraint's rescue.
    assert len(checks) == THREADS
    assert LoanApplication.objects.filter(user=user).count() == 1
    assert StatusChange.objects.count() == 1


def test_different_customers_do_not_block_each_other():
    product = ProductFactory(single_days="7, 14")
    users = [verified_customer() for _ in range(4)]
    codes = apply_at_once(users, product)
    assert codes == ["20005000"] * 4
    assert LoanApplication.objects.count() == 4
