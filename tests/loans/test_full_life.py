"""A loan's whole life, services and endpoints together (CONTRACT §8; seed §26–29, §36):
application (ORM) → approve → disburse on a fixed date → overdue job → repay → paid off,
with every read endpoint telling the same story at each step."""

from datetime import date
from decimal import Decimal

import pytest

from loans import lifecycle
from loans.models import StatusChange
from loans.overdue import mark_overdue
from tests.factories import LoanApplicationFactory, VerifiedUserFactory, freeze_today
from tests.loans.helpers import login, staff_user

pytestmark = pytest.mark.django_db


class Views:
    def __init__(self, api, loan):
        self.api, self.loan = api, loan

    def repay_rows(self, condition=""):
        reply = self.api.post("/appCommonApi/getRepayInfoList", {"condition": condition})
        assert reply.ok
        return reply.result

    def centre(self):
        return self.api.post("/appCommonApi/getUserCenterInfo", {}).result

    def loan_row(self):
        rows = self.api.post("/appCommonApi/getLoanApplyInfoList", {}).result
        return next(r for r in rows if r["id"] == str(self.loan.pk))

    def schedule(self):
        return self.api.post("/appCommonApi/getLoanApplyRepayList", {"loanProductApplyId": str(self.loan.pk)}).result

    def repay(self, period_id, kind):
        return self.api.post("/appCommonApi/gotoRepayment", {"id": period_id, "repayType": kind})


def test_day_loan_overdue_then_paid_off(api, monkeypatch):
    """500 for 14 days at 36 %, 50.00 service fee, penalty 54 %, disbursed 2025-03-01, due 03-15.
    Interest 500 × 0.36 × 14 / 360 = 7.00. Job on 03-20: 5 days late, 500 × 0.54 × 5 / 360 = 3.75.
    Paid off on 03-25: 10 days late, penalty 7.50, total 514.50."""
    officer = staff_user()
    user = VerifiedUserFactory(total_credit=Decimal("5000.00"))
    loan = LoanApplicationFactory(user=user, service_fee=Decimal("50.00"))
    views = Views(login(api, user), loan)

    freeze_today(monkeypatch, date(2025, 2, 28))
    assert views.loan_row()["applyStatus"] == "0" and views.repay_rows() == [] and views.schedule() == []
    assert views.centre()["availableCredit"] == "4500.00"

    lifecycle.approve(loan, officer)
    finance = staff_user()  # another staff user disburses (four eyes)
    lifecycle.disburse(loan, finance, on=date(2025, 3, 1))

    freeze_today(monkeypatch, date(2025, 3, 10))
    row = views.loan_row()
    assert (row["applyStatus"], row["replyAmount"], row["releaseDate"][:10]) == ("4", "450.00", "2025-03-01")
    (period,) = views.repay_rows()
    assert (period["dueRepayDate"], period["duePenalty"], period["dueTotalAmount"], period["needPayTotalAmount"]) == (
        "2025-03-15 23:59:59", "0.00", "507.00", "507.00",
    )
    assert views.schedule() == [{
        "repayId": period["id"], "periodNum": "1", "dueRepayDate": "1742054399000", "duePrincipal": "500.00",
        "dueInterest": "7.00", "fee": "0.00", "dueAmount": "507.00", "loanProductApplyId": str(loan.pk),
    }]
    assert views.centre() == {
        "realName": "王豆豆", "mobile": user.mobile, "availableCredit": "4500.00", "totalCredit": "5000.00",
        "totalApplyAmount": "500.00", "totalNeedPayAmount": "507.00",
    }

    assert mark_overdue(date(2025, 3, 20)) == 1
    stored = loan.periods.get()
    assert (stored.is_overdue, stored.penalty) == (True, Decimal("3.75"))

    freeze_today(monkeypatch, date(2025, 3, 25))
    (period,) = views.repay_rows("3")
    assert (period["duePenalty"], period["dueTotalAmount"], period["needPayTotalAmount"]) == ("7.50", "514.50", "514.50")
    assert views.centre()["totalNeedPayAmount"] == "514.50"

    reply = views.repay(period["id"], "all")
    assert (reply.code, reply.result["amount"]) == ("0000", "514.50")

    (paid,) = views.repay_rows("1")
    assert (paid["repayStatus"], paid["duePenalty"], paid["dueTotalAmount"], paid["needPayTotalAmount"]) == ("1", "7.50", "514.50", "0.00")
    assert views.repay_rows("2") == [] and views.repay_rows("4") == []
    assert views.centre() == {
        "realName": "王豆豆", "mobile": user.mobile, "availableCredit": "5000.00", "totalCredit": "5000.00",
        "totalApplyAmount": "500.00", "totalNeedPayAmount": "0.00",
    }
    assert views.loan_row()["applyStatus"] == "5"
    assert views.schedule()[0]["dueAmount"] == "507.00"  # the contractual schedule does not change
    assert views.repay(period["id"], "all").code == "20006002"
    assert views.repay(period["id"], "current").code == "20006002"

    loan.refresh_from_db()
    assert loan.status == 5 and loan.paid_off_at is not None
    assert list(StatusChange.objects.filter(application=loan).values_list("from_status", "to_status", "changed_by")) == [
        (0, 2, officer.pk), (2, 4, finance.pk), (4, 5, None),
    ]


