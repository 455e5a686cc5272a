"""Who changed a loan's status (CONTRACT §11): "A status change records its actor as a staff
user, the customer, or system (rule decisions and jobs), three distinct kinds."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from loans import lifecycle
from loans.models import StatusChange
from loans.repayments import repay
from tests.factories import LoanApplicationFactory
from tests.loans.helpers import disbursed_loan, staff_user

pytestmark = pytest.mark.django_db


def actors(loan):
    return list(StatusChange.objects.filter(application=loan).values_list("to_status", "actor", "changed_by"))


def test_staff_and_system_and_customer():
    officer = staff_user()
    loan = LoanApplicationFactory()
    lifecycle.approve(loan, officer)
    lifecycle.disburse(loan, None, on=timezone.localdate() - timedelta(days=14))  # a script: no staff user
    repay(loan.user, str(loan.periods.get().pk), "all")
    assert actors(loan) == [(2, "staff", officer.pk), (4, "system", None), (5, "customer", None)]


def test_a_staff_change_names_its_user():
    loan = disbursed_loan(timezone.localdate())
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.create(application=loan, from_status=4, to_status=5, actor="staff")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.create(application=loan, from_status=4, to_status=5, actor="system", changed_by=staff_user())


@pytest.mark.django_db(transaction=True)
def test_existing_rows_are_staff_where_a_user_is_named():
    """The migration, on rows written before it: until now a missing user meant the customer."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    before = [node for node in leaves if node[0] not in ("loans", "recovery")] + [("loans", "0002_review_permission")]  # recovery builds on loans
    executor.migrate([("loans", "0002_review_permission")])
    try:
        old = executor.loader.project_state(before).apps
        officer = old.get_model("accounts", "User").objects.create(username="officer", is_staff=True)
        customer = old.get_model("accounts", "User").objects.create(username="13900000001", mobile="13900000001")
        product = old.get_model("products", "Product").objects.create(name="P", code="P1", single_default_amount=1, default_interest_rate=0)
        loan = old.get_model("loans", "LoanApplication").objects.create(
            code="L1", user=customer, product=product, apply_amount=1, reply_amount=1, interest_rate=0, penalty_rate=0,
            term_count=7, term_unit=1, repay_term_count=1, repay_term_unit=1, repay_type=1,
        )
        changes = old.get_model("loans", "StatusChange").objects
        submitted = changes.create(application=loan, from_status=None, to_status=0).pk
        approved = changes.create(application=loan, from_status=0, to_status=2, changed_by=officer).pk
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
    assert StatusChange.objects.get(pk=submitted).actor == "customer"
    assert StatusChange.objects.get(pk=approved).actor == "staff"
