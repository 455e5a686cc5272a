"""Repayment posting (seed §36 gotoRepayment; CONTRACT §4 codes 20006001–4, §8 current / all).

Every figure below is worked out by hand in the docstring or comment next to it.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from loans import repayments
from loans.models import Repayment, RepaymentPeriod, StatusChange
from loans.payments import PaymentProvider, PaymentResult
from loans.repayments import EarlierPeriodUnpaid, NothingDue, PaymentFailed, PlanNotFound, repay
from loans.notifications import LoanEvent
from tests.factories import UserFactory, freeze_today
from tests.loans.helpers import disbursed_loan, login

pytestmark = pytest.mark.django_db

D = Decimal
PAID, EARLY, UNPAID = RepaymentPeriod.Settlement.ON_SCHEDULE, RepaymentPeriod.Settlement.EARLY, RepaymentPeriod.Settlement.UNPAID


@pytest.fixture(autouse=True)
def events(monkeypatch):
    sent = []
    monkeypatch.setattr(repayments, "notify_loan_event", lambda loan, event, **kw: sent.append((loan.code, event, kw.get("period"))))
    return sent


@pytest.fixture
def instalment_loan():
    """3000 over 3 months at 12 %, flat (type 4), penalty 54 %, disbursed 2025-01-15.

    Periods (1000.00 principal + 3000 × 0.12 / 12 = 30.00 interest each):
    1: 01-15 → 02-15, 2: 02-15 → 03-15 (28 days), 3: 03-15 → 04-15.
    """
    return disbursed_loan(date(2025, 1, 15), instalments=True)


@pytest.fixture
def day_loan():
    """Seed §26 sample: 500 for 14 days at 36 % (interest 7.00), penalty 54 %, due 2025-03-15."""
    return disbursed_loan(date(2025, 3, 1))


def period(loan, number) -> RepaymentPeriod:
    return loan.periods.get(number=number)


def settled(loan):
    return list(
        loan.periods.order_by("number").values_list("settlement", "paid_principal", "paid_interest", "paid_fee", "paid_penalty")
    )


class TestCurrent:
    def test_pays_the_period_in_full_before_its_due_date(self, instalment_loan, events):
        first = period(instalment_loan, 1)
        repayment = repay(instalment_loan.user, str(first.pk), "current", today=date(2025, 2, 10))
        assert (repayment.kind, repayment.amount, repayment.principal, repayment.interest, repayment.penalty) == (
            "current", D("1030.00"), D("1000.00"), D("30.00"), D("0.00"),
        )
        assert settled(instalment_loan)[0] == (PAID, D("1000.00"), D("30.00"), D("0.00"), D("0.00"))
        assert [s[0] for s in settled(instalment_loan)] == [PAID, UNPAID, UNPAID]
        first.refresh_from_db()
        assert first.repayment_id == repayment.pk and first.paid_at is not None
        instalment_loan.refresh_from_db()
        assert instalment_loan.status == 4
        assert events == [(instalment_loan.code, LoanEvent.REPAID, first)]

    def test_overdue_day_loan_pays_penalty_and_closes_the_loan(self, day_loan):
        """500 + 7.00 interest + 500 × 0.54 × 10 / 360 = 7.50 penalty (10 days late) = 514.50."""
        repayment = repay(day_loan.user, str(period(day_loan, 1).pk), "current", today=date(2025, 3, 25))
        assert (repayment.amount, repayment.penalty) == (D("514.50"), D("7.50"))
        only = period(day_loan, 1)
        assert (only.settlement, only.paid_penalty, only.penalty, only.is_overdue) == (PAID, D("7.50"), D("7.50"), True)
        day_loan.refresh_from_db()
        assert day_loan.status == 5 and day_loan.paid_off_at == repayment.posted_at
        change = StatusChange.objects.get(application=day_loan, to_status=5)
        assert (change.from_status, change.changed_by, change.note) == (4, None, "客户还清全部借款")

    def test_naming_a_later_period_is_refused_naming_the_earliest_unpaid(self, instalment_loan):
        """CONTRACT §8: current pays exactly the named period; 20006004 while an earlier is unpaid."""
        with pytest.raises(EarlierPeriodUnpaid) as refused:
            repay(instalment_loan.user, str(period(instalment_loan, 3).pk), "current", today=date(2025, 2, 25))
        assert refused.value.code == "20006004"
        assert "第1期" in refused.value.message
        assert not Repayment.objects.exists()
        assert [s[0] for s in settled(instalment_loan)] == [UNPAID, UNPAID, UNPAID]

    def test_repeated_later_period_requests_post_nothing(self, instalment_loan):
        """Issue 10 item 9: three sequential requests naming the last period made three postings."""
        repay(instalment_loan.user, str(period(instalment_loan, 1).pk), "current", today=date(2025, 2, 10))
        for _ in range(3):
            with pytest.raises(EarlierPeriodUnpaid) as refused:
                repay(instalment_loan.user, str(period(instalment_loan, 3).pk), "current", today=date(2025, 2, 10))
            assert "第2期" in refused.value.message
        assert Repayment.objects.filter(application=instalment_loan).count() == 1
        assert [s[0] for s in settled(instalment_loan)] == [PAID, UNPAID, UNPAID]

    def test_the_named_period_is_the_one_paid(self, instalment_loan):
        """Period 2 named after period 1 paid: 1030.00 on its own dates, period 3 untouched."""
        repay(instalment_loan.user, str(period(instalment_loan, 1).pk), "current", today=date(2025, 2, 10))
        repayment = repay(instalment_loan.user, str(period(instalment_loan, 2).pk), "current", today=date(2025, 3, 1))
        assert repayment.amount == D("1030.00")
        assert period(instalment_loan, 2).repayment == repayment
        assert [s[0] for s in settled(instalment_loan)] == [PAID, PAID, UNPAID]

    def test_an_already_paid_period_is_refused(self, instalment_loan):
        first = str(period(instalment_loan, 1).pk)
        repay(instalment_loan.user, first, "current", today=date(2025, 2, 10))
        with pytest.raises(NothingDue) as refused:
            repay(instalment_loan.user, first, "current", today=date(2025, 2, 10))
        assert refused.value.code == "20006002"
        assert Repayment.objects.filter(application=instalment_loan).count() == 1

    def test_three_currents_pay_the_loan_off(self, instalment_loan):
        for number, day in [(1, date(2025, 2, 15)), (2, date(2025, 3, 15)), (3, date(2025, 4, 15))]:
            repay(instalment_loan.user, str(period(instalment_loan, number).pk), "current", today=day)
        instalment_loan.refresh_from_db()
        assert instalment_loan.status == 5
        assert sum(r.amount for r in instalment_loan.repayments.all()) == D("3090.00")
        with pytest.raises(NothingDue):
            repay(instalment_loan.user, str(period(instalment_loan, 3).pk), "current", today=date(2025, 4, 15))


class TestPayOff:
    def test_in_month_two_after_paying_month_one(self, instalment_loan):
        """Period 2 runs 02-15 → 03-15 (28 days); on 02-22, 7 days: 30 × 7 / 28 = 7.50 interest.
        Pay-off = 1000 + 7.50 (period 2) + 1000 (period 3, principal only) = 2007.50."""
        repay(instalment_loan.user, str(period(instalment_loan, 1).pk), "current", today=date(2025, 2, 10))
        repayment = repay(instalment_loan.user, str(period(instalment_loan, 2).pk), "all", today=date(2025, 2, 22))
        assert (repayment.kind, repayment.amount, repayment.principal, repayment.interest, repayment.fee, repayment.penalty) == (
            "all", D("2007.50"), D("2000.00"), D("7.50"), D("0.00"), D("0.00"),
        )
        assert settled(instalment_loan)[1:] == [
            (EARLY, D("1000.00"), D("7.50"), D("0.00"), D("0.00")),
            (EARLY, D("1000.00"), D("0.00"), D("0.00"), D("0.00")),
        ]
        instalment_loan.refresh_from_db()
        assert instalment_loan.status == 5 and instalment_loan.paid_off_at is not None

    def test_with_month_one_overdue(self, instalment_loan):
        """On 02-22 period 1 is 7 days late: 1030 + 1000 × 0.54 × 7 / 360 = 10.50 → 1040.50;
        + 1007.50 + 1000.00 = 3048.00."""
        repayment = repay(instalment_loan.user, str(period(instalment_loan, 1).pk), "all", today=date(2025, 2, 22))
        assert (repayment.amount, repayment.penalty, repayment.interest) == (D("3048.00"), D("10.50"), D("37.50"))
        assert [s[0] for s in settled(instalment_loan)] == [PAID, EARLY, EARLY]

    def test_period_fees_are_due_on_the_current_period_not_later_ones(self):
        loan = disbursed_loan(date(2025, 1, 15), instalments=True, period_fee=D("5.00"))
        repayment = repay(loan.user, str(period(loan, 1).pk), "all", today=date(2025, 1, 20))
        # Period 1 (31 days, 5 elapsed): 30 × 5 / 31 = 4.84; fee 5.00; later periods principal only.
        assert (repayment.amount, repayment.interest, repayment.fee) == (D("3009.84"), D("4.84"), D("5.00"))

    @pytest.mark.parametrize(
        "today, amount, settlement",
        [
            (date(2025, 3, 1), D("500.50"), EARLY),  # same day: at least one day, 7 × 1 / 14
            (date(2025, 3, 5), D("502.00"), EARLY),  # 4 days: 7 × 4 / 14 = 2.00
            (date(2025, 3, 15), D("507.00"), PAID),  # on the due date: the period in full, no penalty
            (date(2025, 3, 25), D("514.50"), PAID),  # 10 days late: + 7.50 penalty
        ],
    )
    def test_day_loan(self, day_loan, today, amount, settlement):
        repayment = repay(day_loan.user, str(period(day_loan, 1).pk), "all", today=today)
        assert repayment.amount == amount
        assert period(day_loan, 1).settlement == settlement

    def test_repeated_after_pay_off_is_refused(self, day_loan):
        repay(day_loan.user, str(period(day_loan, 1).pk), "all", today=date(2025, 3, 5))
        with pytest.raises(NothingDue):
            repay(day_loan.user, str(period(day_loan, 1).pk), "all", today=date(2025, 3, 5))
        assert Repayment.objects.filter(application=day_loan).count() == 1


class TestRefusals:
    def test_stranger_unknown_and_malformed_ids_look_the_same(self, day_loan):
        stranger = UserFactory()
        for user, period_id in [
            (stranger, str(period(day_loan, 1).pk)),
            (day_loan.user, "00000000-0000-0000-0000-000000000000"),
            (day_loan.user, "not-a-uuid"),
        ]:
            with pytest.raises(PlanNotFound) as refused:
                repay(user, period_id, "current")
            assert (refused.value.code, refused.value.message) == ("20006001", "还款计划不存在")

    def test_unknown_kind_is_a_programming_error(self, day_loan):
        with pytest.raises(ValueError):
            repay(day_loan.user, str(period(day_loan, 1).pk), "half")


class RefusingProvider(PaymentProvider):
    name = "refusing"

    def collect(self, application, amount, reference):
        return PaymentResult(ok=False, error="余额不足")


class BrokenProvider(PaymentProvider):
    name = "broken"

    def collect(self, application, amount, reference):
        raise ConnectionError("gateway down")


class RecordingProvider(PaymentProvider):
    name = "recording"
    calls: list = []

    def collect(self, application, amount, reference):
        self.calls.append((application.code, amount, reference))
        return PaymentResult(ok=True, reference=f"GW-{reference[:8]}")


class TestPaymentProvider:
    @pytest.mark.parametrize("provider", ["RefusingProvider", "BrokenProvider"])
    def test_failed_collection_writes_nothing(self, day_loan, events, provider):
        with override_settings(PAYMENT_PROVIDER=f"tests.loans.test_repayments.{provider}"):
            with pytest.raises(PaymentFailed) as refused:
                repay(day_loan.user, str(period(day_loan, 1).pk), "all", today=date(2025, 3, 5))
        assert refused.value.code == "20006003"
        assert not Repayment.objects.exists()
        assert settled(day_loan) == [(UNPAID, D("0.00"), D("0.00"), D("0.00"), D("0.00"))]
        day_loan.refresh_from_db()
        assert day_loan.status == 4 and events == []

    def test_provider_gets_amount_and_our_reference_and_its_reference_is_kept(self, day_loan):
        RecordingProvider.calls = []
        with override_settings(PAYMENT_PROVIDER="tests.loans.test_repayments.RecordingProvider"):
            repayment = repay(day_loan.user, str(period(day_loan, 1).pk), "all", today=date(2025, 3, 5))
        assert RecordingProvider.calls == [(day_loan.code, D("502.00"), str(repayment.pk))]
        assert (repayment.provider, repayment.provider_reference) == ("recording", f"GW-{str(repayment.pk)[:8]}")

    def test_default_provider_records_the_payment_at_once(self, day_loan):
        repayment = repay(day_loan.user, str(period(day_loan, 1).pk), "all", today=date(2025, 3, 5))
        assert (repayment.provider, repayment.provider_reference) == ("immediate", str(repayment.pk))


class TestEndpoint:
    """§36 through signed HTTP."""

    PATH = "/appCommonApi/gotoRepayment"

    def test_current_on_an_overdue_day_loan(self, api):
        """Disbursed 24 days ago, due 10 days ago: 500 + 7.00 + 7.50 = 514.50."""
        loan = disbursed_loan(timezone.localdate() - timedelta(days=24))
        reply = login(api, loan.user).post(self.PATH, {"id": str(period(loan, 1).pk), "repayType": "current"})
        assert (reply.body["exceptionFlag"], reply.code, reply.body["responseMessage"]) == ("0000", "0000", "还款成功")
        repayment = Repayment.objects.get()
        assert reply.result == {"repaymentId": str(repayment.pk), "amount": "514.50"}
        again = api.post(self.PATH, {"id": str(period(loan, 1).pk), "repayType": "current"})
        assert (again.body["exceptionFlag"], again.code) == ("9999", "20006002")

    def test_all_in_month_two(self, api, monkeypatch):
        loan = disbursed_loan(date(2025, 1, 15), instalments=True)
        freeze_today(monkeypatch, date(2025, 2, 10))
        login(api, loan.user)
        assert api.post(self.PATH, {"id": str(period(loan, 1).pk), "repayType": "current"}).result["amount"] == "1030.00"
        freeze_today(monkeypatch, date(2025, 2, 22))
        reply = api.post(self.PATH, {"id": str(period(loan, 2).pk), "repayType": "all"})
        assert reply.ok and reply.result["amount"] == "2007.50"
        again = api.post(self.PATH, {"id": str(period(loan, 2).pk), "repayType": "all"})
        assert again.code == "20006002"

    def test_a_later_period_is_refused_with_20006004(self, api):
        loan = disbursed_loan(timezone.localdate() - timedelta(days=5), instalments=True)
        reply = login(api, loan.user).post(self.PATH, {"id": str(period(loan, 2).pk), "repayType": "current"})
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "20006004")
        assert reply.body["responseMessage"] == "请先还第1期：按期还款须从最早未还的一期还起"
        assert not Repayment.objects.exists()

    def test_another_users_period_and_unknown_ids(self, api):
        loan = disbursed_loan(date(2025, 3, 1))
        login(api, UserFactory())
        for period_id in [str(period(loan, 1).pk), "00000000-0000-0000-0000-000000000000", "nope", 123]:
            reply = api.post(self.PATH, {"id": period_id, "repayType": "all"})
            assert (reply.body["exceptionFlag"], reply.code) == ("9999", "20006001")
        assert not Repayment.objects.exists()

    @pytest.mark.parametrize(
        "payload",
        [{"repayType": "all"}, {"id": "x"}, {"id": None, "repayType": "all"}, {"id": ["a"], "repayType": "all"},
         {"id": "x", "repayType": "ALL"}, {"id": "x", "repayType": ""}, {"id": "x", "repayType": 1}],
    )
    def test_malformed(self, api, payload):
        login(api, UserFactory())
        reply = api.post(self.PATH, payload)
        assert (reply.status, reply.body["exceptionFlag"], reply.code) == (200, "9999", "10001000")

    def test_not_logged_in(self, api):
        loan = disbursed_loan(date(2025, 3, 1))
        reply = api.post(self.PATH, {"id": str(period(loan, 1).pk), "repayType": "all"})
        assert reply.code == "90004000" and not Repayment.objects.exists()

    def test_payment_failure(self, api, settings):
        settings.PAYMENT_PROVIDER = "tests.loans.test_repayments.RefusingProvider"
        loan = disbursed_loan(date(2025, 3, 1))
        reply = login(api, loan.user).post(self.PATH, {"id": str(period(loan, 1).pk), "repayType": "all"})
        assert (reply.body["exceptionFlag"], reply.code, reply.body["responseMessage"]) == ("9999", "20006003", "扣款失败：余额不足")
        assert not Repayment.objects.exists()