def test_instalment_loan_one_month_on_time_then_overdue_then_paid_off(api, monkeypatch):
    """3000 flat over 3 months at 12 %, disbursed 2025-01-15: 1030.00 a month (1000 + 30).
    02-15: period 1 paid on its due date, 1030.00.
    03-20 job: period 2 (due 03-15) 5 days late, 1000 × 0.54 × 5 / 360 = 7.50.
    03-25 pay-off: period 2 10 days late 1030 + 15.00 = 1045.00; period 3 (03-15 → 04-15, 31 days)
    10 days of interest 30 × 10 / 31 = 9.68, + 1000 = 1009.68. Total 2054.68; all repayments 3084.68."""
    officer = staff_user()
    user = VerifiedUserFactory()
    loan = LoanApplicationFactory(user=user, instalments=True)
    lifecycle.approve(loan, officer)
    lifecycle.disburse(loan, staff_user(), on=date(2025, 1, 15))
    views = Views(login(api, user), loan)
    ids = [row["id"] for row in views.repay_rows()]

    freeze_today(monkeypatch, date(2025, 2, 15))
    assert views.repay(ids[0], "current").result["amount"] == "1030.00"
    assert views.centre()["totalNeedPayAmount"] == "2060.00"

    mark_overdue(date(2025, 3, 20))
    assert [str(p.penalty) for p in loan.periods.order_by("number")] == ["0.00", "7.50", "0.00"]

    freeze_today(monkeypatch, date(2025, 3, 25))
    assert [r["duePenalty"] for r in views.repay_rows("2")] == ["15.00", "0.00"]
    assert views.centre()["totalNeedPayAmount"] == "2075.00"  # 1030 + 15.00 + 1030 (all interest until paid off)
    assert views.repay(ids[2], "all").result["amount"] == "2054.68"

    rows = views.repay_rows()
    assert [(r["repayStatus"], r["dueTotalAmount"], r["needPayTotalAmount"]) for r in rows] == [
        ("1", "1030.00", "0.00"), ("1", "1045.00", "0.00"), ("1", "1009.68", "0.00"),
    ]
    assert [r["periodNum"] for r in views.repay_rows("4")] == ["3"]
    assert sum(Decimal(r["dueTotalAmount"]) for r in rows) == sum(r.amount for r in loan.repayments.all()) == Decimal("3084.68")
    assert views.centre()["totalApplyAmount"] == "3000.00" and views.centre()["totalNeedPayAmount"] == "0.00"
    assert views.loan_row()["applyStatus"] == "5"
