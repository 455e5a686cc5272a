"""The product admin (zh-hans): whole-product validation in ProductForm.clean, and the actions.

Seed §21 (every field), CONTRACT §8 (products carry fees, penalty rate, on-sale state).
"""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse

from products.admin import ProductForm
from products.models import Product
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    """What the admin's add page posts for a "新现金贷"-like product."""
    data = {
        "name": "新现金贷",
        "code": "NEWCASH",
        "detail_description": "描述 1;描述 2",
        "third_service_code": "",
        "on_sale": "on",
        "display_order": "2",
        "amount_limit_type": "0",
        "single_min_amount": "500.00",
        "single_max_amount": "5000.00",
        "single_amounts": "",
        "single_default_amount": "2000.00",
        "interest_rate_limit_type": "1",
        "min_interest_rate": "",
        "max_interest_rate": "",
        "interest_rates": "0.36",
        "default_interest_rate": "0.36",
        "term_units": "1",
        "days_limit_type": "1",
        "single_min_days": "",
        "single_max_days": "",
        "single_days": "7, 14",
        "single_default_days": "7",
        "months_limit_type": "1",
        "single_min_months": "",
        "single_max_months": "",
        "single_months": "",
        "single_default_months": "",
        "repay_types": "1",
        "repay_term_units": "1",
        "repay_term_counts": "",
        "default_repay_term_count": "1",
        "default_repay_term_unit": "1",
        "service_fee_rate": "0",
        "period_fee": "0",
        "penalty_rate": "0.54",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


class TestProductForm:
    def test_valid_product(self):
        form = ProductForm(data=form_data())
        assert form.is_valid(), form.errors

    @pytest.mark.parametrize(
        "overrides, field",
        [
            ({"single_min_amount": "6000.00"}, "single_max_amount"),
            ({"single_max_amount": ""}, "single_max_amount"),
            ({"amount_limit_type": "1", "single_amounts": ""}, "single_amounts"),
            ({"single_days": "7,,14"}, "single_days"),
            ({"interest_rates": "0.36, abc"}, "interest_rates"),
            ({"term_units": "1,3"}, "term_units"),
            ({"repay_types": "5"}, "repay_types"),
            ({"repay_term_units": "1,9"}, "repay_term_units"),
            ({"single_default_amount": "5000.01"}, "single_default_amount"),
            ({"single_default_days": "10"}, "single_default_days"),
            ({"default_repay_term_unit": "2"}, "default_repay_term_unit"),
            ({"service_fee_rate": "1.00"}, "service_fee_rate"),
        ],
    )
    def test_invalid_field(self, overrides, field):
        form = ProductForm(data=form_data(**overrides))
        assert not form.is_valid()
        assert field in form.errors, form.errors

    def test_unquotable_combination_is_a_form_error(self):
        form = ProductForm(data=form_data(repay_types="1,3"))
        assert not form.is_valid()
        assert "等额本息" in " ".join(form.non_field_errors())

    def test_field_errors_come_first(self):
        form = ProductForm(data=form_data(single_min_amount="abc", repay_types="1,3"))
        assert not form.is_valid()
        assert "single_min_amount" in form.errors and not form.non_field_errors()

    def test_editing_an_existing_product(self):
        product = ProductFactory(code="NEWCASH")
        form = ProductForm(data=form_data(single_max_amount="8000.00"), instance=product)
        assert form.is_valid(), form.errors
        form.save()
        product.refresh_from_db()
        assert product.single_max_amount == Decimal("8000.00")


class TestAdminPages:
    def test_add_page_saves_a_valid_product(self, admin_client):
        response = admin_client.post(reverse("admin:products_product_add"), form_data())
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Product.objects.get(code="NEWCASH").single_days == "7, 14"

    def test_add_page_refuses_an_invalid_product_in_chinese(self, admin_client):
        response = admin_client.post(reverse("admin:products_product_add"), form_data(single_min_amount="6000.00"))
        assert response.status_code == 200
        assert "上限不能小于下限" in response.content.decode()
        assert not Product.objects.exists()

    def test_changelist_renders(self, admin_client):
        ProductFactory()
        ProductFactory(instalments=True)
        response = admin_client.get(reverse("admin:products_product_changelist"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "贷款产品" in page and "分期贷" in page and "等额本息" in page

    def test_add_page_saves_a_new_product_off_sale(self, admin_client):
        """CONTRACT §11: on sale only through the action, with a reason."""
        admin_client.post(reverse("admin:products_product_add"), form_data(on_sale="on"))
        assert Product.objects.get(code="NEWCASH").on_sale is False


CHANGELIST = "/admin/products/product/"


def sale_action(client, action, product, reason=None):
    data = {"action": action, "_selected_action": [str(product.pk)]}
    if reason is not None:
        data.update(post="yes", reason=reason)
    return client.post(CHANGELIST, data, follow=True)


class TestOnSaleActions:
    """CONTRACT §11: superusers change the catalogue; taking a product on or off sale needs a reason
    and is one row of the operation log."""

    def test_off_sale_then_on_sale_with_reasons_in_the_log(self, admin_client):
        product = ProductFactory()
        sale_action(admin_client, "take_off_sale", product, reason="利率调整，暂停销售")
        product.refresh_from_db()
        assert not product.on_sale
        sale_action(admin_client, "put_on_sale", product, reason="调整完成")
        product.refresh_from_db()
        assert product.on_sale
        log = LogEntry.objects.filter(object_id=str(product.pk)).order_by("pk")
        assert [entry.change_message for entry in log] == [
            "下架。在售：是 → 否。原因：利率调整，暂停销售",
            "上架。在售：否 → 是。原因：调整完成",
        ]
        history = admin_client.get(f"{CHANGELIST}{product.pk}/history/").content.decode()
        assert "原因：利率调整，暂停销售" in history

    def test_the_reason_is_asked_for_first_and_required(self, admin_client):
        product = ProductFactory()
        page = sale_action(admin_client, "take_off_sale", product)
        assert "原因" in page.content.decode() and 'name="post" value="yes"' in page.content.decode()
        refused = sale_action(admin_client, "take_off_sale", product, reason="")
        assert "请填写原因" in refused.content.decode()
        product.refresh_from_db()
        assert product.on_sale and not LogEntry.objects.exists()

    def test_inconsistent_product_is_not_put_on_sale(self, admin_client):
        product = ProductFactory(on_sale=False, repay_types="1,3")  # saved outside the admin
        response = sale_action(admin_client, "put_on_sale", product, reason="上线")
        product.refresh_from_db()
        assert not product.on_sale and not LogEntry.objects.exists()
        assert "配置有误" in response.content.decode()

    def test_a_product_already_on_sale_is_reported_not_logged(self, admin_client):
        product = ProductFactory()
        response = sale_action(admin_client, "put_on_sale", product, reason="再上架")
        assert f"未能上架：{product.name}：已在售" in response.content.decode()
        assert not LogEntry.objects.exists()

    def test_the_form_does_not_change_the_sale_state(self, admin_client):
        product = ProductFactory(code="NEWCASH")
        admin_client.post(reverse("admin:products_product_change", args=[product.pk]), form_data(on_sale=None))
        product.refresh_from_db()
        assert product.on_sale

    def test_a_form_change_is_logged_before_and_after(self, admin_client):
        product = ProductFactory(code="NEWCASH", single_max_amount=Decimal("5000.00"))
        admin_client.post(reverse("admin:products_product_change", args=[product.pk]), form_data(single_max_amount="8000.00"))
        entry = LogEntry.objects.get(object_id=str(product.pk))
        assert "单笔最大金额：5000.00 → 8000.00" in entry.change_message


class TestLoanOfficer:
    """A loan officer reads the catalogue and changes nothing (issue 10 item 5)."""

    @pytest.fixture
    def officer(self, client):
        user = UserFactory(is_staff=True)
        user.groups.add(Group.objects.get(name="信贷专员"))
        client.force_login(user)
        return user

    def test_no_sale_action_offered_or_run(self, client, officer):
        product = ProductFactory()
        assert "take_off_sale" not in client.get(CHANGELIST).content.decode()
        sale_action(client, "take_off_sale", product, reason="越权")
        product.refresh_from_db()
        assert product.on_sale and not LogEntry.objects.exists()

    def test_no_add_change_or_delete(self, client, officer):
        product = ProductFactory(code="NEWCASH")
        assert client.get(reverse("admin:products_product_add")).status_code == 403
        page = client.get(reverse("admin:products_product_change", args=[product.pk])).content.decode()
        assert 'name="single_max_amount"' not in page  # the view page, read-only
        response = client.post(reverse("admin:products_product_change", args=[product.pk]), form_data(name="改名"))
        assert response.status_code == 403
        assert client.post(reverse("admin:products_product_delete", args=[product.pk]), {"post": "yes"}).status_code == 403
        product.refresh_from_db()
        assert product.name != "改名"
