"""Seed §23 loanProductApply through signed HTTP (CONTRACT §4, §8).

The quote's checks and figures, then eligibility in order (20005002 verifications, 20005003
blacklist/risk, 20005004 unfinished loan, 20005005 available credit); the stored application,
its first status change and the SUBMITTED notification, all in one transaction.
"""

import re
from datetime import date
from decimal import Decimal

import pytest

from loans import applications
from loans.credit import available_credit
from loans.models import LoanApplication, RepaymentPeriod, StatusChange
from tests.factories import ProductFactory, freeze_today
from tests.products.helpers import (
    APPLY_PATH,
    QUOTE_PATH,
    apply_payload,
    customer,
    instalment_payload,
    instalment_product,
    quote_payload,
    verified_customer,
)

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = date(2024, 1, 15)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    freeze_today(monkeypatch, TODAY)


@pytest.fixture
def product(db):
    return ProductFactory(single_days="7, 14")


@pytest.fixture
def borrower(api):
    user = verified_customer()
    api.client.force_login(user)
    return user


@pytest.fixture
def notifications(monkeypatch):
    """Records notify_loan_event calls (the real one is messaging's; it runs in the other tests)."""
    calls = []
    monkeypatch.setattr(applications, "notify_loan_event", lambda application, event, **options: calls.append((application.pk, event)))
    return calls


def existing_loan(user, product, status: int) -> LoanApplication:
    return LoanApplication.objects.create(
        code=f"LN{status}{user.pk:08d}", user=user, product=product, status=status,
        apply_amount=D("1000.00"), reply_amount=D("1000.00"), interest_rate=D("0.36"), penalty_rate=D("0.54"),
        term_count=14, term_unit=1, repay_term_count=1, repay_term_unit=1, repay_type=1,
    )


def refused(reply, code):
    return reply.body["exceptionFlag"] == "9999" and reply.code == code


class TestSuccess:
    def test_application_is_stored_with_the_quotes_figures(self, api, borrower, product):
        reply = api.post(APPLY_PATH, apply_payload(product, amount="500.00", termCount="14"))
        assert (reply.body["exceptionFlag"], reply.code) == ("0000", "20005000"), reply.body
        assert reply.body["responseMessage"] == "提交贷款申请成功"
        loan = LoanApplication.objects.get()
        assert reply.result == str(loan.id)
        assert re.fullmatch(r"CL20240115\d{6}", loan.code)
        assert (loan.user, loan.product, loan.status) == (borrower, product, 0)
        assert (loan.apply_amount, loan.service_fee, loan.reply_amount) == (D("500.00"), D("0.00"), D("500.00"))
        assert (loan.interest_rate, loan.penalty_rate, loan.period_fee) == (D("0.3600"), D("0.5400"), D("0.00"))
        assert (loan.term_count, loan.term_unit, loan.repay_term_count, loan.repay_term_unit, loan.repay_type) == (14, 1, 1, 1, 1)
        assert loan.annualized_cost_rate == D(api.post(QUOTE_PATH, quote_payload(product)).result["annualizedCostRate"])
        assert (loan.purpose, loan.other_channels, loan.longitude, loan.latitude) == ("21", "01", "121.4737", "31.2304")
        assert (loan.operator_order_id, loan.remark) == ("201701012236523", "周转")
        assert loan.phonebook == [
            {"contactName": "王小明", "contactPhone": "13800000001"},
            {"contactName": "李雷", "contactPhone": "13800000002"},
        ]

    def test_one_status_change_from_nothing_to_pending(self, api, borrower, product):
        api.post(APPLY_PATH, apply_payload(product))
        (change,) = StatusChange.objects.all()
        assert (change.from_status, change.to_status, change.changed_by, change.actor, change.note) == (None, 0, None, "customer", "客户提交申请")
        assert change.application == LoanApplication.objects.get()

    def test_notifies_submission_once(self, api, borrower, product, notifications):
        reply = api.post(APPLY_PATH, apply_payload(product))
        assert notifications == [(LoanApplication.objects.get().pk, applications.LoanEvent.SUBMITTED)]
        assert reply.ok

    def test_instalment_application_matches_its_quote(self, api, borrower):
        product = instalment_product(penalty_rate=D("0.5400"), period_fee=D("2.50"))
        quote = api.post(QUOTE_PATH, instalment_payload(product)).result
        apply = api.post(APPLY_PATH, apply_payload(product, **{k: v for k, v in instalment_payload(product).items()}))
        assert apply.code == "20005000", apply.body
        loan = LoanApplication.objects.get()
        assert (f"{loan.apply_amount:.2f}", f"{loan.service_fee:.2f}", f"{loan.reply_amount:.2f}") == (
            quote["applyAmount"], quote["serviceFee"], quote["replyAmount"]
        ) == ("10000.00", "100.00", "9900.00")
        assert f"{loan.annualized_cost_rate:.4f}" == quote["annualizedCostRate"]
        assert (loan.period_fee, loan.term_count, loan.term_unit, loan.repay_type) == (D("2.50"), 12, 2, 3)

    def test_optional_fields_and_normalised_codes(self, api, borrower, product):
        payload = apply_payload(product, otherChannels="3", purpose=15, phonebookList=[], contactName="张三", contactPhone="13900000000")
        del payload["remark"]
        assert api.post(APPLY_PATH, payload).code == "20005000"
        loan = LoanApplication.objects.get()
        assert (loan.other_channels, loan.purpose, loan.remark, loan.phonebook) == ("03", "15", "", [])
        assert (loan.contact_name, loan.contact_phone) == ("张三", "13900000000")

    def test_after_a_finished_loan_one_may_apply_again(self, api, borrower, product):
        existing_loan(borrower, product, status=5)
        existing_loan(borrower, product, status=3)
        assert api.post(APPLY_PATH, apply_payload(product)).code == "20005000"


