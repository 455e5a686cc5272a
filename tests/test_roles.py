"""Back-office roles: loan officers and operators have separate groups (README "Back office")."""

import pytest
from django.contrib.auth.models import Group

from cashloan.roles import ROLES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def staff_in(group_name: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_groups_hold_exactly_their_permissions():
    for name, permission_names in ROLES.items():
        group = Group.objects.get(name=name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == set(permission_names)


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        ("信贷专员", "/admin/loans/loanapplication/", 200),
        ("信贷专员", "/admin/products/product/add/", 403),
        ("信贷专员", "/admin/messaging/systemmessage/add/", 403),
        ("运营", "/admin/messaging/systemmessage/add/", 200),
        ("运营", "/admin/loans/loanapplication/", 403),
        ("运营", "/admin/accounts/appversion/", 200),
        ("财务", "/admin/ledger/journalentry/", 200),
        ("财务", "/admin/ledger/trialbalance/", 200),
        ("财务", "/admin/ledger/loanstatement/", 200),
        ("财务", "/admin/ledger/reconciliation/", 200),
        ("财务", "/admin/loans/loanapplication/", 200),
        ("财务", "/admin/products/product/add/", 403),
        ("财务", "/admin/messaging/systemmessage/add/", 403),
        ("信贷专员", "/admin/ledger/journalentry/", 403),
        ("催收专员", "/admin/recovery/collectioncase/", 200),
        ("催收专员", "/admin/recovery/collectionreport/", 403),
        ("催收专员", "/admin/recovery/dunningtemplate/", 403),
        ("催收专员", "/admin/loans/loanapplication/", 403),
        ("催收专员", "/admin/accounts/customer/", 403),
        ("催收主管", "/admin/recovery/collectioncase/", 200),
        ("催收主管", "/admin/recovery/collectionreport/", 200),
        ("催收主管", "/admin/recovery/dunningtemplate/", 200),
        ("催收主管", "/admin/recovery/assignment/", 200),
        ("催收主管", "/admin/accounts/customer/", 403),
        ("信贷专员", "/admin/recovery/collectioncase/", 403),
    ],
)
def test_role_reaches_only_its_pages(client, role, url, status):
    client.force_login(staff_in(role))
    assert client.get(url).status_code == status


def test_loan_officer_may_review(client):
    officer = staff_in("信贷专员")
    assert officer.has_perm("loans.review_loanapplication")
    assert not staff_in("运营").has_perm("loans.review_loanapplication")
    assert not staff_in("财务").has_perm("loans.review_loanapplication")


def test_only_finance_writes_off_and_exports_the_books():
    assert staff_in("财务").has_perms(["loans.write_off_loanapplication", "ledger.export_journalentry"])
    for role in ("信贷专员", "运营"):
        assert not staff_in(role).has_perm("loans.write_off_loanapplication")
        assert not staff_in(role).has_perm("ledger.export_journalentry")


def test_back_office_is_branded(admin_client):
    assert "现金贷管理后台" in admin_client.get("/admin/").content.decode()
