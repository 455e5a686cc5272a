"""客户 apart from 职员, the customer list's figures and the customer page (issue 15 items 1–3;
CONTRACT §11: the flags change only with a reason, each change kept and in the operation log;
§13: worst days past due)."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from accounts.models import Customer, FlagChange, Staff
from loans.models import ApplicationStatus, RepaymentPeriod
from messaging.models import CustomerMessage, SmsMessage
from tests.factories import LoanApplicationFactory, UserFactory, disbursed_loan, repayment

from .helpers import CARD_NUMBER, ID_NUMBER, customer_with_file, staff_in

pytestmark = pytest.mark.django_db

LIST = "/admin/accounts/customer/"


def page_of(customer) -> str:
    return f"/admin/accounts/customer/{customer.pk}/change/"


class TestLists:
    def test_customers_and_staff_are_two_lists(self, admin_client):
        customer, officer = UserFactory(), staff_in("信贷专员", username="officer-li")
        assert list(Customer.objects.values_list("pk", flat=True)) == [customer.pk]
        assert officer.pk in Staff.objects.values_list("pk", flat=True) and customer.pk not in Staff.objects.values_list("pk", flat=True)
        customers = admin_client.get(LIST).content.decode()
        staff = admin_client.get("/admin/accounts/staff/").content.decode()
        assert str(customer) in customers and "officer-li" not in customers
        assert "officer-li" in staff and "信贷专员" in staff and str(customer) not in staff
        assert admin_client.get("/admin/accounts/user/").status_code == 404  # no mixed list any more

    def test_the_list_shows_loans_outstanding_and_worst_dpd(self, admin_client):
        """Worst DPD (CONTRACT §13): days since the earliest unpaid period past due, over all loans."""
        today = timezone.localdate()
        customer = customer_with_file()
        # A paid-off loan and a disbursed one of two periods: 500 paid, 500 unpaid 12 days late, none due later.
        LoanApplicationFactory(user=customer, status=ApplicationStatus.PAID_OFF)
        loan = disbursed_loan(user=customer, periods=[today - timedelta(days=40), today - timedelta(days=12)])
        first = loan.periods.get(number=1)
        RepaymentPeriod.objects.filter(pk=first.pk).update(settlement=1, paid_principal=first.principal)
        row = admin_client.get(LIST).context["cl"].result_list.get(pk=customer.pk)
        assert (row.loan_count, row.outstanding) == (2, D("500.00"))
        page = admin_client.get(LIST).content.decode()
        assert '<td class="field-worst_dpd">12</td>' in page and '<td class="field-outstanding">500.00</td>' in page
        assert '<td class="field-loan_count">2</td>' in page and "王豆豆" in page
        assert admin_client.get(LIST, {"overdue": "M1"}).context["cl"].result_count == 1
        assert admin_client.get(LIST, {"overdue": "M2"}).context["cl"].result_count == 0
        assert admin_client.get(LIST, {"overdue": "none"}).context["cl"].result_count == 0

    def test_the_list_costs_the_same_queries_for_10_or_30_customers(self, admin_client, django_assert_max_num_queries):
        for number in range(10):
            disbursed_loan(user=customer_with_file(f"44030519900101{number:04d}"), periods=[timezone.localdate() - timedelta(days=3)])
        admin_client.get(LIST)
        with django_assert_max_num_queries(8) as ten:
            admin_client.get(LIST)
        for number in range(10, 30):
            disbursed_loan(user=customer_with_file(f"44030519900101{number:04d}"), periods=[timezone.localdate() - timedelta(days=3)])
        with django_assert_max_num_queries(len(ten.captured_queries)):
            admin_client.get(LIST)


class TestCustomerPage:
    def test_everything_about_the_customer_masked(self, admin_client, django_assert_max_num_queries):
        customer = customer_with_file()
        loan = disbursed_loan(user=customer, periods=[timezone.localdate() - timedelta(days=5)])
        repayment(loan, "100.00")
        CustomerMessage.objects.create(user=customer, message_type=99, title="你好", content="内容")
        SmsMessage.objects.create(mobile=customer.mobile, text="您的验证码是 482913，5分钟内有效", purpose="register")
        with django_assert_max_num_queries(25):
            page = admin_client.get(page_of(customer)).content.decode()
        for hidden in (ID_NUMBER, CARD_NUMBER, customer.mobile, "13911112222", "18911647533", "482913"):
            assert hidden not in page
        for shown in (
            "440305********1234", "622202*********3445", "139****", "王父", "139****2222", "广东省深圳市南山区", "男",
            "本科", "未婚", "北京市海淀区 中关村1号", "广东省深圳市 南山大道1号", "1年-3年", "高新技术制造业", "每月 10 日",
            loan.code, "已放款", "device-token-1", "安卓", "你好", "注册验证码", "******", "5</span>",
        ):
            assert shown in page, shown

    def test_linked_from_feedback_devices_and_messages(self, admin_client):
        customer = customer_with_file()
        CustomerMessage.objects.create(user=customer, message_type=99, title="你好", content="内容")
        for path in ("/admin/accounts/device/", "/admin/messaging/customermessage/"):
            assert f'href="{page_of(customer)}"' in admin_client.get(path).content.decode(), path

    def test_the_full_numbers_are_a_page_of_their_own_and_logged(self, client):
        """CONTRACT §11: every staff view of unmasked personal data is logged."""
        customer, officer = customer_with_file(), staff_in("信贷专员")
        client.force_login(officer)
        page = client.get(f"/admin/accounts/customer/{customer.pk}/reveal/").content.decode()
        assert ID_NUMBER in page and CARD_NUMBER in page and customer.mobile in page and "13911112222" in page
        entry = LogEntry.objects.get(user=officer, object_id=str(customer.pk))
        assert "查看完整个人信息" in entry.change_message
        client.force_login(staff_in("运营"))
        assert client.get(f"/admin/accounts/customer/{customer.pk}/reveal/").status_code == 403
        assert LogEntry.objects.count() == 1

    @pytest.mark.parametrize("role", ["信贷专员", "风控", "财务", "运营"])
    def test_every_role_reads_the_customer_page(self, client, role):
        customer = customer_with_file()
        client.force_login(staff_in(role))
        assert client.get(page_of(customer)).status_code == 200
        assert client.get(LIST).status_code == 200

    def test_an_unknown_customer_or_a_staff_id_is_404(self, admin_client):
        officer = staff_in("信贷专员")
        assert admin_client.get(page_of(officer)).status_code == 404
        assert admin_client.get("/admin/accounts/customer/999999/change/").status_code == 404
        assert admin_client.get("/admin/accounts/customer/²/change/").status_code == 404  # isdigit() but not int(): no 500


def flags_post(client, customer, **fields):
    data = {"action": "change_flags", "post": "yes", "_selected_action": [customer.pk], **fields}
    return client.post(LIST, data)


class TestFlags:
    def test_the_risk_manager_blacklists_with_a_reason_kept_and_logged(self, client):
        customer, manager = customer_with_file(), staff_in("风控")
        client.force_login(manager)
        response = flags_post(client, customer, is_blacklisted="on", is_risk="", reason="多头借贷")
        assert response.status_code == 302
        customer.refresh_from_db()
        assert customer.is_blacklisted and not customer.is_risk
        change = FlagChange.objects.get()
        assert (change.flag, change.before, change.after, change.reason, change.changed_by) == ("is_blacklisted", False, True, "多头借贷", manager)
        entry = LogEntry.objects.get(object_id=str(customer.pk))
        assert entry.user == manager and entry.change_message == "调整标记。黑名单：否 → 是。原因：多头借贷"
        page = client.get(page_of(customer)).content.decode()
        assert "标记变更记录" in page and "多头借贷" in page and manager.username in page

    def test_no_reason_no_change(self, client):
        customer = customer_with_file()
        client.force_login(staff_in("风控"))
        response = flags_post(client, customer, is_blacklisted="on", reason="")
        assert response.status_code == 200 and "请填写原因" in response.content.decode()
        customer.refresh_from_db()
        assert not customer.is_blacklisted and not FlagChange.objects.exists() and not LogEntry.objects.exists()

    def test_the_same_state_is_refused_not_logged(self, client):
        customer = customer_with_file(is_risk=True)
        client.force_login(staff_in("风控"))
        flags_post(client, customer, is_risk="on", reason="再标记一次")
        assert not FlagChange.objects.exists() and not LogEntry.objects.exists()

    def test_from_the_customer_page_back_to_it(self, client):
        customer = customer_with_file(is_blacklisted=True)
        client.force_login(staff_in("风控"))
        page = client.get(page_of(customer)).content.decode()
        assert 'id="flags-form"' in page
        response = flags_post(client, customer, is_blacklisted="off", reason="误报", back_to_customer=str(customer.pk))
        assert response.status_code == 302 and response["Location"] == page_of(customer)
        customer.refresh_from_db()
        assert not customer.is_blacklisted

    @pytest.mark.parametrize("role", ["信贷专员", "财务", "运营"])
    def test_other_roles_cannot(self, client, role):
        customer = customer_with_file()
        client.force_login(staff_in(role))
        assert 'id="flags-form"' not in client.get(page_of(customer)).content.decode()
        flags_post(client, customer, is_blacklisted="on", reason="试试")
        customer.refresh_from_db()
        assert not customer.is_blacklisted and not FlagChange.objects.exists()
