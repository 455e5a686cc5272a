"""products.rules: parsing the comma lists into limits, and the rules a product must obey.

Seed §20/§21 (the fields and their "多个用,分隔" lists), CONTRACT §8 (the quote's codes and order).
"""

from decimal import Decimal

import pytest

from products import codes, rules
from products.demo import DEMO_PRODUCTS
from products.models import Product
from tests.factories import ProductFactory

D = Decimal


def build(**fields) -> Product:
    """An unsaved product like the factory's "新现金贷", with ``fields`` changed."""
    return ProductFactory.build(**fields)


def build_instalments(**fields) -> Product:
    return ProductFactory.build(instalments=True, **fields)


class TestParsing:
    @pytest.mark.parametrize(
        "text, expected",
        [("7, 14", ["7", "14"]), ("7,14", ["7", "14"]), (" 7 ,14 ", ["7", "14"]), ("7，14", ["7", "14"]), ("", []), (None, []), ("  ", [])],
    )
    def test_split_list(self, text, expected):
        assert rules.split_list(text) == expected

    @pytest.mark.parametrize("text", ["7,,14", "7,", ",7"])
    def test_empty_item_is_an_error(self, text):
        with pytest.raises(rules.RuleError):
            rules.split_list(text)

    def test_amounts(self):
        assert rules.parse_amounts("500, 1000.5,2000.00") == [D("500"), D("1000.5"), D("2000")]

    @pytest.mark.parametrize("text", ["1.234", "-1", "0", "abc", "1e3x", "NaN", "Infinity"])
    def test_bad_amounts(self, text):
        with pytest.raises(rules.RuleError):
            rules.parse_amounts(text)

    def test_rates(self):
        assert rules.parse_rates("0.36, 0.3600,0") == [D("0.36"), D("0.36"), D("0")]

    @pytest.mark.parametrize("text", ["0.12345", "-0.1", "abc", "36%"])
    def test_bad_rates(self, text):
        with pytest.raises(rules.RuleError):
            rules.parse_rates(text)

    def test_counts(self):
        assert rules.parse_counts("3, 6,12") == [3, 6, 12]

    @pytest.mark.parametrize("text", ["0", "-3", "1.5", "x", "3,x"])
    def test_bad_counts(self, text):
        with pytest.raises(rules.RuleError):
            rules.parse_counts(text)

    def test_codes_accept_leading_zero(self):
        assert rules.parse_codes("01, 2", rules.TERM_UNITS) == frozenset({1, 2})

    @pytest.mark.parametrize("text", ["3", "1,3", "0"])
    def test_codes_outside_the_enumeration(self, text):
        with pytest.raises(rules.RuleError):
            rules.parse_codes(text, rules.TERM_UNITS)


class TestLimits:
    def test_range_and_fixed_limits_of_the_factory_product(self):
        limits = rules.limits_of(build(single_days="7, 14"))
        assert limits.amount == rules.Limit(minimum=D("500.00"), maximum=D("5000.00"))
        assert limits.rate == rules.Limit(values=(D("0.36"),))
        assert limits.days == rules.Limit(values=(7, 14))
        assert limits.months is None  # no month term offered
        assert limits.term_units == {1} and limits.repay_types == {1} and limits.interval_units == {1, 2}
        assert limits.interval_counts is None

    @pytest.mark.parametrize("amount, allowed", [("499.99", False), ("500.00", True), ("5000.00", True), ("5000.01", False)])
    def test_range_is_inclusive(self, amount, allowed):
        assert rules.limits_of(build()).amount.allows(D(amount)) is allowed

    def test_fixed_values_compare_as_numbers(self):
        limit = rules.limits_of(build(amount_limit_type=1, single_amounts="2000", single_default_amount=D("2000"))).amount
        assert limit.allows(D("2000.00")) and limit.allows(D("2000")) and not limit.allows(D("2000.01"))

    def test_inconsistent_product_raises_with_every_field(self):
        product = build(single_min_amount=D("6000"), interest_rates="", term_units="3")
        with pytest.raises(rules.ProductRuleError) as caught:
            rules.limits_of(product)
        assert set(caught.value.errors) == {"single_max_amount", "interest_rates", "term_units"}


