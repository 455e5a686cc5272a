"""products.demo.load: the four demo products, idempotent by code, valid by the catalogue rules."""

import io
from decimal import Decimal

import pytest

from products import demo, rules
from products.models import Product

pytestmark = pytest.mark.django_db


def test_creates_the_four_products_once():
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    assert list(Product.objects.order_by("display_order").values_list("name", flat=True)) == ["现金贷", "新现金贷", "员工贷", "分期贷"]
    assert all(product.penalty_rate == Decimal("0.5400") for product in Product.objects.all())
    assert all(rules.product_errors(product) == {} for product in Product.objects.all())


def test_staff_edits_survive_a_reload():
    demo.load(io.StringIO())
    Product.objects.filter(code="CASH").update(name="现金贷（改）")
    out = io.StringIO()
    demo.load(out)
    assert Product.objects.get(code="CASH").name == "现金贷（改）"
    assert "已存在" in out.getvalue()


def test_instalment_product_terms():
    demo.load(io.StringIO())
    limits = rules.limits_of(Product.objects.get(name="分期贷"))
    assert limits.amount == rules.Limit(minimum=Decimal("1000.00"), maximum=Decimal("50000.00"))
    assert limits.rate == rules.Limit(minimum=Decimal("0.1200"), maximum=Decimal("0.2400"))
    assert limits.months == rules.Limit(values=(3, 6, 12)) and limits.days is None
    assert limits.repay_types == {1, 2, 3, 4} and limits.interval_units == {2} and limits.interval_counts == {1}
    assert Product.objects.get(name="分期贷").service_fee_rate == Decimal("0.0100")
