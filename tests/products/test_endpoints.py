"""Seed §20 getLoanProductList and §21 getLoanProductDetails, through signed HTTP.

No login; served from the cache (zero queries when warm), invalidated on any product save or
delete; products off sale are never shown (CONTRACT §8).
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from products import selectors
from tests.factories import ProductFactory
from tests.products.test_admin import form_data

pytestmark = pytest.mark.django_db

LIST = "/openCommonApi/getLoanProductList"
DETAILS = "/openCommonApi/getLoanProductDetails"

SUMMARY_FIELDS = {
    "id", "name", "amountLimitType", "singleMinAmount", "singleMaxAmount", "singleAmounts", "termUnit",
    "daysLimitType", "singleMinDays", "singleMaxDays", "singleDays",
    "monthsLimitType", "singleMinMonths", "singleMaxMonths", "singleMonths",
}
DETAIL_FIELDS = SUMMARY_FIELDS | {
    "detailDescription", "thirdServiceCode", "singleDefaultAmount",
    "interestRateLimitType", "minInterestRate", "maxInterestRate", "interestRates", "defaultInterestRate",
    "singleDefaultDays", "singleDefaultMonths", "repayType", "defaultRepayTermCount", "defaultRepayTermUnit",
    "repayTermUnit", "repayTermCounts", "termUnitData", "repayTermUnitData", "repayTypeData", "purposeData",
    "otherChannelsData", "serviceFeeRate", "periodFee", "penaltyRate",
}


def names(reply) -> list[str]:
    return [row["name"] for row in reply.result]


class TestProductList:
    def test_on_sale_products_in_display_order(self, api):
        ProductFactory(name="B", display_order=2)
        ProductFactory(name="A", display_order=1)
        ProductFactory(name="hidden", display_order=0, on_sale=False)
        reply = api.post(LIST)
        assert reply.ok and reply.code == "0000" and reply.body["responseMessage"] == "获取产品展示信息成功"
        assert names(reply) == ["A", "B"]

    def test_fields_are_the_seeds_and_all_strings(self, api):
        product = ProductFactory(single_days="7, 14")
        (row,) = api.post(LIST).result
        assert set(row) == SUMMARY_FIELDS
        assert all(isinstance(value, str) for value in row.values())
        assert row == {
            "id": str(product.id), "name": "新现金贷", "amountLimitType": "0",
            "singleMinAmount": "500.00", "singleMaxAmount": "5000.00", "singleAmounts": "",
            "termUnit": "1", "daysLimitType": "1", "singleMinDays": "", "singleMaxDays": "", "singleDays": "7,14",
            "monthsLimitType": "1", "singleMinMonths": "", "singleMaxMonths": "", "singleMonths": "",
        }

    def test_fixed_amounts_are_written_as_money(self, api):
        ProductFactory(amount_limit_type=1, single_amounts="500, 1000", single_min_amount=None, single_max_amount=None)
        (row,) = api.post(LIST).result
        assert row["singleAmounts"] == "500.00,1000.00" and row["singleMinAmount"] == ""

    def test_empty_catalogue(self, api):
        reply = api.post(LIST)
        assert reply.ok and reply.result == []

    def test_unsigned_request_is_refused(self, api):
        assert api.post_raw(LIST, b"{}").code == "90100001"


class TestProductDetails:
    def test_every_field_and_dictionary(self, api):
        product = ProductFactory(instalments=True, detail_description="描述 1;描述 2", third_service_code="cashLoanOperator", period_fee=Decimal("5"))
        reply = api.post(DETAILS, {"productId": str(product.id)})
        assert reply.ok, reply.body
        detail = reply.result
        assert set(detail) == DETAIL_FIELDS
        assert detail["id"] == str(product.id) and detail["name"] == "分期贷"
        assert detail["singleMinAmount"] == "1000.00" and detail["singleDefaultAmount"] == "10000.00"
        assert (detail["interestRateLimitType"], detail["minInterestRate"], detail["maxInterestRate"]) == ("0", "0.1200", "0.2400")
        assert detail["interestRates"] == "" and detail["defaultInterestRate"] == "0.1200"
        assert (detail["termUnit"], detail["singleMonths"], detail["singleDefaultMonths"]) == ("2", "3,6,12", "3")
        assert (detail["repayType"], detail["repayTermUnit"]) == ("1,2,3,4", "2")
        assert (detail["defaultRepayTermCount"], detail["defaultRepayTermUnit"]) == ("1", "2")
        assert (detail["serviceFeeRate"], detail["periodFee"], detail["penaltyRate"]) == ("0.0100", "5.00", "0.5400")
        assert detail["termUnitData"] == {"1": "日", "2": "月"}
        assert detail["repayTermUnitData"] == {"1": "日", "2": "月", "3": "季", "4": "年"}
        assert detail["repayTypeData"] == {"1": "一次性还本付息", "2": "按期还息到期还本", "3": "等额本息", "4": "等本等息"}
        assert list(detail["purposeData"]) == [str(code) for code in range(15, 23)]
        assert detail["purposeData"]["21"] == "短期资金周转"
        assert detail["otherChannelsData"] == {"01": "无借款", "02": "有，已结清", "03": "有，未结清"}

    def test_fixed_rates_are_written_with_four_decimals(self, api):
        product = ProductFactory(interest_rates="0.36, 0.24", default_interest_rate=Decimal("0.24"))
        detail = api.post(DETAILS, {"productId": str(product.id)}).result
        assert detail["interestRates"] == "0.3600,0.2400" and detail["defaultInterestRate"] == "0.2400"

    @pytest.mark.parametrize("product_id", ["4feae5b5-0a5f-449a-aa96-9b6584b59440", "not-a-uuid", "", "1"])
    def test_unknown_or_malformed_id(self, api, product_id):
        ProductFactory()
        reply = api.post(DETAILS, {"productId": product_id})
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "10001000")

    def test_off_sale_product_is_unknown(self, api):
        product = ProductFactory(on_sale=False)
        assert api.post(DETAILS, {"productId": str(product.id)}).code == "10001000"

    @pytest.mark.parametrize("payload", [{}, {"productId": None}, {"productId": ["x"]}, {"productId": {"a": 1}}])
    def test_missing_or_ill_typed_id(self, api, payload):
        assert api.post(DETAILS, payload).code == "10001000"


class TestCache:
    def test_warm_reads_make_no_query(self, api, django_assert_num_queries):
        product = ProductFactory()
        api.post(LIST)  # warms the cache
        with django_assert_num_queries(0):
            assert api.post(LIST).ok
            assert api.post(DETAILS, {"productId": str(product.id)}).ok
            assert api.post(DETAILS, {"productId": "4feae5b5-0a5f-449a-aa96-9b6584b59440"}).code == "10001000"

    def test_cold_read_is_one_query(self, api, django_assert_num_queries):
        product = ProductFactory()
        with django_assert_num_queries(1):
            assert api.post(DETAILS, {"productId": str(product.id)}).ok

    def test_save_invalidates(self, api):
        product = ProductFactory(name="旧名")
        assert names(api.post(LIST)) == ["旧名"]
        product.name = "新名"
        product.save()
        assert names(api.post(LIST)) == ["新名"]
        assert api.post(DETAILS, {"productId": str(product.id)}).result["name"] == "新名"

    def test_taking_off_sale_hides_it(self, api):
        product = ProductFactory()
        assert api.post(DETAILS, {"productId": str(product.id)}).ok
        product.on_sale = False
        product.save()
        assert api.post(LIST).result == []
        assert api.post(DETAILS, {"productId": str(product.id)}).code == "10001000"

    def test_delete_invalidates(self, api):
        product = ProductFactory()
        assert len(api.post(LIST).result) == 1
        product.delete()
        assert api.post(LIST).result == []

    def test_new_product_appears(self, api):
        assert api.post(LIST).result == []
        ProductFactory()
        assert len(api.post(LIST).result) == 1

    def test_admin_save_invalidates(self, api, admin_client):
        product = ProductFactory(code="NEWCASH")
        assert names(api.post(LIST)) == [product.name]
        response = admin_client.post(reverse("admin:products_product_change", args=[product.pk]), form_data(name="后台改名"))
        assert response.status_code == 302
        assert names(api.post(LIST)) == ["后台改名"]

    def test_admin_action_invalidates(self, api, admin_client):
        product = ProductFactory()
        assert len(api.post(LIST).result) == 1
        admin_client.post(
            reverse("admin:products_product_changelist"),
            {"action": "take_off_sale", "_selected_action": [str(product.pk)], "post": "yes", "reason": "停售"},
        )
        assert api.post(LIST).result == []

    def test_commit_bumps_the_version_again(self, django_capture_on_commit_callbacks):
        """The after-commit bump: a reader between our save and our commit cannot keep stale rows."""
        product = ProductFactory()
        before = selectors.catalogue_version()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            product.save()
            during = selectors.catalogue_version()
        assert len(callbacks) == 1
        assert before < during < selectors.catalogue_version()

    def test_evicted_version_never_revives_an_old_entry(self, api):
        from django.core.cache import cache

        product = ProductFactory(name="旧名")
        api.post(LIST)
        old_version = selectors.catalogue_version()
        cache.delete(selectors.VERSION_KEY)  # evicted
        product.name = "新名"
        product.save()
        assert selectors.catalogue_version() != old_version
        assert names(api.post(LIST)) == ["新名"]


class TestProcessCopy:
    """Each process trusts its copy for PRODUCT_VERSION_RECHECK_SECONDS, then checks the version."""

    def test_edit_in_another_process_is_seen_after_the_recheck_interval(self, api, settings, monkeypatch):
        settings.PRODUCT_VERSION_RECHECK_SECONDS = 60
        product = ProductFactory(name="旧名")
        assert names(api.post(LIST)) == ["旧名"]
        # Another process saves: the shared version moves, this process's copy does not know yet.
        type(product).objects.filter(pk=product.pk).update(name="新名")
        selectors.bump_catalogue_version()
        assert names(api.post(LIST)) == ["旧名"]
        clock = selectors.time.monotonic() + 61
        monkeypatch.setattr(selectors.time, "monotonic", lambda: clock)
        assert names(api.post(LIST)) == ["新名"]

    def test_edit_in_this_process_is_seen_at_once(self, api, settings):
        settings.PRODUCT_VERSION_RECHECK_SECONDS = 60
        product = ProductFactory(name="旧名")
        assert names(api.post(LIST)) == ["旧名"]
        product.name = "新名"
        product.save()
        assert names(api.post(LIST)) == ["新名"]

    def test_trusted_copy_asks_the_cache_nothing(self, api, settings, monkeypatch):
        settings.PRODUCT_VERSION_RECHECK_SECONDS = 60
        ProductFactory()
        assert api.post(LIST).ok
        monkeypatch.setattr(selectors, "catalogue_version", lambda: pytest.fail("version read inside the interval"))
        assert api.post(LIST).ok