class TestRequestRules:
    """CONTRACT §8: universal rules, then the product's limits in code order."""

    @pytest.mark.parametrize(
        "term_unit, interval_unit, repay_type, expected",
        [
            (2, 1, 1, codes.DAY_INTERVAL_ON_MONTH_TERM),  # every type, type 1 included
            (2, 1, 3, codes.DAY_INTERVAL_ON_MONTH_TERM),
            (1, 1, 3, codes.ANNUITY_ON_DAY_TERM),
            (1, 2, 3, codes.ANNUITY_ON_DAY_TERM),
            (1, 1, 1, None),
            (1, 1, 2, None),
            (2, 2, 3, None),
            (2, 4, 4, None),
        ],
    )
    def test_universal(self, term_unit, interval_unit, repay_type, expected):
        assert rules.universal_violation(term_unit=term_unit, interval_unit=interval_unit, repay_type=repay_type) == expected

    def test_month_term_with_day_interval_is_checked_before_annuity(self):
        assert rules.universal_violation(term_unit=2, interval_unit=1, repay_type=3) == codes.DAY_INTERVAL_ON_MONTH_TERM

    @pytest.mark.parametrize(
        "term, unit, count, interval_unit, repay_type, whole",
        [
            (14, 1, 7, 1, 2, True),
            (14, 1, 5, 1, 2, False),
            (14, 1, 5, 1, 1, True),  # type 1 ignores the interval
            (12, 2, 1, 3, 4, True),
            (12, 2, 5, 2, 4, False),
            (6, 2, 1, 4, 2, False),  # a year does not fit in six months
            (14, 1, 1, 2, 2, False),  # a month interval on a day term never splits it
        ],
    )
    def test_whole_periods(self, term, unit, count, interval_unit, repay_type, whole):
        assert rules.splits_into_whole_periods(term, unit, count, interval_unit, repay_type) is whole

    def test_violation_order(self):
        limits = rules.limits_of(build_instalments(repay_term_counts="1"))
        ok = dict(amount=D("10000"), rate=D("0.12"), term_count=12, term_unit=2, interval_count=1, interval_unit=2, repay_type=3)
        assert limits.violation(**ok) is None
        cases = [
            (dict(amount=D("999.99"), rate=D("0.25")), codes.AMOUNT_NOT_ALLOWED),
            (dict(rate=D("0.25"), term_count=4), codes.RATE_NOT_ALLOWED),
            (dict(term_count=4, interval_count=2), codes.TERM_NOT_ALLOWED),
            (dict(term_unit=1, term_count=30), codes.TERM_UNIT_NOT_ALLOWED),
            (dict(interval_count=2, interval_unit=3), codes.INTERVAL_NOT_ALLOWED),
            (dict(interval_unit=3), codes.INTERVAL_UNIT_NOT_ALLOWED),
        ]
        for change, expected in cases:
            assert limits.violation(**{**ok, **change}) == expected, change

    def test_repay_type_not_allowed(self):
        limits = rules.limits_of(build())
        assert limits.violation(amount=D("500"), rate=D("0.36"), term_count=14, term_unit=1, interval_count=7, interval_unit=1, repay_type=2) == codes.REPAY_TYPE_NOT_ALLOWED

    def test_term_of_a_unit_not_offered_answers_unit_not_allowed(self):
        limits = rules.limits_of(build())  # days only
        assert limits.violation(amount=D("500"), rate=D("0.36"), term_count=1, term_unit=2, interval_count=1, interval_unit=2, repay_type=1) == codes.TERM_UNIT_NOT_ALLOWED


