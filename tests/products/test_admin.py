"""The product admin (zh-hans): whole-product validation in ProductForm.clean, and the actions.

Seed §21 (every field), CONTRACT §8 (products carry fees, penalty rate, on-sale state).
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from products.admin import ProductForm
from products.models import Product
from tests.factories import ProductFactory

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

    def test_off_sale_and_on_sale_actions(self, admin_client):
        product = ProductFactory()
        url = reverse("admin:products_product_changelist")
        admin_client.post(url, {"action": "take_off_sale", "_selected_action": [str(product.pk)]})
        product.refresh_from_db()
        assert not product.on_sale
        admin_client.post(url, {"action": "put_on_sale", "_selected_action": [str(product.pk)]})
        product.refresh_from_db()
        assert product.on_sale

    def test_inconsistent_product_is_not_put_on_sale(self, admin_client):
        product = ProductFactory(on_sale=False, repay_types="1,3")  # saved outside the admin
        url = reverse("admin:products_product_changelist")
        response = admin_client.post(url, {"action": "put_on_sale", "_selected_action": [str(product.pk)]}, follow=True)
        product.refresh_from_db()
        assert not product.on_sale
        assert "配置有误" in response.content.decode()