class TestRefusals:
    @pytest.mark.parametrize("missing", ["real_name_verified", "bank_card_verified", "mobile_verified", "info_completed"])
    def test_verifications_incomplete(self, api, product, missing, notifications):
        api.client.force_login(verified_customer(**{missing: False}))
        assert refused(api.post(APPLY_PATH, apply_payload(product)), "20005002")
        assert not LoanApplication.objects.exists() and not StatusChange.objects.exists() and notifications == []

    def test_unverified_customer(self, api, product):
        api.client.force_login(customer())
        assert refused(api.post(APPLY_PATH, apply_payload(product)), "20005002")

    @pytest.mark.parametrize("flag", ["is_blacklisted", "is_risk"])
    def test_blacklisted_or_risk(self, api, product, flag):
        api.client.force_login(verified_customer(**{flag: True}))
        assert refused(api.post(APPLY_PATH, apply_payload(product)), "20005003")
        assert not LoanApplication.objects.exists()

    @pytest.mark.parametrize("status", [0, 1, 2, 4])
    def test_unfinished_loan(self, api, borrower, product, status):
        existing_loan(borrower, product, status)
        assert refused(api.post(APPLY_PATH, apply_payload(product)), "20005004")
        assert LoanApplication.objects.count() == 1

    def test_rejected_loan_does_not_block(self, api, borrower, product):
        existing_loan(borrower, product, status=3)
        assert api.post(APPLY_PATH, apply_payload(product)).code == "20005000"

    @pytest.mark.parametrize("amount, code", [("1000.00", "20005000"), ("1000.01", "20005005")])
    def test_available_credit(self, api, product, amount, code):
        api.client.force_login(verified_customer(total_credit=D("1000.00")))
        assert api.post(APPLY_PATH, apply_payload(product, amount=amount)).code == code

    def test_order_of_refusals(self, api, product):
        """An unverified, blacklisted customer with a loan, over credit: the first rule answers."""
        user = verified_customer(info_completed=False, is_blacklisted=True, total_credit=D("100"))
        existing_loan(user, product, status=0)
        api.client.force_login(user)
        assert api.post(APPLY_PATH, apply_payload(product)).code == "20005002"
        user.info_completed = True
        user.save()
        assert api.post(APPLY_PATH, apply_payload(product)).code == "20005003"
        user.is_blacklisted = False
        user.save()
        assert api.post(APPLY_PATH, apply_payload(product)).code == "20005004"
        LoanApplication.objects.update(status=5)
        assert api.post(APPLY_PATH, apply_payload(product)).code == "20005005"

    def test_quote_codes_come_before_eligibility(self, api, product):
        api.client.force_login(customer())  # unverified too
        assert api.post(APPLY_PATH, apply_payload(product, amount="499.99")).code == "20004001"
        assert api.post(APPLY_PATH, apply_payload(product, repayType="3")).code == "20004015"
        assert api.post(APPLY_PATH, apply_payload(product, amount="1.005")).code == "20004000"

    @pytest.mark.parametrize(
        "change",
        [
            {"amount": "499.99"}, {"interestRate": "0.35"}, {"termCount": "13"}, {"termUnit": "2", "repayTermUnit": "2"},
            {"repayTermUnit": "5"}, {"repayType": "2", "repayTermCount": "7"},
        ],
    )
    def test_quote_and_application_refuse_alike(self, api, borrower, product, change):
        quote_code = api.post(QUOTE_PATH, quote_payload(product, **change)).code
        apply_code = api.post(APPLY_PATH, apply_payload(product, **change)).code
        assert quote_code == apply_code != "0000"
        assert not LoanApplication.objects.exists()

    def test_unknown_product(self, api, borrower, product):
        assert api.post(APPLY_PATH, apply_payload(product, productId="4feae5b5-0a5f-449a-aa96-9b6584b59440")).code == "10001000"

    def test_not_logged_in(self, api, product):
        assert api.post(APPLY_PATH, apply_payload(product)).code == "90004000"


