"""The annualised-cost cap (CONTRACT §12, §4 ``20004016``): a product's worst allowed
combination, and quotes and applications above ``ANNUAL_COST_CAP``.

"With a cap set, a product whose worst allowed combination exceeds it cannot be saved (the form
names that combination: amount at each limit, every term, interval and repayment type, the
highest rate it allows), and a quote or application above it answers 20004016."

Expected figures are closed forms worked out here (one payment: r = (paid / received)^(1/days) − 1).
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest

from loans.cost_cap import combinations, describe, worst_cost
from loans.quotes import QuoteRequest
from loans.models import LoanApplication
from products.models import Product
from products import rules
from tests.factories import ProductFactory, freeze_today
from tests.products.helpers import APPLY_PATH, QUOTE_PATH, apply_payload, quote_payload, verified_customer

D = Decimal
DAY_RANGE = dict(days_limit_type=0, single_min_days=1, single_days="", single_default_days=7, repay_term_units="1", repay_term_counts="")


def one_payment_cost(received: str, paid: str, days: int) -> Decimal:
    with localcontext() as context:
        context.prec = 40
        rate = (D(paid) / D(received)) ** (D(1) / D(days)) - 1
        return (rate * 365).quantize(D("0.0001"), rounding=ROUND_HALF_UP)


class TestWorstCost:
    """Pure figures: the products are unsaved instances."""

    def test_the_shortest_term_of_a_one_payment_product(self):
        # 500–5000 for 7 or 14 days at 36 %: 7 days → 503.50 on 500 (3.50 interest), 14 days → 507.00.
        product = ProductFactory.build(single_days="7,14")
        worst = worst_cost(product)
        assert one_payment_cost("500", "503.50", 7) == D("0.3639") > one_payment_cost("500", "507", 14) == D("0.3626")
        assert worst.cost == D("0.3639")
        assert (worst.combination.term_count, worst.combination.amount) == (7, D("500.00"))  # 5000 ties: the first kept

    def test_a_period_fee_makes_the_smallest_amount_worst(self):
        # 1.00 a period: 500 repays 508.00 (received 495 after 1 %), 5000 repays 5071.00 (received 4950).
        product = ProductFactory.build(single_days="14", period_fee=D("1.00"), service_fee_rate=D("0.0100"))
        worst = worst_cost(product)
        assert worst.cost == one_payment_cost("495", "508", 14)
        assert worst.cost > one_payment_cost("4950", "5071", 14)
        assert worst.combination.amount == D("500.00")

    def test_the_highest_rate_of_a_range(self):
        product = ProductFactory.build(
            single_days="30", interest_rate_limit_type=0, min_interest_rate=D("0.10"), max_interest_rate=D("0.24"),
            interest_rates="", default_interest_rate=D("0.10"),
        )
        # 500 × 0.24 × 30 / 360 = 10.00
        assert worst_cost(product).cost == one_payment_cost("500", "510", 30)
        assert {c.rate for c in combinations(rules.limits_of(product))} == {D("0.2400")}

    def test_every_term_type_and_interval_is_a_combination(self):
        """12 days, types 1 and 4, day intervals of any count: type 4 splits into 1, 2, 3, 4, 6 or 12-day periods."""
        product = ProductFactory.build(single_days="12", repay_types="1,4", repay_term_units="1", repay_term_counts="")
        shapes = {(c.repay_type, c.interval_count) for c in combinations(rules.limits_of(product))}
        assert shapes == {(1, 1), (4, 1), (4, 2), (4, 3), (4, 4), (4, 6), (4, 12)}

    def test_instalments_paid_every_day_cost_most(self):
        """Flat over 12 days: 1000.00 at 36 % has 12.00 interest; paid daily (84.33 + 1.00 a day)
        the customer repays sooner than in one payment, so the daily IRR is higher."""
        product = ProductFactory.build(
            single_days="12", repay_types="1,4", repay_term_units="1", repay_term_counts="",
            amount_limit_type=1, single_amounts="1000", single_default_amount=D("1000.00"),
        )
        worst = worst_cost(product)
        assert (worst.combination.repay_type, worst.combination.interval_count) == (4, 1)
        assert worst.cost > one_payment_cost("1000", "1012", 12)

    def test_month_terms_split_by_month_quarter_and_year(self):
        product = ProductFactory.build(instalments=True, single_months="12", repay_types="3", repay_term_units="2,3,4", repay_term_counts="")
        shapes = {(c.interval_count, c.interval_unit) for c in combinations(rules.limits_of(product))}
        assert shapes == {(1, 2), (2, 2), (3, 2), (4, 2), (6, 2), (12, 2), (1, 3), (2, 3), (4, 3), (1, 4)}

    def test_nothing_received_is_worse_than_any_figure(self):
        product = ProductFactory.build(single_days="7", amount_limit_type=1, single_amounts="0.01", single_default_amount=D("0.01"),
                                       service_fee_rate=D("0.9000"))
        assert worst_cost(product).cost is None

    @pytest.mark.parametrize("fields", [
        {},
        {"instalments": True},
        {"instalments": True, "period_fee": D("5.00"), "single_months": "1,2,3,6,9,12,24"},
        {**DAY_RANGE, "single_max_days": 120, "repay_types": "1,2,4", "service_fee_rate": D("0.0100"), "period_fee": D("1.00")},
        {**DAY_RANGE, "single_max_days": 90, "repay_types": "1,2,4", "interest_rates": "0.36,24", "amount_limit_type": 1,
         "single_amounts": "0.50,3,100", "single_default_amount": D("3.00")},
        {**DAY_RANGE, "single_min_days": 30, "single_max_days": 200, "repay_types": "2,4", "interest_rates": "3.65"},
    ], ids=["demo", "instalments", "month-fee", "days-fee", "tiny-amounts", "long-high-rate"])
    def test_the_pruned_search_finds_the_exhaustive_worst(self, fields):
        """Pruning skips only combinations strictly cheaper than the worst so far: same figure,
        same combination (ties included) as trying every one."""
        product = ProductFactory.build(**fields)
        assert worst_cost(product) == worst_cost(product, exhaustive=True)

    def test_pruning_skips_what_cannot_be_worst(self, monkeypatch):
        """Over 120 day terms most combinations are never solved (the test above is the proof
        that the skipped ones did not matter)."""
        from loans import cost_cap

        solved = []
        real = cost_cap.annualized_cost
        monkeypatch.setattr(cost_cap, "annualized_cost", lambda *args: solved.append(args) or real(*args))
        product = ProductFactory.build(**DAY_RANGE, single_max_days=120, repay_types="1,2,4", service_fee_rate=D("0.0100"))
        worst_cost(product)
        assert len(solved) < sum(1 for _ in combinations(rules.limits_of(product))) / 10

    def test_the_combination_is_named_in_words(self):
        combination = QuoteRequest(D("500.00"), D("0.3600"), 7, 1, 1, 1, 1)
        assert describe(combination) == "金额 500.00 元，期限 7 日，一次性还本付息，还款间隔 1 日，年化利率 36%"


@pytest.mark.django_db
class TestQuotesAndApplications:
    @pytest.fixture(autouse=True)
    def today(self, monkeypatch):
        freeze_today(monkeypatch, date(2024, 1, 15))

    @pytest.fixture
    def product(self):
        return ProductFactory(single_days="7,14")

    @pytest.fixture
    def customer(self, api):
        user = verified_customer()
        api.client.force_login(user)
        return user

    @pytest.mark.parametrize("cap, code", [(None, "0000"), ("0.3626", "0000"), ("0.3625", "20004016")])
    def test_a_quote_above_the_cap(self, api, customer, product, settings, cap, code):
        """500 for 14 days costs 0.3626 (§12's worked figure): at the cap it quotes, above it not."""
        settings.ANNUAL_COST_CAP = None if cap is None else D(cap)
        reply = api.post(QUOTE_PATH, quote_payload(product))
        assert reply.code == code, reply.body
        if code != "0000":
            assert not reply.ok and reply.body["responseMessage"] == "年化综合成本超过上限，请调整借款金额、期限或还款方式"

    def test_an_application_above_the_cap_writes_nothing(self, api, customer, product, settings):
        settings.ANNUAL_COST_CAP = D("0.36")
        reply = api.post(APPLY_PATH, apply_payload(product))
        assert (reply.ok, reply.code) == (False, "20004016")
        assert not LoanApplication.objects.exists()

    def test_limits_are_checked_before_the_cap(self, api, customer, product, settings):
        settings.ANNUAL_COST_CAP = D("0.01")
        assert api.post(QUOTE_PATH, quote_payload(product, amount="100.00")).code == "20004001"


@pytest.mark.django_db
class TestProductAdmin:
    """"The admin shows every product's worst-case annualised cost", and with a cap refuses one above it."""

    ADD = "/admin/products/product/add/"

    def form(self, **overrides):
        from tests.products.test_admin import form_data

        return form_data(**overrides)

    def test_the_worst_cost_is_recorded_and_shown(self, admin_client):
        response = admin_client.post(self.ADD, self.form())
        assert response.status_code == 302, response.content.decode()[:2000]
        product = Product.objects.get(code="NEWCASH")
        assert product.worst_annual_cost == one_payment_cost("500", "503.50", 7) == D("0.3639")
        assert product.worst_cost_terms == "36.39%（金额 500.00 元，期限 7 日，一次性还本付息，还款间隔 1 日，年化利率 36%）"
        assert "36.39%" in admin_client.get("/admin/products/product/").content.decode()  # rates as percentages (issue 15)
        page = admin_client.get(f"/admin/products/product/{product.pk}/change/").content.decode()
        assert "最高年化综合成本" in page and "金额 500.00 元，期限 7 日" in page

    def test_a_product_above_the_cap_is_refused_naming_the_combination(self, admin_client, settings):
        settings.ANNUAL_COST_CAP = D("0.36")
        response = admin_client.post(self.ADD, self.form())
        page = response.content.decode()
        assert response.status_code == 200 and not Product.objects.filter(code="NEWCASH").exists()
        assert "最高年化综合成本 36.39%（金额 500.00 元，期限 7 日，一次性还本付息，还款间隔 1 日，年化利率 36%）超过上限 36%" in page

    def test_under_the_cap_it_saves(self, admin_client, settings):
        settings.ANNUAL_COST_CAP = D("0.3639")
        assert admin_client.post(self.ADD, self.form()).status_code == 302
        settings.ANNUAL_COST_CAP = D("0.24")
        assert admin_client.post(self.ADD, self.form(code="LONGER", single_days="30", single_default_days="30", interest_rates="0.20",
                                                     default_interest_rate="0.20")).status_code == 302

    def test_a_product_is_put_on_sale_only_under_the_cap_set_now(self, admin_client, settings):
        """A product saved under the cap is refused on sale after the cap was lowered."""
        from tests.products.test_admin import sale_action

        settings.ANNUAL_COST_CAP = D("0.3639")
        assert admin_client.post(self.ADD, self.form()).status_code == 302
        product = Product.objects.get(code="NEWCASH")
        settings.ANNUAL_COST_CAP = D("0.36")
        page = sale_action(admin_client, "put_on_sale", product, reason="上线").content.decode()
        product.refresh_from_db()
        assert not product.on_sale
        assert "未能上架：" in page and "36.39%" in page and "超过上限 36%（ANNUAL_COST_CAP）" in page
        settings.ANNUAL_COST_CAP = D("0.3639")
        sale_action(admin_client, "put_on_sale", product, reason="上线")
        product.refresh_from_db()
        assert product.on_sale and product.worst_annual_cost == D("0.3639")

    def test_the_demo_products_come_with_their_figure(self):
        import io

        from products import demo
        from products.models import Product as Catalogue

        demo.load(io.StringIO())
        assert not Catalogue.objects.filter(worst_annual_cost=None).exists()
