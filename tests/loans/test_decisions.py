"""The risk decision at application time, through signed HTTP (CONTRACT §12).

"The rules run when an application is created (after the §4 pre-checks 20005002–20005005,
which keep their codes). The decision and every rule that fired, with the values it saw, are
stored on the application and shown to staff. Outcome: any reject rule fired → status 3 (the
customer sees the seed's 审核拒绝, not the rule); otherwise any review rule fired, or no
approve rule fired → status 0 for a loan officer; otherwise → status 2, approved by the system.
In all three cases loanProductApply succeeds as today (0000, 20005000), and the customer gets
the customer message of the resulting status." With the default rules after migrate.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cashloan.crypto import keyed_digest
from accounts.models import Contact, Device, Identity
from loans import decisions
from loans.models import ApplicationStatus, LoanApplication, RepaymentPeriod, StatusChange
from messaging.models import CustomerMessage, SmsMessage
from risk.engine import RuleSpec
from risk.models import RiskRule
from tests.accounts.helpers import id_number
from tests.factories import LoanFactory, PeriodFactory, ProductFactory
from tests.products.helpers import APPLY_PATH, apply_payload, verified_customer

pytestmark = pytest.mark.django_db

D = Decimal


def born_years_ago(years: int, today: date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{today.year - years:04d}{today.month:02d}{min(today.day, 28):02d}"


def customer_aged(years: int, sequence: str = "123"):
    """A verified customer with an identity (age ``years`` today) and two contacts."""
    user = verified_customer()
    number = id_number(birth=born_years_ago(years), sequence=sequence)
    Identity.objects.create(
        user=user, real_name="王豆豆", id_number=number, id_number_digest=keyed_digest("id_number", number), verified_at=timezone.now()
    )
    for phone in ("13900000001", "13900000002"):
        Contact.objects.create(user=user, rel_type=1, real_name="王大", phone_num=phone)
    return user


def paid_off_loan(user, *, days_late: int, finished_days_ago: int = 40):
    """A 14-day loan paid off ``days_late`` days after its due date."""
    due = timezone.localdate() - timedelta(days=finished_days_ago + days_late)
    paid_at = timezone.make_aware(datetime.combine(due + timedelta(days=days_late), datetime.min.time().replace(hour=10)))
    loan = LoanFactory(user=user, status=ApplicationStatus.PAID_OFF, paid_off_at=paid_at)
    applied_at = timezone.make_aware(datetime.combine(due - timedelta(days=14), datetime.min.time().replace(hour=9)))
    LoanApplication.objects.filter(pk=loan.pk).update(applied_at=applied_at)
    PeriodFactory(application=loan, due_date=due, settlement=RepaymentPeriod.Settlement.ON_SCHEDULE, paid_at=paid_at)
    return loan


@pytest.fixture
def product(db):
    return ProductFactory(single_days="7, 14")


def apply(api, user, product, **overrides):
    api.client.force_login(user)
    reply = api.post(APPLY_PATH, apply_payload(product, **overrides))
    assert (reply.body["exceptionFlag"], reply.code) == ("0000", "20005000"), reply.body
    return LoanApplication.objects.get(pk=reply.result)


def history(loan):
    return list(StatusChange.objects.filter(application=loan).values_list("from_status", "to_status", "actor", "changed_by", "note"))


class TestDefaultRules:
    """The acceptance of issue 13: first-time → pending, 61 → rejected, two clean loans → approved."""

    def test_the_default_rules_after_migrate(self):
        rules = {(r.kind, r.outcome, r.enabled): r.params for r in RiskRule.objects.all()}
        assert rules == {
            ("age_range", "reject", True): {"min_age": 18, "max_age": 60},
            ("device_customers", "review", True): {"customers": 3},
            ("clean_history", "approve", True): {"loans": 2, "days": 3},
        }

    def test_a_first_time_applicant_waits_for_an_officer(self, api, product):
        loan = apply(api, customer_aged(30), product)
        assert (loan.status, loan.risk_outcome, loan.risk_hits) == (0, "review", [])
        assert history(loan) == [(None, 0, "customer", None, "客户提交申请")]
        assert loan.risk_facts["age"] == 30 and loan.risk_facts["paid_off_lateness"] == []
        message = CustomerMessage.objects.get(application=loan)
        assert (message.message_type, message.title) == (11, "借款申请已提交")

    def test_a_61_year_old_is_rejected_by_the_age_rule(self, api, product):
        loan = apply(api, customer_aged(61), product)
        rule = RiskRule.objects.get(kind="age_range")
        assert (loan.status, loan.risk_outcome) == (ApplicationStatus.REJECTED, "reject")
        assert loan.risk_hits == [
            {"rule": rule.pk, "name": rule.name, "kind": "age_range", "outcome": "reject", "seen": {"age": 61}, "error": ""}
        ]
        assert loan.reviewed_at is not None
        assert history(loan) == [
            (None, 0, "customer", None, "客户提交申请"),
            (0, 3, "system", None, f"风控规则自动拒绝：{rule.name}"),
        ]
        message = CustomerMessage.objects.get(application=loan)
        assert (message.message_type, message.title) == (13, "借款审核未通过")
        assert rule.name not in message.content  # the customer sees 审核拒绝, not the rule
        assert not SmsMessage.objects.exists()  # they are looking at the app

    def test_sixty_is_not_too_old(self, api, product):
        assert apply(api, customer_aged(60), product).status == 0

    def test_two_clean_paid_off_loans_are_approved_by_the_system(self, api, product):
        user = customer_aged(35)
        paid_off_loan(user, days_late=0)
        paid_off_loan(user, days_late=3, finished_days_ago=80)
        loan = apply(api, user, product)
        rule = RiskRule.objects.get(kind="clean_history")
        assert (loan.status, loan.risk_outcome) == (ApplicationStatus.APPROVED, "approve")
        assert loan.risk_hits == [
            {"rule": rule.pk, "name": rule.name, "kind": "clean_history", "outcome": "approve",
             "seen": {"clean_loans": 2, "paid_off_loans": 2}, "error": ""}
        ]
        assert history(loan)[1] == (0, 2, "system", None, f"风控规则自动通过：{rule.name}")
        assert CustomerMessage.objects.get(application=loan).message_type == 12
        assert not SmsMessage.objects.exists()

    def test_a_loan_paid_four_days_late_does_not_count(self, api, product):
        user = customer_aged(35)
        paid_off_loan(user, days_late=0)
        paid_off_loan(user, days_late=4, finished_days_ago=80)
        loan = apply(api, user, product)
        assert (loan.status, loan.risk_facts["paid_off_lateness"], loan.risk_facts["worst_days_past_due"]) == (0, [0, 4], 4)

    def test_a_device_shared_by_four_customers_goes_to_an_officer_even_with_a_clean_history(self, api, product):
        user = customer_aged(35)
        paid_off_loan(user, days_late=0)
        paid_off_loan(user, days_late=0, finished_days_ago=80)
        for other in [verified_customer() for _ in range(3)] + [user]:
            Device.objects.create(user=other, app_type="1", token="shared-phone", last_login_at=timezone.now())
        api.client.force_login(user)
        session = api.client.session
        session["device_token"] = "shared-phone"
        session.save()
        reply = api.post(APPLY_PATH, apply_payload(product))
        loan = LoanApplication.objects.get(pk=reply.result)
        assert (reply.code, loan.status, loan.risk_outcome, loan.device_token) == ("20005000", 0, "review", "shared-phone")
        assert [(hit["kind"], hit["seen"]) for hit in loan.risk_hits] == [
            ("device_customers", {"device_customers": 4}), ("clean_history", {"clean_loans": 2, "paid_off_loans": 2})
        ]


class TestTheDecisionNeverFails:
    def test_a_rule_that_raises_sends_the_application_to_an_officer(self, api, product):
        """A rule saved outside the admin with parameters its kind refuses: recorded, not a 9999."""
        RiskRule.objects.create(name="坏规则", kind="worst_dpd", params={"days": "many"}, outcome="reject", order=1)
        loan = apply(api, customer_aged(30), product)
        assert (loan.status, loan.risk_outcome) == (0, "review")
        (hit,) = loan.risk_hits
        assert (hit["name"], hit["outcome"]) == ("坏规则", "review") and "ParamError" in hit["error"]

    def test_no_identity_is_a_review_with_the_error(self, api, product):
        loan = apply(api, verified_customer(), product)
        (hit,) = loan.risk_hits
        assert (loan.status, hit["kind"], hit["outcome"]) == (0, "age_range", "review") and "实名" in hit["error"]

    def test_the_pre_checks_keep_their_codes(self, api, product):
        user = customer_aged(61)
        user.is_blacklisted = True
        user.save()
        api.client.force_login(user)
        assert api.post(APPLY_PATH, apply_payload(product)).code == "20005003"
        assert not LoanApplication.objects.exists()


class TestDevice:
    def test_the_application_records_the_device_of_the_login(self, api, product):
        user = customer_aged(30)
        user.set_password("secret123")
        user.save()
        assert api.login(user.mobile, "secret123").ok
        loan = LoanApplication.objects.get(pk=api.post(APPLY_PATH, apply_payload(product)).result)
        assert loan.device_token == "device-token"  # the token the signed client logs in with
        assert loan.risk_facts["device_token"] == "device-token" and loan.risk_facts["device_customers"] == 1

    def test_applications_from_one_device_are_counted_across_accounts(self, api, product):
        RiskRule.objects.create(name="设备频繁申请", kind="device_applications", params={"applications": 2, "days": 7}, outcome="reject", order=1)
        for user in (customer_aged(30, "111"), customer_aged(31, "222")):
            LoanFactory(user=user, status=ApplicationStatus.REJECTED, device_token="busy-phone")
        user = customer_aged(32, "333")
        api.client.force_login(user)
        session = api.client.session
        session["device_token"] = "busy-phone"
        session.save()
        loan = LoanApplication.objects.get(pk=api.post(APPLY_PATH, apply_payload(product)).result)
        assert loan.status == 3
        assert loan.risk_hits[0]["seen"] == {"applications": 3, "days": 7}


class TestQueries:
    """"A decision adds at most 3 queries to loanProductApply whatever the number of rules and
    earlier loans": against the same request with the decision replaced by a constant."""

    def count(self, api, user, product) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        api.client.force_login(user)
        session = api.client.session
        session["device_token"] = "phone-1"
        session.save()
        with CaptureQueriesContext(connection) as queries:
            reply = api.post(APPLY_PATH, apply_payload(product))
        assert reply.code == "20005000", reply.body
        LoanApplication.objects.filter(pk=reply.result).update(status=ApplicationStatus.REJECTED)
        return len(queries)

    def without_decision(self, monkeypatch):
        from accounts.models import User
        from risk.engine import Decision
        from risk.facts import Facts

        def lock_only(user_id, device_token):
            user = User.objects.select_for_update().get(pk=user_id)
            user.risk_id_number, user.risk_contacts, user.risk_device_customers = "", 0, 0
            return user

        facts = Facts(D("0"), None, None, "", 0, 0, 0, "", 0, (), 0, ())
        monkeypatch.setattr(decisions, "lock_applicant", lock_only)
        monkeypatch.setattr(decisions, "decide_application", lambda applicant, made: decisions.Decided(Decision("review", ()), facts))

    @pytest.mark.parametrize("cold_cache", [False, True])
    def test_at_most_three_whatever_the_rules_and_loans(self, api, product, monkeypatch, cold_cache):
        from django.core.cache import cache

        from risk.selectors import ENABLED_RULES_KEY, enabled_rules

        user = customer_aged(35)
        for index in range(8):  # 49 rules: eight of six kinds, and one on the device
            for kind, params in [("few_contacts", {"count": 1}), ("small_phonebook", {"entries": 1}), ("account_age", {"days": 1}),
                                 ("worst_dpd", {"days": 90}), ("amount_share_of_limit", {"percent": 900}), ("id_region", {"prefixes": "99"})]:
                RiskRule.objects.create(name=f"{kind}{index}", kind=kind, params=params, outcome="review", order=index)
        RiskRule.objects.create(name="设备", kind="device_applications", params={"applications": 50, "days": 30}, outcome="review")
        loans_before = []
        for earlier in (0, 6):
            for _ in range(earlier - len(loans_before)):
                loans_before.append(paid_off_loan(user, days_late=1))
            with monkeypatch.context() as patched:
                self.without_decision(patched)
                baseline = self.count(api, user, product)
            if cold_cache:
                cache.delete(ENABLED_RULES_KEY)
            else:
                enabled_rules()
            with_decision = self.count(api, user, product)
            assert with_decision - baseline <= 3, (earlier, baseline, with_decision)
            assert with_decision - baseline == (3 if cold_cache else 2)


