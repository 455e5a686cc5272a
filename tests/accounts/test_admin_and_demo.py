"""The back office (zh-hans, masked numbers) and the demo data."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import demo
from cashloan.crypto import keyed_digest
from accounts.models import AppVersion, BankCard, Feedback, Identity, User
from tests.factories import UserFactory, encrypt_password

from .helpers import GOOD_CARD, GOOD_ID

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    user = UserFactory(real_name="王豆豆", real_name_verified=True, bank_card_verified=True)
    Identity.objects.create(user=user, real_name="王豆豆", id_number=GOOD_ID, id_number_digest=keyed_digest("id_number", GOOD_ID), verified_at=timezone.now())
    BankCard.objects.create(user=user, card_number=GOOD_CARD, reserved_mobile="18911647533", verified_at=timezone.now())
    Feedback.objects.create(mobile=user.mobile, source="1", suggestion="很好用", user=user)
    return user


class TestAdmin:
    def test_the_customer_page_masks_numbers(self, admin_client, customer):
        page = admin_client.get(f"/admin/accounts/customer/{customer.pk}/change/").content.decode()
        assert GOOD_ID not in page and GOOD_CARD not in page and customer.mobile not in page
        assert GOOD_ID[:6] + "********" + GOOD_ID[-4:] in page
        assert GOOD_CARD[:6] + "*********" + GOOD_CARD[-4:] in page
        assert "黑名单" in page and "总授信额度" in page

    def test_the_customer_list_searches_by_the_full_mobile_and_shows_it_masked(self, admin_client, customer):
        other = UserFactory()
        page = admin_client.get("/admin/accounts/customer/", {"q": customer.mobile}).content.decode()
        assert str(customer) in page and str(other) not in page
        shown = re.sub(r'href="[^"]*"', "", page[page.index("<tbody>"):page.index("</tbody>")])  # links keep the search
        assert customer.mobile not in shown

    def test_neither_flags_nor_credit_are_editable_in_the_list(self, admin_client, customer):
        """Issue 15: flags change only through the action with a reason (tests/backoffice)."""
        page = admin_client.get("/admin/accounts/customer/").content.decode()
        assert 'name="form-0-total_credit"' not in page and 'name="form-0-is_blacklisted"' not in page

    def test_a_loan_officer_reads_the_file_without_password_details(self, client, customer):
        """Issue 10 item 8: no 重置密码 button (it led to a 403) and no hash details."""
        officer = UserFactory(is_staff=True)
        officer.groups.add(Group.objects.get(name="信贷专员"))
        client.force_login(officer)
        page = client.get(f"/admin/accounts/customer/{customer.pk}/change/").content.decode()
        assert str(customer) in page and "王豆豆" in page
        for hidden in ("重置密码", "../password/", "field-password", "算法", "哈希"):
            assert hidden not in page, hidden

    def test_a_superuser_still_resets_staff_passwords(self, admin_client):
        """Customers reset theirs in the app (§13–§15); staff passwords are set on the 职员 page."""
        officer = UserFactory(is_staff=True, mobile=None, username="officer-wang")
        page = admin_client.get(f"/admin/accounts/staff/{officer.pk}/change/").content.decode()
        assert "重置密码" in page and "../password/" in page

    @pytest.mark.parametrize("path", ["/admin/accounts/feedback/", "/admin/accounts/appversion/", "/admin/accounts/device/", "/admin/accounts/appversion/add/"])
    def test_other_pages(self, admin_client, customer, path):
        assert admin_client.get(path).status_code == 200


class TestDemo:
    def test_load_is_idempotent_and_the_logins_work(self, api, client):
        out = io.StringIO()
        demo.load(out)
        demo.load(out)
        assert "13800000000" in out.getvalue() and "admin123" in out.getvalue()
        assert AppVersion.objects.count() == 3 and sorted(AppVersion.objects.values_list("app_type", flat=True)) == ["1", "2", "3"]
        assert User.objects.filter(mobile="13800000000").count() == 1
        assert User.objects.get(username="admin").is_superuser
        customer = User.objects.get(mobile="13800000000")
        assert customer.verifications_complete and customer.check_password("demo1234")
        reply = api.post("/security/login", {"username": "13800000000", "password": encrypt_password("demo1234"), "appType": "1", "token": "t"})
        api.session_id = reply.result
        status = api.post("/appCommonApi/getAuthenticationStatus").result
        assert [status[k] for k in ("realNameAuthStatus", "bankCardAuthStatus", "customerInfoStatus", "mobileAuthStatus")] == ["1"] * 4
        response = client.post("/admin/login/?next=/admin/", {"username": "admin", "password": "admin123"})
        assert response.status_code == 302 and response["Location"] == "/admin/"
