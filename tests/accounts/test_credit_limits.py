"""Credit limits (CONTRACT §12): the raise after a clean pay-off, capped; the risk manager sets a
limit with a reason; every change kept with its cause and shown on the customer page."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from accounts import credit_limits
from accounts.credit_limits import raised_limit
from accounts.models import CreditLimitChange
from tests.factories import UserFactory, VerifiedUserFactory

D = Decimal


@pytest.mark.parametrize(
    "current, percent, ceiling, expected",
    [
        ("1000.00", "20", None, "1200.00"),
        ("1000.00", "20", "1100.00", "1100.00"),  # capped
        ("1100.00", "20", "1100.00", "1100.00"),  # at the ceiling: unchanged
        ("1500.00", "20", "1100.00", "1500.00"),  # set above it by staff: never lowered by a raise
        ("333.33", "20", None, "400.00"),  # 399.996 half-up
        ("0.00", "20", None, "0.00"),
        ("1000.00", "0", None, "1000.00"),
        ("100.05", "10", None, "110.06"),  # 110.055 half-up
    ],
)
def test_raise_is_a_percentage_of_the_limit_up_to_the_ceiling(current, percent, ceiling, expected):
    assert raised_limit(D(current), D(percent), None if ceiling is None else D(ceiling)) == D(expected)


def test_unlimited_stays_unlimited():
    assert raised_limit(None, D("20"), D("5000")) is None


def staff_in(group_name: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.mark.django_db
class TestChanges:
    def test_the_risk_manager_sets_a_limit_with_a_reason(self):
        manager, customer = staff_in("风控"), VerifiedUserFactory()
        change = credit_limits.set_credit_limit(customer, D("3000.00"), by=manager, reason="收入核实")
        customer.refresh_from_db()
        assert customer.total_credit == D("3000.00")
        assert (change.cause, change.before, change.after, change.reason, change.changed_by) == ("staff", None, D("3000.00"), "收入核实", manager)
        entry = LogEntry.objects.get(object_id=str(customer.pk), content_type__model="user")
        assert entry.user == manager
        assert entry.change_message == "调整授信额度。总授信额度：不限额 → 3000.00。原因：收入核实"

    def test_no_reason_no_change(self):
        customer = VerifiedUserFactory(total_credit=D("1000.00"))
        with pytest.raises(ValidationError):
            credit_limits.set_credit_limit(customer, D("3000.00"), by=staff_in("风控"), reason="  ")
        customer.refresh_from_db()
        assert customer.total_credit == D("1000.00") and not CreditLimitChange.objects.exists()

    @pytest.mark.parametrize("limit", [D("-1.00"), D("1.001")])
    def test_a_limit_must_be_an_amount(self, limit):
        with pytest.raises(ValidationError):
            credit_limits.set_credit_limit(VerifiedUserFactory(), limit, by=staff_in("风控"), reason="x")

    def test_the_same_limit_is_no_change(self):
        customer = VerifiedUserFactory(total_credit=D("1000.00"))
        assert credit_limits.set_credit_limit(customer, D("1000.00"), by=staff_in("风控"), reason="x") is None
        assert not CreditLimitChange.objects.exists() and not LogEntry.objects.exists()

    def test_a_raise_records_its_loan(self, settings):
        settings.CREDIT_RAISE_PERCENT, settings.CREDIT_MAX_LIMIT = D("20"), D("1100.00")
        customer = VerifiedUserFactory(total_credit=D("1000.00"))
        change = credit_limits.raise_after_clean_pay_off(customer, loan_code="CL2024")
        assert (change.cause, change.before, change.after, change.loan_code, change.changed_by) == ("raise", D("1000.00"), D("1100.00"), "CL2024", None)
        assert credit_limits.raise_after_clean_pay_off(customer, loan_code="CL2025") is None  # at the ceiling
        assert not LogEntry.objects.exists()  # not a staff change


@pytest.mark.django_db
class TestAdmin:
    def test_the_form_needs_a_reason_and_the_page_shows_the_history(self, client):
        manager, customer = staff_in("风控"), VerifiedUserFactory(total_credit=D("1000.00"))
        client.force_login(manager)
        url = f"/admin/accounts/customer/{customer.pk}/credit-limit/"
        page = client.get(url).content.decode()
        assert "当前总授信额度：<strong>1000.00</strong>" in page
        refused = client.post(url, {"limit": "2000.00", "reason": ""})
        assert refused.status_code == 200 and "该字段是必填项" in refused.content.decode()
        assert client.post(url, {"limit": "2000.00", "reason": "提额申请"}).status_code == 302
        assert client.post(url, {"limit": "", "reason": "白名单客户"}).status_code == 302
        customer.refresh_from_db()
        assert customer.total_credit is None
        page = client.get(f"/admin/accounts/customer/{customer.pk}/change/").content.decode()
        assert "授信额度变更记录" in page and "提额申请" in page and "白名单客户" in page and "风控调整" in page
        assert "不限额" in page and "调整授信额度" in page

    @pytest.mark.parametrize("role", ["信贷专员", "运营"])
    def test_other_roles_cannot_set_a_limit(self, client, role):
        customer = VerifiedUserFactory(total_credit=D("1000.00"))
        client.force_login(staff_in(role))
        assert client.post(f"/admin/accounts/customer/{customer.pk}/credit-limit/", {"limit": "9000", "reason": "x"}).status_code == 403
        customer.refresh_from_db()
        assert customer.total_credit == D("1000.00")