class TestMalformed:
    @pytest.mark.parametrize("field", ["longitude", "latitude", "orderId", "purpose", "otherChannels", "phonebookList", "amount", "productId"])
    def test_missing_required_field(self, api, borrower, product, field):
        payload = apply_payload(product)
        del payload[field]
        assert refused(api.post(APPLY_PATH, payload), "10001000")

    @pytest.mark.parametrize(
        "change",
        [
            {"purpose": "01"}, {"purpose": "14"}, {"purpose": "23"}, {"purpose": "x"}, {"purpose": True},
            {"otherChannels": "04"}, {"otherChannels": "0"}, {"otherChannels": "x"},
            {"phonebookList": "13800000001"}, {"phonebookList": [{"contactName": "王"}]},
            {"phonebookList": [{"contactPhone": ""}]}, {"phonebookList": ["13800000001"]},
            {"longitude": ""}, {"longitude": ["1"]}, {"orderId": None}, {"remark": "长" * 501},
        ],
    )
    def test_bad_applicant_field(self, api, borrower, product, change):
        assert refused(api.post(APPLY_PATH, apply_payload(product, **change)), "10001000")
        assert not LoanApplication.objects.exists()


class TestApplicantFieldShapes:
    """Issue 10 item 16: phone-book and contact phones, ``orderId``, longitude and latitude are
    checked for format and length (a decimal of at most 32 characters, as the seed's own
    ``12579.66``), and the refusal names the field and the shape it must have."""

    @pytest.mark.parametrize(
        "change, path",
        [
            ({"longitude": "abc"}, "longitude"), ({"longitude": "121.4737E"}, "longitude"),
            ({"longitude": "1" * 16 + ".5"}, "longitude"), ({"longitude": "１２１.４"}, "longitude"),
            ({"latitude": "31,2304"}, "latitude"), ({"latitude": "31.2304<script>"}, "latitude"),
            ({"orderId": "order id"}, "orderId"), ({"orderId": "订单1"}, "orderId"), ({"orderId": "x" * 65}, "orderId"),
            ({"phonebookList": [{"contactName": "王", "contactPhone": "abc"}]}, "phonebookList[0].contactPhone"),
            ({"phonebookList": [{"contactName": "王", "contactPhone": "13800000001"}, {"contactName": "李", "contactPhone": "12"}]},
             "phonebookList[1].contactPhone"),
            ({"phonebookList": [{"contactName": "王", "contactPhone": "1" * 21}]}, "phonebookList[0].contactPhone"),
            ({"phonebookList": [{"contactName": "王", "contactPhone": "138-"}]}, "phonebookList[0].contactPhone"),
            ({"phonebookList": [{"contactName": "王"}]}, "phonebookList[0].contactPhone"),
            ({"phonebookList": [{"contactPhone": "13800000001"}]}, "phonebookList[0].contactName"),
            ({"contactPhone": "call me"}, "contactPhone"), ({"contactPhone": "１３９００００００００"}, "contactPhone"),
        ],
    )
    def test_a_bad_shape_is_refused_naming_the_field_and_its_shape(self, api, borrower, product, change, path):
        reply = api.post(APPLY_PATH, apply_payload(product, **change))
        assert refused(reply, "10001000")
        message = reply.body["responseMessage"]
        assert f"{path} 缺失或格式错误" in message, message
        assert f"（{path.split('[')[0]} 应为" in message, message
        assert not LoanApplication.objects.exists()

    def test_the_phone_book_shape_is_spelled_out(self, api, borrower, product):
        """A new user's first apply failed on entries needing contactName / contactPhone."""
        reply = api.post(APPLY_PATH, apply_payload(product, phonebookList=[{"name": "王", "phone": "13800000001"}]))
        message = reply.body["responseMessage"]
        assert '"contactName"' in message and '"contactPhone"' in message, message

    def test_the_seeds_samples_and_common_phone_shapes_are_accepted(self, api, borrower, product):
        phonebook = [
            {"contactName": "王小明", "contactPhone": "+86 138-0000-0001"},
            {"contactName": "公司", "contactPhone": "010-12345678"},
            {"contactName": "", "contactPhone": "95588"},
        ]
        payload = apply_payload(
            product, longitude="12579.66", latitude="-31.2304", orderId="201701012236523_a-1", phonebookList=phonebook,
            contactPhone="13900000000",
        )
        assert api.post(APPLY_PATH, payload).code == "20005000"
        loan = LoanApplication.objects.get()
        assert (loan.longitude, loan.latitude, loan.phonebook) == ("12579.66", "-31.2304", phonebook)