class TestFacts:
    def test_history_as_of_a_past_moment(self, product):
        """A dry run rebuilds an old application's facts as they were: a period paid after that
        moment was unpaid then."""
        user = customer_aged(40)
        due = date(2024, 1, 10)
        paid_at = timezone.make_aware(datetime(2024, 1, 20, 9))
        loan = LoanFactory(user=user, status=ApplicationStatus.PAID_OFF, paid_off_at=paid_at)
        LoanApplication.objects.filter(pk=loan.pk).update(applied_at=timezone.make_aware(datetime(2023, 12, 27)))
        PeriodFactory(application=loan, due_date=due, settlement=1, paid_at=paid_at)
        at = timezone.make_aware(datetime(2024, 1, 15, 12))
        assert decisions.loan_history(user.pk, at, date(2024, 1, 15)) == (5, ())  # unpaid then, 5 days late
        later = timezone.make_aware(datetime(2024, 2, 1, 12))
        assert decisions.loan_history(user.pk, later, date(2024, 2, 1)) == (10, (10,))

    def test_the_engine_gets_the_rules_it_is_given(self, product):
        user = customer_aged(30)
        applicant = decisions.applicant_file(user.pk, "")
        made = decisions.Application(D("500.00"), 0, "", timezone.now(), timezone.localdate())
        decided = decisions.decide_application(applicant, made, [RuleSpec(None, "草稿", "small_phonebook", {"entries": 1}, "reject")])
        assert (decided.decision.outcome, decided.status) == ("reject", ApplicationStatus.REJECTED)
