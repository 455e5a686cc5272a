"""The borrower's reads: seed §26 getRepayInfoList, §27 getUserCenterInfo, §28 getLoanApplyInfoList,
§29 getLoanApplyRepayList (CONTRACT §2 paging, §8 conditions). A user only ever sees their own loans."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loans import selectors
from loans.repayments import repay
from tests.factories import LoanApplicationFactory, UserFactory, VerifiedUserFactory
from tests.loans.helpers import disbursed_loan, login

pytestmark = pytest.mark.django_db

REPAY_INFO = "/appCommonApi/getRepayInfoList"
USER_CENTER = "/appCommonApi/getUserCenterInfo"
LOANS = "/appCommonApi/getLoanApplyInfoList"
SCHEDULE = "/appCommonApi/getLoanApplyRepayList"


@pytest.fixture
def borrower():
    """A paid-off 3000 flat loan (month 1 on schedule, then paid off on 2025-02-22), and a 500 /
    14-day loan disbursed 24 days ago, unpaid, 10 days overdue (penalty 500 × 0.54 × 10 / 360 = 7.50)."""
    user = VerifiedUserFactory(real_name="王豆豆", total_credit=Decimal("10000.00"))
    old = disbursed_loan(date(2025, 1, 15), instalments=True, user=user)
    repay(user, str(old.periods.get(number=1).pk), "current", today=date(2025, 2, 10))
    repay(user, str(old.periods.get(number=2).pk), "all", today=date(2025, 2, 22))
    current = disbursed_loan(timezone.localdate() - timedelta(days=24), user=user)
    user.old, user.current = old, current
    return user


@pytest.fixture
def stranger_loan():
    return disbursed_loan(timezone.localdate() - timedelta(days=20))


class TestRepayInfoList:
    """§26"""

    def test_rows_of_every_period(self, api, borrower, stranger_loan):
        reply = login(api, borrower).post(REPAY_INFO, {"pageNum": 1, "pageSize": 10, "condition": "0"})
        assert (reply.body["exceptionFlag"], reply.code, reply.body["responseMessage"]) == ("0000", "0000", "获取还款信息成功")
        assert (reply.body["total"], reply.body["pages"], reply.body["isFirstPage"], reply.body["isLastPage"]) == (4, 1, True, True)
        rows = reply.result
        assert [(r["code"], r["periodNum"]) for r in rows] == [(borrower.old.code, "1"), (borrower.old.code, "2"), (borrower.old.code, "3"), (borrower.current.code, "1")]
        due = timezone.localdate() - timedelta(days=10)
        current = borrower.current.periods.get()
        assert rows[3] == {
            "id": str(current.pk), "productName": "新现金贷", "code": borrower.current.code, "periodNum": "1",
            "dueRepayDate": f"{due.isoformat()} 23:59:59", "repayStatus": "0", "applyAmount": "500.00",
            "duePrincipal": "500.00", "dueInterest": "7.00", "duePenalty": "7.50", "dueFeeAmount": "0.00",
            "dueTotalAmount": "514.50", "needPayTotalAmount": "514.50",
            "contractUrl": f"/open/loanContract/{borrower.current.pk}",
        }
        # Paid off early in month 2: what was collected (interest 30 × 7 / 28 = 7.50), nothing left.
        assert {k: rows[1][k] for k in ("dueRepayDate", "repayStatus", "duePrincipal", "dueInterest", "duePenalty", "dueTotalAmount", "needPayTotalAmount")} == {
            "dueRepayDate": "2025-03-15 23:59:59", "repayStatus": "1", "duePrincipal": "1000.00", "dueInterest": "7.50",
            "duePenalty": "0.00", "dueTotalAmount": "1007.50", "needPayTotalAmount": "0.00",
        }
        assert str(stranger_loan.periods.get().pk) not in {r["id"] for r in rows}

    @pytest.mark.parametrize(
        "condition, expected",
        [
            ("", ["old1", "old2", "old3", "current1"]),
            (None, ["old1", "old2", "old3", "current1"]),
            ("1", ["old1", "old2", "old3"]),
            (1, ["old1", "old2", "old3"]),
            ("2", ["current1"]),
            ("3", ["current1"]),
            ("4", ["old2", "old3"]),
        ],
    )
    def test_conditions(self, api, borrower, condition, expected):
        """CONTRACT §8: 0/empty all, 1 paid, 2 unpaid, 3 overdue, 4 paid off early."""
        names = {borrower.old.code: "old", borrower.current.code: "current"}
        reply = login(api, borrower).post(REPAY_INFO, {"condition": condition})
        assert reply.ok
        assert [names[r["code"]] + r["periodNum"] for r in reply.result] == expected

    def test_missing_condition_means_all(self, api, borrower):
        assert login(api, borrower).post(REPAY_INFO, {}).body["total"] == 4

    def test_unpaid_but_not_yet_due_is_not_overdue(self, api):
        loan = disbursed_loan(timezone.localdate() - timedelta(days=3))
        login(api, loan.user)
        assert api.post(REPAY_INFO, {"condition": "2"}).body["total"] == 1
        assert api.post(REPAY_INFO, {"condition": "3"}).body["total"] == 0
        row = api.post(REPAY_INFO, {"condition": "2"}).result[0]
        assert (row["duePenalty"], row["dueTotalAmount"]) == ("0.00", "507.00")

    @pytest.mark.parametrize("condition", ["5", "-1", "x", "00", [1], {"a": 1}, True])
    def test_bad_condition(self, api, borrower, condition):
        reply = login(api, borrower).post(REPAY_INFO, {"condition": condition})
        assert (reply.body["exceptionFlag"], reply.code) == ("9999", "10001000")

    @pytest.mark.parametrize("paging", [{"pageNum": 0}, {"pageSize": 0}, {"pageNum": "x"}, {"pageSize": [1]}])
    def test_bad_paging(self, api, borrower, paging):
        assert login(api, borrower).post(REPAY_INFO, paging).code == "10001000"

    def test_paging(self, api, borrower):
        login(api, borrower)
        second = api.post(REPAY_INFO, {"pageNum": 2, "pageSize": 3})
        assert (second.body["total"], second.body["pages"], second.body["isLastPage"], len(second.result)) == (4, 2, True, 1)
        past_the_end = api.post(REPAY_INFO, {"pageNum": 9, "pageSize": 3})
        assert past_the_end.ok and past_the_end.result == []

    def test_a_user_without_loans_gets_an_empty_page(self, api, stranger_loan):
        reply = login(api, UserFactory()).post(REPAY_INFO, {})
        assert reply.ok and reply.result == [] and reply.body["total"] == 0


class TestUserCenter:
    """§27"""

    def test_totals(self, api, borrower):
        reply = login(api, borrower).post(USER_CENTER, {})
        assert (reply.code, reply.body["responseMessage"]) == ("0000", "获取个人中心统计数据成功")
        assert reply.result == {
            "realName": "王豆豆",
            "mobile": borrower.mobile,
            "availableCredit": "9500.00",  # 10000 − 500 unpaid principal
            "totalCredit": "10000.00",
            "totalApplyAmount": "3500.00",  # 3000 paid off + 500 disbursed
            "totalNeedPayAmount": "514.50",  # 500 + 7.00 + 7.50 penalty today
        }

    def test_no_limit_and_no_loans(self, api):
        user = UserFactory()
        reply = login(api, user).post(USER_CENTER, {})
        assert reply.result == {
            "realName": "", "mobile": user.mobile, "availableCredit": "", "totalCredit": "",
            "totalApplyAmount": "0.00", "totalNeedPayAmount": "0.00",
        }

    def test_pending_loans_count_against_credit_but_not_as_lent(self, api):
        loan = LoanApplicationFactory(user=VerifiedUserFactory(total_credit=Decimal("2000.00")))
        reply = login(api, loan.user).post(USER_CENTER, {})
        assert (reply.result["availableCredit"], reply.result["totalApplyAmount"], reply.result["totalNeedPayAmount"]) == ("1500.00", "0.00", "0.00")

    def test_not_logged_in(self, api):
        assert api.post(USER_CENTER, {}).code == "90004000"

    def test_periods_are_read_only_when_a_loan_is_disbursed(self, borrower, django_assert_num_queries):
        pending = LoanApplicationFactory(user=VerifiedUserFactory(total_credit=Decimal("2000.00")))
        with django_assert_num_queries(1):
            selectors.user_center(pending.user, timezone.localdate())
        with django_assert_num_queries(2):
            assert selectors.user_center(borrower, timezone.localdate()).total_need_pay_amount == Decimal("514.50")


class TestLoanApplyInfoList:
    """§28"""

    def test_fields_newest_first(self, api, borrower, stranger_loan):
        rejected = LoanApplicationFactory(user=borrower, status=3, purpose="", other_channels="")
        reply = login(api, borrower).post(LOANS, {"pageNum": 1, "pageSize": 10})
        assert (reply.code, reply.body["responseMessage"], reply.body["total"]) == ("0000", "获取我的借款信息成功", 3)
        assert [r["id"] for r in reply.result] == [str(rejected.pk), str(borrower.current.pk), str(borrower.old.pk)]
        old = reply.result[2]
        assert re.fullmatch(r"2025-01-15 \d\d:\d\d:\d\d", old.pop("releaseDate"))
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", old.pop("applyTime"))
        assert old == {
            "id": str(borrower.old.pk), "loanProductId": str(borrower.old.product_id), "name": "分期贷",
            "code": borrower.old.code, "applyStatus": "5", "applyAmount": "3000.00", "replyAmount": "2970.00",
            "repayType": "4", "termCount": "3", "termUnit": "2", "interestRate": "0.1200", "penaltyRate": "0.5400",
            "authTermCount": "3", "authTermUnit": "2", "useType": "21", "otherChannels": "01",
            "contractInfoList": [{"contractName": "借款合同", "contractPath": f"/open/loanContract/{borrower.old.pk}"}],
        }
        assert reply.result[0]["releaseDate"] == "" and reply.result[0]["applyStatus"] == "3"
        assert str(stranger_loan.pk) not in {r["id"] for r in reply.result}

    def test_apply_time_is_local(self, api):
        loan = LoanApplicationFactory()
        reply = login(api, loan.user).post(LOANS, {})
        assert reply.result[0]["applyTime"] == timezone.localtime(loan.applied_at).strftime("%Y-%m-%d %H:%M:%S")


class TestLoanApplyRepayList:
    """§29"""

    def test_schedule(self, api, borrower):
        reply = login(api, borrower).post(SCHEDULE, {"loanProductApplyId": str(borrower.old.pk), "pageNum": 1, "pageSize": 10})
        assert (reply.code, reply.body["responseMessage"], reply.body["total"]) == ("0000", "获取我的借款-每期还款成功", 3)
        first = borrower.old.periods.get(number=1)
        assert reply.result[0] == {
            "repayId": str(first.pk), "periodNum": "1",
            "dueRepayDate": "1739635199000",  # 2025-02-15 23:59:59 +08:00 = 15:59:59 UTC
            "duePrincipal": "1000.00", "dueInterest": "30.00", "fee": "0.00", "dueAmount": "1030.00",
            "loanProductApplyId": str(borrower.old.pk),
        }
        assert [r["periodNum"] for r in reply.result] == ["1", "2", "3"]

    def test_seed_date_vector(self):
        """Seed §29 sample: "1513180799000" is 2017-12-13 23:59:59 in Shanghai."""
        assert selectors.due_epoch_ms_str(date(2017, 12, 13)) == "1513180799000"

    @pytest.mark.parametrize("loan_id", ["stranger", "00000000-0000-0000-0000-000000000000", "garbage", 42])
    def test_anyone_elses_or_unknown_loan_is_an_empty_page(self, api, borrower, stranger_loan, loan_id):
        loan_id = str(stranger_loan.pk) if loan_id == "stranger" else loan_id
        reply = login(api, borrower).post(SCHEDULE, {"loanProductApplyId": loan_id})
        assert reply.ok and reply.result == [] and reply.body["total"] == 0

    @pytest.mark.parametrize("payload", [{}, {"loanProductApplyId": None}, {"loanProductApplyId": ["x"]}])
    def test_missing_id(self, api, borrower, payload):
        assert login(api, borrower).post(SCHEDULE, payload).code == "10001000"


class TestQueryCounts:
    """Queries do not grow with the page size."""

    @pytest.fixture
    def busy_borrower(self):
        user = VerifiedUserFactory(total_credit=Decimal("50000.00"))
        for _ in range(6):
            LoanApplicationFactory(user=user, status=3)
        disbursed_loan(date(2025, 1, 15), instalments=True, user=user, term_count=12)
        return user

    @pytest.mark.parametrize("path, extra", [(REPAY_INFO, {}), (LOANS, {}), (SCHEDULE, {"loan": True})])
    def test_page_size_one_and_fifty(self, api, busy_borrower, path, extra):
        login(api, busy_borrower)
        assert api.post(USER_CENTER, {}).ok  # the session's first request caches the user's snapshot
        payload = {}
        if extra:
            payload["loanProductApplyId"] = str(busy_borrower.loans.get(status=4).pk)
        counts = []
        for size in (1, 50):
            with CaptureQueriesContext(connection) as queries:
                reply = api.post(path, {**payload, "pageSize": size})
            assert reply.ok and len(reply.result) == (1 if size == 1 else reply.body["total"])
            counts.append(len(queries))
        assert reply.body["total"] >= 7
        # The whole list on one page needs no count; the repayment list never does (its rows carry the total).
        assert counts[1] == counts[0] - (path != REPAY_INFO) and counts[0] <= 6

    def test_user_center(self, api, busy_borrower, django_assert_max_num_queries):
        login(api, busy_borrower)
        with django_assert_max_num_queries(7):
            assert api.post(USER_CENTER, {}).ok
