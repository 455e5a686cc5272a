"""Two officers claiming, or two finance clerks paying out, the same loan at the same moment
(issue 14): the loan's row lock lets one through; the other finds the work done. PostgreSQL row
locks, real threads, through the admin's actions."""

import pytest
from django.test import Client

from loans.models import Disbursement, LoanApplication, StatusChange
from tests.backoffice.helpers import staff_in
from tests.factories import LoanApplicationFactory
from tests.loans.test_repayment_race import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CHANGELIST = "/admin/loans/loanapplication/"
THREADS = 6


def clients_of(users):
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def test_concurrent_claims_assign_one_officer():
    loan = LoanApplicationFactory()
    officers = [staff_in("信贷专员", username=f"officer-{n}") for n in range(THREADS)]
    data = {"action": "claim_applications", "_selected_action": [str(loan.pk)]}
    run_together([lambda c=c: c.post(CHANGELIST, data) for c in clients_of(officers)])
    claimed = LoanApplication.objects.get(pk=loan.pk)
    assert claimed.status == 1 and claimed.claimed_by in officers
    assert list(StatusChange.objects.filter(application=loan).values_list("changed_by", flat=True)) == [claimed.claimed_by_id]


def test_concurrent_payouts_pay_once():
    loan = LoanApplicationFactory(status=2)
    clerks = [staff_in("财务", username=f"finance-{n}") for n in range(THREADS)]
    data = {"action": "disburse_applications", "_selected_action": [str(loan.pk)], "post": "yes"}
    run_together([lambda c=c: c.post(CHANGELIST, data) for c in clients_of(clerks)])
    assert LoanApplication.objects.get(pk=loan.pk).status == 4
    assert Disbursement.objects.filter(application=loan).count() == 1
    assert loan.periods.count() == 1