class TestProductErrors:
    def test_valid_products_have_none(self):
        assert rules.product_errors(build()) == {}
        assert rules.product_errors(build_instalments()) == {}

    @pytest.mark.parametrize("fields", DEMO_PRODUCTS, ids=lambda f: f["code"])
    def test_demo_products_are_valid(self, fields):
        assert rules.product_errors(Product(**fields)) == {}

    @pytest.mark.parametrize(
        "fields, field",
        [
            (dict(single_min_amount=D("5000.01")), "single_max_amount"),
            (dict(single_min_amount=None), "single_min_amount"),
            (dict(single_max_amount=None), "single_max_amount"),
            (dict(amount_limit_type=1, single_amounts=""), "single_amounts"),
            (dict(amount_limit_type=1, single_amounts="500, x"), "single_amounts"),
            (dict(amount_limit_type=1, single_amounts="500,,1000"), "single_amounts"),
            (dict(interest_rates=""), "interest_rates"),
            (dict(interest_rate_limit_type=0, min_interest_rate=D("0.4"), max_interest_rate=D("0.3")), "max_interest_rate"),
            (dict(interest_rate_limit_type=0, min_interest_rate=None, max_interest_rate=D("0.3")), "min_interest_rate"),
            (dict(single_days=""), "single_days"),
            (dict(days_limit_type=0, single_min_days=None, single_max_days=30), "single_min_days"),
            (dict(days_limit_type=0, single_min_days=30, single_max_days=7, single_default_days=7), "single_max_days"),
            (dict(single_days="7, 4000"), "single_days"),
            (dict(term_units=""), "term_units"),
            (dict(term_units="1,3"), "term_units"),
            (dict(repay_types="1,5"), "repay_types"),
            (dict(repay_types=""), "repay_types"),
            (dict(repay_term_units="1,5"), "repay_term_units"),
            (dict(repay_term_counts="1,0"), "repay_term_counts"),
            (dict(single_default_amount=D("499.99")), "single_default_amount"),
            (dict(single_default_amount=D("5000.01")), "single_default_amount"),
            (dict(default_interest_rate=D("0.35")), "default_interest_rate"),
            (dict(single_default_days=None), "single_default_days"),
            (dict(single_default_days=10), "single_default_days"),
            (dict(default_repay_term_unit=3), "default_repay_term_unit"),
            (dict(repay_term_counts="7", default_repay_term_count=1), "default_repay_term_count"),
            (dict(service_fee_rate=D("1")), "service_fee_rate"),
            (dict(service_fee_rate=D("-0.01")), "service_fee_rate"),
            (dict(period_fee=D("-1")), "period_fee"),
            (dict(penalty_rate=D("-0.1")), "penalty_rate"),
        ],
    )
    def test_each_rule_names_its_field(self, fields, field):
        assert field in rules.product_errors(build(**fields))

    def test_months_fields_required_only_when_months_offered(self):
        assert rules.product_errors(build(months_limit_type=0, single_min_months=None, single_max_months=None)) == {}
        errors = rules.product_errors(build(term_units="1,2", months_limit_type=0, single_min_months=None, single_max_months=None))
        assert {"single_min_months", "single_max_months"} <= set(errors)

    def test_annuity_on_a_day_term_is_not_quotable(self):
        errors = rules.product_errors(build(repay_types="1,3"))
        assert "" in errors and "等额本息" in errors[""][0]

    def test_month_term_with_only_day_intervals_is_not_quotable(self):
        errors = rules.product_errors(build_instalments(repay_term_units="1", default_repay_term_unit=1))
        assert "" in errors

    def test_intervals_that_split_no_term_are_not_quotable(self):
        # 7 and 14 days, interest every 5 days: no offered term splits into whole periods.
        errors = rules.product_errors(build(repay_types="1,2", repay_term_counts="5", default_repay_term_count=5))
        assert any("按期还息到期还本" in message for message in errors[""])

    def test_one_workable_interval_is_enough(self):
        product = build(repay_types="1,2", repay_term_counts="5,7", default_repay_term_count=7)
        assert rules.product_errors(product) == {}

    def test_yearly_interval_alone_fails_short_month_terms(self):
        errors = rules.product_errors(build_instalments(repay_term_units="4", default_repay_term_unit=4, repay_types="2"))
        assert "" in errors  # 3 and 6 months do not split into years

    def test_day_range_is_searched_value_by_value(self):
        # Days 7..30 with weekly interest: 8 days does not split into weeks.
        product = build(
            days_limit_type=0, single_min_days=7, single_max_days=30, single_default_days=7,
            repay_types="2", repay_term_units="1", repay_term_counts="7", default_repay_term_count=7,
        )
        assert any(message.startswith("借贷期限 8日") for message in rules.product_errors(product)[""])
