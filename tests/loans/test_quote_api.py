"""Seed §22 getLoanApplyConfirmInfo through signed HTTP: every §22.4 code at its boundary, the
CONTRACT §8 order, and the figures (seed §26's 500 at 36 % for 14 days → 7.00; an instalment
loan on "分期贷" with its annualised cost checked against an independent daily IRR, CONTRACT §12).
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from django.utils import timezone

from tests.factories import ProductFactory, freeze_today
from tests.products.helpers import QUOTE_PATH, customer as make_customer, instalment_payload, instalment_product, quote_payload

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = date(2024, 1, 15)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    freeze_today(monkeypatch, TODAY)


@pytest.fixture
def customer(api):
    user = make_customer()
    api.client.force_login(user)
    return user


@pytest.fixture
def product(db):
    """"新现金贷": 500–5000, 7 or 14 days, 36 % fixed, type 1 only, intervals by day or month."""
    return ProductFactory(single_days="7, 14")


@pytest.fixture
def instalments(db):
    """"分期贷": 1000–50000, 3/6/12 months, 12–24 %, types 1–4, monthly (count 1), fee 1 %."""
    return instalment_product()


def quote(api, payload):
    return api.post(QUOTE_PATH, payload)


class TestFigures:
    def test_seed_section_26_sample(self, api, customer, product):
        """500 at 36 % for 14 days: 500 × 0.36 × 14 / 360 = 7.00, 507.00 due in 14 days."""
        reply = quote(api, quote_payload(product, amount="500.00", termCount="14"))
        assert reply.ok and reply.code == "0000", reply.body
        assert reply.body["responseMessage"] == "获取产品申请确认信息成功"
        result = reply.result
        assert {k: result[k] for k in ("applyAmount", "replyAmount", "serviceFee", "totalAmount", "totalDuePrincipal", "totalDueInterest", "totalDueFee", "repayTime")} == {
            "applyAmount": "500.00", "replyAmount": "500.00", "serviceFee": "0.00", "totalAmount": "507.00",
            "totalDuePrincipal": "500.00", "totalDueInterest": "7.00", "totalDueFee": "0.00", "repayTime": "2024-01-29",
        }
        assert result["schedule"] == [
            {"periodNum": "1", "dueDate": "2024-01-29", "principal": "500.00", "interest": "7.00", "fee": "0.00", "total": "507.00"}
        ]
        # CONTRACT §12's worked figure: 507 paid 14 days after receiving 500 → 0.3626
        assert result["annualizedCostRate"] == "0.3626"

    def test_worked_figure_with_a_service_fee(self, api, customer):
        """CONTRACT §12: 495 received (1 % service fee), 507 repaid after 14 days → 0.6250."""
        product = ProductFactory(service_fee_rate=D("0.0100"))
        result = quote(api, quote_payload(product, amount="500.00", termCount="14")).result
        assert (result["replyAmount"], result["totalAmount"]) == ("495.00", "507.00")
        assert result["annualizedCostRate"] == "0.6250"

    def test_instalment_loan(self, api, customer, instalments):
        """10000 over 12 months at 12 % (1 % a month), equal instalments: 10000 × 0.01 / (1 − 1.01^−12) = 888.49."""
        result = quote(api, instalment_payload(instalments)).result
        assert (result["applyAmount"], result["serviceFee"], result["replyAmount"]) == ("10000.00", "100.00", "9900.00")
        schedule = result["schedule"]
        assert len(schedule) == 12
        assert all(period["total"] == "888.49" for period in schedule[:-1])
        assert schedule[0] == {"periodNum": "1", "dueDate": "2024-02-15", "principal": "788.49", "interest": "100.00", "fee": "0.00", "total": "888.49"}
        assert schedule[-1]["dueDate"] == "2025-01-15" and result["repayTime"] == "2025-01-15"
        # Independent walk of the annuity: interest on the remaining principal, the last period takes what is left.
        remaining, interest_total = D("10000.00"), D(0)
        for _ in range(11):
            interest = (remaining * D("0.01")).quantize(D("0.01"), rounding=ROUND_HALF_UP)
            interest_total += interest
            remaining -= D("888.49") - interest
        last_interest = (remaining * D("0.01")).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        interest_total += last_interest
        assert schedule[-1]["principal"] == f"{remaining:.2f}" and schedule[-1]["interest"] == f"{last_interest:.2f}"
        assert result["totalDuePrincipal"] == "10000.00"
        assert result["totalDueInterest"] == f"{interest_total:.2f}"
        assert result["totalAmount"] == f"{D('10000.00') + interest_total:.2f}"
        assert sum(D(p["principal"]) for p in schedule) == D("10000.00")
        assert D(result["annualizedCostRate"]) == independent_cost(D("9900.00"), schedule, Fraction(365, 12))
        assert D("0.13") < D(result["annualizedCostRate"]) < D("0.14")  # 12 % nominal, plus the 1 % fee

    def test_period_fee_is_charged_every_period(self, api, customer):
        product = instalment_product(period_fee=D("5.00"))
        result = quote(api, instalment_payload(product, termCount="3", repayType="4", amount="3000.00")).result
        assert result["totalDueFee"] == "15.00"
        assert [p["fee"] for p in result["schedule"]] == ["5.00"] * 3
        # Flat: 3000 × 1 % = 30.00 interest a month, 1000.00 principal a month.
        assert [p["total"] for p in result["schedule"]] == ["1035.00"] * 3
        assert result["totalAmount"] == "3105.00"

    def test_month_end_clamping(self, api, customer, instalments, monkeypatch):
        monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: date(2024, 1, 31))
        result = quote(api, instalment_payload(instalments, termCount="3")).result
        assert [p["dueDate"] for p in result["schedule"]] == ["2024-02-29", "2024-03-31", "2024-04-30"]

    def test_enumerations_accept_leading_zero_and_integers(self, api, customer, product):
        base = quote(api, quote_payload(product)).result
        padded = quote(api, quote_payload(product, termUnit="01", repayTermUnit="01", repayType="01")).result
        integers = quote(api, quote_payload(product, termUnit=1, repayTermUnit=1, repayType=1, termCount=14, repayTermCount=1, amount=500)).result
        assert base == padded == integers

    def test_type_1_ignores_the_interval_count(self, api, customer, product):
        result = quote(api, quote_payload(product, repayTermCount="5")).result
        assert len(result["schedule"]) == 1 and result["totalDueInterest"] == "7.00"

    def test_not_logged_in(self, api, product):
        assert quote(api, quote_payload(product)).code == "90004000"


def independent_cost(received: Decimal, schedule: list[dict], step_days: Fraction) -> Decimal:
    """CONTRACT §12 from scratch: bisection on the daily rate r of received = Σ total / (1 + r)^(k × step), × 365."""
    with localcontext() as context:
        context.prec = 40
        step = D(step_days.numerator) / D(step_days.denominator)

        def present_value(rate: Decimal) -> Decimal:
            return sum(D(p["total"]) / (1 + rate) ** (step * int(p["periodNum"])) for p in schedule)

        low, high = D(0), D(1)
        for _ in range(150):
            middle = (low + high) / 2
            low, high = (middle, high) if present_value(middle) > received else (low, middle)
        return (low * 365).quantize(D("0.0001"), rounding=ROUND_HALF_UP)


# --- every §22.4 code at its boundary ----------------------------------------------------------

FORMAT_CASES = [
    # (field, value, code)
    ("amount", "abc", "20004000"),
    ("amount", "500.001", "20004000"),  # three decimals
    ("amount", "-500.00", "20004000"),
    ("amount", "0", "20004000"),
    ("amount", "0.00", "20004000"),
    ("amount", "", "20004000"),
    ("amount", " 500.00", "20004000"),
    ("amount", "5e2", "20004000"),
    ("amount", "500.", "20004000"),
    ("amount", -500, "20004000"),
    ("interestRate", "abc", "20004002"),
    ("interestRate", "0.36001", "20004002"),
    ("interestRate", "-0.36", "20004002"),
    ("interestRate", "36%", "20004002"),
    ("interestRate", "", "20004002"),
    ("termCount", "0", "20004004"),
    ("termCount", "-14", "20004004"),
    ("termCount", "14.5", "20004004"),
    ("termCount", "abc", "20004004"),
    ("termCount", "10000", "20004004"),
    ("termCount", 0, "20004004"),
    ("termUnit", "3", "20004006"),
    ("termUnit", "0", "20004006"),
    ("termUnit", "001", "20004006"),
    ("termUnit", "日", "20004006"),
    ("termUnit", 3, "20004006"),
    ("repayTermCount", "0", "20004008"),
    ("repayTermCount", "x", "20004008"),
    ("repayTermCount", -1, "20004008"),
    ("repayTermUnit", "5", "20004010"),
    ("repayTermUnit", "0", "20004010"),
    ("repayTermUnit", "", "20004010"),
    ("repayType", "5", "20004013"),
    ("repayType", "0", "20004013"),
    ("repayType", "x", "20004013"),
    # Issue 10 item 15: full-width and other non-ASCII digits are refused like any other text
    # (Decimal("６００") is 600 and int("１４") is 14: the patterns must not let them through).
    ("amount", "６００", "20004000"),
    ("amount", "500.０0", "20004000"),
    ("amount", "٥٠٠", "20004000"),
    ("interestRate", "０.36", "20004002"),
    ("termCount", "１４", "20004004"),
    ("termUnit", "１", "20004006"),
    ("repayTermCount", "１", "20004008"),
    ("repayTermUnit", "１", "20004010"),
    ("repayType", "１", "20004013"),
]


class TestFormatCodes:
    @pytest.mark.parametrize("field, value, code", FORMAT_CASES)
    def test_bad_format(self, api, customer, product, field, value, code):
        reply = quote(api, quote_payload(product, **{field: value}))
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", code), reply.body

    @pytest.mark.parametrize("field", ["productId", "amount", "interestRate", "termCount", "termUnit", "repayTermCount", "repayTermUnit", "repayType"])
    def test_missing_field(self, api, customer, product, field):
        payload = quote_payload(product)
        del payload[field]
        assert quote(api, payload).code == "10001000"

    @pytest.mark.parametrize("value", [None, True, ["500"], {"v": "500"}])
    def test_ill_typed_field(self, api, customer, product, value):
        assert quote(api, quote_payload(product, amount=value)).code == "10001000"

    def test_float_is_refused_by_the_protocol(self, api, customer, product):
        import json

        from django.conf import settings

        from cashloan.api.signing import sign_request

        body = json.dumps(sign_request(quote_payload(product), settings.APP_KEY)).replace('"500.00"', "500.0")
        assert api.post_raw(QUOTE_PATH, body.encode()).code in {"10001000", "90100001"}


class TestProductAndLimitCodes:
    @pytest.mark.parametrize("amount, code", [("499.99", "20004001"), ("500.00", "0000"), ("5000.00", "0000"), ("5000.01", "20004001"), ("500", "0000"), ("500.1", "0000")])
    def test_amount_range(self, api, customer, product, amount, code):
        assert quote(api, quote_payload(product, amount=amount)).code == code

    @pytest.mark.parametrize("amount, code", [("2000", "0000"), ("2000.00", "0000"), ("1999.99", "20004001"), ("2000.01", "20004001")])
    def test_fixed_amount(self, api, customer, amount, code):
        fixed = ProductFactory(amount_limit_type=1, single_amounts="2000", single_default_amount=D("2000"), single_days="7")
        assert quote(api, quote_payload(fixed, amount=amount, termCount="7")).code == code

    @pytest.mark.parametrize("rate, code", [("0.36", "0000"), ("0.3600", "0000"), ("0.3599", "20004003"), ("0.3601", "20004003"), ("0", "20004003")])
    def test_fixed_rate(self, api, customer, product, rate, code):
        assert quote(api, quote_payload(product, interestRate=rate)).code == code

    @pytest.mark.parametrize("rate, code", [("0.1199", "20004003"), ("0.12", "0000"), ("0.24", "0000"), ("0.2401", "20004003")])
    def test_rate_range(self, api, customer, instalments, rate, code):
        assert quote(api, instalment_payload(instalments, interestRate=rate)).code == code

    @pytest.mark.parametrize("days, code", [("6", "20004005"), ("7", "0000"), ("13", "20004005"), ("14", "0000"), ("15", "20004005")])
    def test_fixed_days(self, api, customer, product, days, code):
        assert quote(api, quote_payload(product, termCount=days)).code == code

    @pytest.mark.parametrize("days, code", [("6", "20004005"), ("7", "0000"), ("30", "0000"), ("31", "20004005")])
    def test_day_range(self, api, customer, days, code):
        ranged = ProductFactory(days_limit_type=0, single_min_days=7, single_max_days=30, single_days="", single_default_days=7)
        assert quote(api, quote_payload(ranged, termCount=days)).code == code

    @pytest.mark.parametrize("months, code", [("2", "20004005"), ("3", "0000"), ("4", "20004005"), ("12", "0000"), ("13", "20004005")])
    def test_fixed_months(self, api, customer, instalments, months, code):
        assert quote(api, instalment_payload(instalments, termCount=months)).code == code

    def test_term_unit_not_offered(self, api, customer, product):
        reply = quote(api, quote_payload(product, termUnit="2", termCount="1", repayTermUnit="2"))
        assert reply.code == "20004007"

    @pytest.mark.parametrize("count, code", [("1", "0000"), ("2", "20004009")])
    def test_interval_count_not_offered(self, api, customer, instalments, count, code):
        assert quote(api, instalment_payload(instalments, repayTermCount=count)).code == code

    @pytest.mark.parametrize("count, code", [("2", "0000"), ("4", "20004009"), ("5", "20004009")])
    def test_interval_that_does_not_split_the_term(self, api, customer, count, code):
        open_counts = instalment_product(repay_term_counts="")
        reply = quote(api, instalment_payload(open_counts, termCount="6", repayTermCount=count, repayType="2"))
        assert reply.code == code

    def test_interval_unit_not_offered(self, api, customer, instalments):
        """12 months by quarters splits evenly, but "分期贷" repays monthly only."""
        assert quote(api, instalment_payload(instalments, repayTermUnit="3", repayType="2")).code == "20004011"

    def test_month_term_with_day_interval(self, api, customer, instalments):
        for repay_type in ("1", "2", "3", "4"):
            assert quote(api, instalment_payload(instalments, repayTermUnit="1", repayType=repay_type)).code == "20004012"

    def test_repay_type_not_offered(self, api, customer, product):
        reply = quote(api, quote_payload(product, repayType="2", repayTermCount="7"))
        assert reply.code == "20004014"

    def test_annuity_on_day_term(self, api, customer, product):
        assert quote(api, quote_payload(product, repayType="3")).code == "20004015"

    def test_unknown_product(self, api, customer, product):
        assert quote(api, quote_payload(product, productId="4feae5b5-0a5f-449a-aa96-9b6584b59440")).code == "10001000"
        assert quote(api, quote_payload(product, productId="nonsense")).code == "10001000"

    def test_off_sale_product(self, api, customer):
        hidden = ProductFactory(on_sale=False)
        assert quote(api, quote_payload(hidden)).code == "10001000"

    def test_inconsistent_product_cannot_be_quoted(self, api, customer):
        broken = ProductFactory(single_days="")  # saved outside the admin's validation
        assert quote(api, quote_payload(broken)).code == "10001000"


class TestOrder:
    """CONTRACT §8: a request failing two checks answers the earlier one."""

    @pytest.mark.parametrize(
        "changes, code",
        [
            (dict(amount="abc", interestRate="abc"), "20004000"),
            (dict(interestRate="abc", termCount="0"), "20004002"),
            (dict(termCount="0", termUnit="9"), "20004004"),
            (dict(termUnit="9", repayTermCount="0"), "20004006"),
            (dict(repayTermCount="0", repayTermUnit="9"), "20004008"),
            (dict(repayTermUnit="9", repayType="9"), "20004010"),
            (dict(repayType="9", termUnit="2", repayTermUnit="1"), "20004013"),  # format before universal rules
            (dict(repayType="3", amount="1.00"), "20004015"),  # universal rules before the product's limits
            (dict(amount="1.00", interestRate="0.5"), "20004001"),
            (dict(interestRate="0.5", termCount="13"), "20004003"),
            (dict(termCount="13", repayType="2"), "20004005"),
            (dict(repayType="2", repayTermCount="5"), "20004009"),
            (dict(productId="4feae5b5-0a5f-449a-aa96-9b6584b59440", amount="1.00"), "10001000"),  # product before its limits
            (dict(productId="4feae5b5-0a5f-449a-aa96-9b6584b59440", repayType="3"), "20004015"),
        ],
    )
    def test_day_product(self, api, customer, product, changes, code):
        assert quote(api, quote_payload(product, **changes)).code == code

    @pytest.mark.parametrize(
        "changes, code",
        [
            (dict(repayTermUnit="1", amount="1.00"), "20004012"),  # universal before amount range
            (dict(repayTermUnit="1", termUnit="1", repayType="3"), "20004015"),
            (dict(termUnit="1", termCount="30", repayType="1", repayTermUnit="2"), "20004007"),
            (dict(repayTermCount="2", repayTermUnit="3"), "20004009"),
        ],
    )
    def test_instalment_product(self, api, customer, instalments, changes, code):
        assert quote(api, instalment_payload(instalments, **changes)).code == code


class TestCachedProduct:
    def test_quote_reads_the_catalogue_and_sees_a_product_change_at_once(self, api, customer, product, django_assert_max_num_queries):
        """The quote takes the product from the cached catalogue; a staff edit bumps its version."""
        assert quote(api, quote_payload(product, amount="500.00", termCount="14")).ok
        with django_assert_max_num_queries(2):  # the session and the user; no product query
            assert quote(api, quote_payload(product, amount="500.00", termCount="14")).ok
        product.interest_rates = "0.24"
        product.default_interest_rate = Decimal("0.2400")
        product.save()
        assert quote(api, quote_payload(product, amount="500.00", termCount="14")).code == "20004003"
        reply = quote(api, quote_payload(product, amount="500.00", termCount="14", interestRate="0.24"))
        assert reply.ok and reply.result["totalDueInterest"] == "4.67"  # 500 × 0.24 × 14 / 360 = 4.666…

    def test_product_taken_off_sale_cannot_be_quoted(self, api, customer, product):
        assert quote(api, quote_payload(product)).ok
        product.on_sale = False
        product.save()
        assert quote(api, quote_payload(product)).code == "10001000"