class TestOtherCustomers:
    def test_another_customers_loan_neither_blocks_nor_counts(self, api, product):
        first, second = verified_customer(), verified_customer(total_credit=D("500.00"))
        api.client.force_login(first)
        assert api.post(APPLY_PATH, apply_payload(product)).code == "20005000"
        api.client.force_login(second)
        assert api.post(APPLY_PATH, apply_payload(product, amount="500.00")).code == "20005000"
        assert set(LoanApplication.objects.values_list("user", flat=True)) == {first.pk, second.pk}
        assert LoanApplication.objects.filter(user=second).count() == 1
        assert available_credit(second, TODAY) == D("0.00") and available_credit(first, TODAY) is None

    def test_application_id_is_the_appliers(self, api, product):
        first, second = verified_customer(), verified_customer()
        api.client.force_login(first)
        loan_id = api.post(APPLY_PATH, apply_payload(product)).result
        assert LoanApplication.objects.get(pk=loan_id).user == first
        api.client.force_login(second)
        assert api.post(APPLY_PATH, apply_payload(product)).result != loan_id


class TestAvailableCredit:
    def test_unlimited(self, db):
        assert available_credit(verified_customer(), TODAY) is None

    def test_pending_and_disbursed_loans_count(self, db, product):
        user = verified_customer(total_credit=D("5000.00"))
        pending = existing_loan(user, product, status=0)
        assert available_credit(user, TODAY) == D("4000.00")
        pending.status = 4
        pending.save()
        for number, (principal, settlement) in enumerate([(D("300.00"), 1), (D("700.00"), 0)], start=1):
            RepaymentPeriod.objects.create(
                application=pending, number=number, start_date=TODAY, due_date=TODAY, principal=principal,
                interest=D("0"), settlement=settlement,
            )
        assert available_credit(user, TODAY) == D("4300.00")

    def test_finished_loans_do_not_count_and_never_below_zero(self, db, product):
        user = verified_customer(total_credit=D("500.00"))
        existing_loan(user, product, status=5)
        assert available_credit(user, TODAY) == D("500.00")
        LoanApplication.objects.update(status=0)
        assert available_credit(user, TODAY) == D("0.00")


class TestLastLineOfDefence:
    def test_unique_constraint_answers_unfinished_loan(self, api, borrower, product, monkeypatch):
        """Were the locked check ever bypassed, ``one_unfinished_loan_per_user`` still refuses."""
        existing_loan(borrower, product, status=1)
        real_check, calls = applications.has_unfinished_loan, []

        def first_check_misses(user):
            calls.append(user)
            return False if len(calls) == 1 else real_check(user)

        monkeypatch.setattr(applications, "has_unfinished_loan", first_check_misses)
        assert refused(api.post(APPLY_PATH, apply_payload(product)), "20005004")
        assert LoanApplication.objects.count() == 1 and not StatusChange.objects.exists()


class TestCode:
    def test_clashing_code_is_drawn_again(self, api, borrower, product, monkeypatch):
        other = verified_customer()
        taken = existing_loan(other, product, status=0)
        codes = iter([taken.code, "CL20240115000042"])
        monkeypatch.setattr(applications, "new_application_code", lambda today: next(codes))
        assert api.post(APPLY_PATH, apply_payload(product)).code == "20005000"
        assert LoanApplication.objects.get(user=borrower).code == "CL20240115000042"
