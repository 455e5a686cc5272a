"""The collector's workspace (CONTRACT §13): only their own cases, the case page's contents, the
contact log and promises (kept, broken the next day)."""

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry

from loans.repayments import repay
from recovery.contacts import PROMISE_MAX_DAYS
from recovery.models import CaseDay, ContactLog, PromiseStatus
from tests.backoffice.helpers import CARD_NUMBER, ID_NUMBER, customer_with_file
from tests.recovery.helpers import (
    collector,
    day,
    lead,
    open_case_of,
    run_job,
    seed_loan,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/recovery/collectioncase/"


def page_of(case) -> str:
    return f"{CHANGELIST}{case.pk}/change/"


@pytest.fixture
def two_cases(freeze):
    """Collectors a and b, one case each (a's borrower with a full file and an emergency contact)."""
    a, b = collector("a"), collector("b")
    mine = seed_loan(user=customer_with_file(), contact_name="李紧急", contact_phone="13700001111",
                     phonebook=[{"name": "通讯录里的人", "phone": "13600009999"}])
    theirs = seed_loan()
    run_job(5)
    cases = {open_case_of(loan).collector.username: open_case_of(loan) for loan in (mine, theirs)}
    if cases["a"].loan_id != mine.pk:  # the round gave mine to b: swap the collectors' names
        a, b = b, a
        cases = {"a": cases["b"], "b": cases["a"]}
    freeze(day(5))
    return a, b, cases["a"], cases["b"]


@pytest.fixture
def freeze(monkeypatch):
    from tests.factories import freeze_today

    return lambda today: freeze_today(monkeypatch, today)


class TestRowLevelAccess:
    def test_my_cases_lists_only_mine(self, client, two_cases):
        a, b, mine, theirs = two_cases
        client.force_login(a)
        response = client.get(CHANGELIST)
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == [mine]

    def test_another_collectors_case_is_403(self, client, two_cases):
        a, b, mine, theirs = two_cases
        client.force_login(a)
        assert client.get(page_of(theirs)).status_code == 403
        assert client.get(f"{CHANGELIST}{theirs.pk}/history/").status_code == 403
        assert client.post(page_of(theirs), {"channel": "call", "result": "no_answer"}).status_code == 403
        assert not ContactLog.objects.exists()
        assert client.get(f"{CHANGELIST}999999/change/").status_code == 404

    @pytest.mark.parametrize("case_id", ["²", "١", "𝟗"])  # str.isdigit() holds, int() refuses
    def test_an_odd_case_id_is_404_not_500(self, client, two_cases, case_id):
        client.force_login(two_cases[0])
        assert client.get(f"{CHANGELIST}{case_id}/change/").status_code == 404
        assert client.get(f"{CHANGELIST}{case_id}/history/").status_code == 404
        client.force_login(lead())
        assert client.get(f"{CHANGELIST}?collector={case_id}").status_code == 200

    def test_the_lead_reads_every_case_but_logs_no_contact(self, client, two_cases):
        a, b, mine, theirs = two_cases
        client.force_login(lead())
        assert client.get(page_of(theirs)).status_code == 200
        assert len(client.get(CHANGELIST).context["cl"].result_list) == 2
        assert client.post(page_of(theirs), {"channel": "call", "result": "no_answer"}).status_code == 403

    def test_other_roles_see_no_case(self, client, two_cases):
        from tests.backoffice.helpers import staff_in

        client.force_login(staff_in("信贷专员"))
        assert client.get(CHANGELIST).status_code == 403
        assert client.get(page_of(two_cases[2])).status_code == 403


class TestCasePage:
    def test_shows_what_the_contract_allows_and_nothing_more(self, client, two_cases):
        a, b, mine, theirs = two_cases
        client.force_login(a)
        html = client.get(page_of(mine)).content.decode()
        borrower = mine.loan.user
        for shown in ("王豆豆", borrower.mobile, "李紧急", "13700001111", "M1", "5 天", "500.00", "7.00", "3.75", "510.75"):
            assert shown in html, shown
        assert ID_NUMBER not in html and ID_NUMBER[:6] + "********" + ID_NUMBER[-4:] in html
        assert CARD_NUMBER not in html and CARD_NUMBER[-4:] in html
        assert "通讯录里的人" not in html and "13600009999" not in html  # never the phone book
        assert "王父" not in html and "13911112222" not in html  # nor the customer's own contact list
        assert LogEntry.objects.filter(object_id=str(mine.pk), user=a, change_message__contains="完整手机号").count() == 1


    def test_a_page_shown_again_after_a_refused_form_is_logged_too(self, client, two_cases):
        """The refused form answers with the whole page, full mobile included: a view like any other."""
        a, b, mine, theirs = two_cases
        client.force_login(a)
        response = client.post(page_of(mine), {"channel": "call", "result": "promise"})
        assert response.status_code == 200 and mine.loan.user.mobile in response.content.decode()
        assert LogEntry.objects.filter(object_id=str(mine.pk), user=a, change_message__contains="完整手机号").count() == 1


class TestContactLog:
    def test_a_contact_is_logged_and_listed(self, client, two_cases):
        a, b, mine, theirs = two_cases
        client.force_login(a)
        response = client.post(page_of(mine), {"channel": "call", "result": "no_answer", "note": "未接"})
        assert response.status_code == 302
        entry = ContactLog.objects.get()
        assert (entry.case, entry.collector, entry.channel, entry.result, entry.note, entry.promise_status) == (
            mine, a, "call", "no_answer", "未接", "",
        )
        assert "未接" in client.get(page_of(mine)).content.decode()

    def test_a_promise_needs_a_date_not_past_and_an_amount(self, client, two_cases):
        a, b, mine, theirs = two_cases
        client.force_login(a)
        for fields in ({}, {"promise_date": day(4).isoformat(), "promise_amount": "100"}, {"promise_date": day(6).isoformat(), "promise_amount": "0"}):
            response = client.post(page_of(mine), {"channel": "call", "result": "promise", **fields})
            assert response.status_code == 200
        assert not ContactLog.objects.exists()

    def test_a_promise_years_ahead_is_refused(self, client, two_cases):
        """A promise is for the coming weeks: one dated 9999-12-31 would never be broken (跳票)."""
        a, b, mine, theirs = two_cases
        client.force_login(a)
        for promised in ("9999-12-31", day(5 + PROMISE_MAX_DAYS + 1).isoformat()):
            response = client.post(page_of(mine), {"channel": "call", "result": "promise", "promise_date": promised, "promise_amount": "100"})
            assert response.status_code == 200 and f"承诺还款日不能晚于 {PROMISE_MAX_DAYS} 天后" in response.content.decode()
        assert not ContactLog.objects.exists()
        response = client.post(page_of(mine), {"channel": "call", "result": "promise", "promise_date": day(5 + PROMISE_MAX_DAYS).isoformat(), "promise_amount": "100"})
        assert response.status_code == 302 and ContactLog.objects.count() == 1

    def test_the_list_sorts_by_dpd_and_shows_promises(self, client, two_cases):
        a, b, mine, theirs = two_cases
        client.force_login(a)
        client.post(page_of(mine), {"channel": "call", "result": "promise", "promise_date": day(7).isoformat(), "promise_amount": "510.75"})
        html = client.get(CHANGELIST).content.decode()
        assert f"{day(7):%m-%d} 还 510.75" in html


class TestPromises:
    def promise(self, case, by, amount: str, on):
        from recovery.contacts import log_contact

        return log_contact(case, by, channel="call", result="promise", promise_date=on, promise_amount=Decimal(amount), today=day(5))

    def test_a_promise_not_kept_marks_the_case_broken_the_next_day(self, two_cases):
        a, b, mine, theirs = two_cases
        entry = self.promise(mine, a, "300.00", day(7))
        run_job(7)  # the promise's own day: not yet broken
        assert open_case_of(mine.loan).broken_promise is False
        run_job(8)
        case = open_case_of(mine.loan)
        entry.refresh_from_db()
        assert (case.broken_promise, case.promise_status, case.promise_date, entry.promise_status) == (True, "broken", None, PromiseStatus.BROKEN)
        assert CaseDay.objects.get(case=case, date=day(8)).broken_promise is True

    def test_a_kept_promise_is_shown_as_kept(self, client, two_cases):
        """3000 flat over 3 months from 01-15: on 03-20 periods 1 and 2 are overdue. The promise
        of 1000 by 03-22 is met by paying period 1 (1000 + 30.00 + 33 days × 1.50) on 03-21;
        period 2 still overdue, the case stays open and shows the promise kept."""
        from datetime import date

        from loans.overdue import mark_overdue
        from recovery.contacts import log_contact
        from tests.loans.helpers import disbursed_loan

        a = two_cases[0]
        loan = disbursed_loan(date(2025, 1, 15), instalments=True)
        mark_overdue(date(2025, 3, 20))
        case = open_case_of(loan)
        case.collector = a
        case.save()
        entry = log_contact(case, a, channel="call", result="promise", promise_date=date(2025, 3, 22),
                            promise_amount=Decimal("1000.00"), today=date(2025, 3, 20))
        repay(loan.user, str(loan.periods.get(number=1).pk), "current", today=date(2025, 3, 21))
        entry.refresh_from_db()
        case = open_case_of(loan)
        assert (entry.promise_status, case.promise_status, case.broken_promise, case.promise_date) == ("kept", "kept", False, None)
        mark_overdue(date(2025, 3, 23))
        assert open_case_of(loan).broken_promise is False
        client.force_login(a)
        assert "已兑现" in client.get(CHANGELIST).content.decode()

    def test_a_promise_short_of_its_amount_is_broken(self, two_cases):
        """Paying period 1 (1030.00 + penalty) does not meet a promise of 2000."""
        from datetime import date

        from loans.overdue import mark_overdue
        from recovery.contacts import log_contact
        from tests.loans.helpers import disbursed_loan

        a = two_cases[0]
        loan = disbursed_loan(date(2025, 1, 15), instalments=True)
        mark_overdue(date(2025, 3, 20))
        entry = log_contact(open_case_of(loan), a, channel="call", result="promise", promise_date=date(2025, 3, 21),
                            promise_amount=Decimal("2000.00"), today=date(2025, 3, 20))
        repay(loan.user, str(loan.periods.get(number=1).pk), "current", today=date(2025, 3, 21))
        entry.refresh_from_db()
        assert entry.promise_status == "pending"
        mark_overdue(date(2025, 3, 22))
        entry.refresh_from_db()
        assert (entry.promise_status, open_case_of(loan).broken_promise) == ("broken", True)

    def test_a_new_promise_replaces_the_pending_one(self, two_cases):
        a, b, mine, theirs = two_cases
        first = self.promise(mine, a, "100.00", day(6))
        self.promise(mine, a, "200.00", day(9))
        first.refresh_from_db()
        case = open_case_of(mine.loan)
        assert (first.promise_status, case.promise_date, case.promise_amount) == (PromiseStatus.REPLACED, day(9), Decimal("200.00"))
        run_job(7)
        assert open_case_of(mine.loan).broken_promise is False  # the replaced promise's day passed unheeded
