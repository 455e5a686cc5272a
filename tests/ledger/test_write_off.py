"""Writing a loan off (CONTRACT §14): finance, with a reason, at least WRITE_OFF_MIN_DPD days past
due; receivables to 6701; no more penalty; the customer still sees status 4; recoveries 1002/6301."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages

from ledger.accounts import EntryKind
from ledger.models import JournalEntry
from loans import selectors
from loans.models import LoanApplication
from loans.notices import send_daily_notices
from loans.overdue import mark_overdue
from loans.repayments import repay
from loans.signals import loan_written_off
from loans.writeoff import WriteOffRefused, write_off
from tests.factories import UserFactory, freeze_today
from tests.ledger.conftest import lines_of
from tests.loans.helpers import disbursed_loan, staff_user

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/loans/loanapplication/"
DISBURSED = date(2025, 1, 1)  # the seed's loan: 500 for 14 days, due 01-15, penalty 54 %
DAY_180 = date(2025, 7, 14)  # 180 days after 01-15


def finance_user():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="财务"))
    return user


class TestService:
    def test_default_threshold_is_180_days(self, quiet, settings):
        assert settings.WRITE_OFF_MIN_DPD == 180
        loan = disbursed_loan(DISBURSED)
        with pytest.raises(WriteOffRefused, match="逾期 179 天，不足 180 天"):
            write_off(loan, staff_user(), "失联", today=DAY_180 - timedelta(days=1))
        assert not JournalEntry.objects.filter(kind=EntryKind.WRITE_OFF).exists()
        write_off(loan, staff_user(), "失联", today=DAY_180)

    def test_receivables_move_to_6701_with_the_day_brought_up_to_date(self, quiet):
        """Last job ran on 03-01; the write-off on 07-14 first recomputes: 500 × 0.54 × 180 / 360 = 135.00."""
        loan = disbursed_loan(DISBURSED)
        mark_overdue(date(2025, 3, 1))
        officer = staff_user()
        write_off(loan, officer, "失联 半年", today=DAY_180)
        loan.refresh_from_db()
        assert (loan.status, loan.written_off_on, loan.written_off_by, loan.write_off_reason) == (4, DAY_180, officer, "失联 半年")
        entry = JournalEntry.objects.get(loan=loan, kind=EntryKind.WRITE_OFF)
        assert (entry.effective_date, entry.actor_user, entry.memo) == (DAY_180, officer, "失联 半年")
        assert dict(entry.lines.values_list("account", "amount")) == {"1303": -50000, "1132": -700, "1134": -13500, "6701": 64200}
        assert {a: v for a, v in lines_of(loan).items() if v} == {"1002": -50000, "6011": -700, "6031": -13500, "6701": 64200}

    def test_twice_refused_and_paid_off_refused(self, quiet):
        loan = disbursed_loan(DISBURSED)
        write_off(loan, staff_user(), "失联", today=DAY_180)
        with pytest.raises(WriteOffRefused, match="已于 2025-07-14 核销"):
            write_off(loan, staff_user(), "再次", today=DAY_180)
        with pytest.raises(WriteOffRefused, match="核销原因"):
            write_off(disbursed_loan(DISBURSED), staff_user(), "  ", today=DAY_180)

    def test_no_penalty_no_job_no_dunning_and_the_hook_is_called(self, quiet, monkeypatch):
        loan = disbursed_loan(DISBURSED)
        calls = []
        loan_written_off.connect(lambda sender, loan, by, **kw: calls.append(loan.code), weak=False, dispatch_uid="t")
        try:
            write_off(loan, staff_user(), "失联", today=DAY_180)
        finally:
            loan_written_off.disconnect(dispatch_uid="t")
        assert calls == [loan.code]
        count = JournalEntry.objects.count()
        assert mark_overdue(DAY_180 + timedelta(days=30)) == 0
        assert JournalEntry.objects.count() == count
        assert send_daily_notices(DAY_180 + timedelta(days=30)).overdue == 0

    def test_the_customer_sees_status_4_and_a_penalty_stopped_at_the_write_off(self, quiet):
        loan = disbursed_loan(DISBURSED)
        write_off(loan, staff_user(), "失联", today=DAY_180)
        later = DAY_180 + timedelta(days=60)
        assert LoanApplication.objects.get(pk=loan.pk).status == 4
        period = selectors.repay_periods(loan.user, "2", later).get()
        assert selectors.period_figures(period, later).penalty == Decimal("135.00")
        assert selectors.user_center(loan.user, later).total_need_pay_amount == Decimal("642.00")

    def test_later_repayments_are_recoveries(self, quiet):
        """500 + 7.00 interest + 135.00 penalty frozen at the write-off = 642.00, all to 6301."""
        loan = disbursed_loan(DISBURSED)
        write_off(loan, staff_user(), "失联", today=DAY_180)
        repayment = repay(loan.user, str(loan.periods.get().pk), "all", today=DAY_180 + timedelta(days=40))
        assert (repayment.amount, repayment.is_recovery) == (Decimal("642.00"), True)
        entry = JournalEntry.objects.get(event_key=f"repayment:{repayment.pk}")
        assert entry.kind == EntryKind.RECOVERY
        assert dict(entry.lines.values_list("account", "amount")) == {"1002": 64200, "6301": -64200}
        loan.refresh_from_db()
        assert loan.status == 5


class TestAdminAction:
    def post(self, client, loans, **data):
        payload = {"action": "write_off_loans", "_selected_action": [str(l.pk) for l in loans], **data}
        return client.post(CHANGELIST, payload, follow=True)

    def test_finance_confirms_with_a_reason(self, client, quiet, monkeypatch):
        freeze_today(monkeypatch, DAY_180)
        loan, young = disbursed_loan(DISBURSED), disbursed_loan(DAY_180 - timedelta(days=20))
        finance = finance_user()
        client.force_login(finance)
        form = self.post(client, [loan, young])
        page = form.content.decode()
        assert "核销原因" in page and "逾期满 180 天的借款才能核销" in page and "确认核销所选借款" in page
        assert 'name="post" value="yes"' in page
        assert not JournalEntry.objects.filter(kind=EntryKind.WRITE_OFF).exists()
        again = self.post(client, [loan], post="yes", reason="")
        assert "请填写原因" in again.content.decode()
        done = self.post(client, [loan, young], post="yes", reason="借款人失联超过半年")
        texts = [str(m) for m in get_messages(done.wsgi_request)]
        assert f"已核销 1 笔：{loan.code}" in texts
        assert any("不足 180 天" in text for text in texts)
        loan.refresh_from_db()
        assert (loan.written_off_by, loan.write_off_reason) == (finance, "借款人失联超过半年")
        log = LogEntry.objects.get(object_id=str(loan.pk))
        assert (log.user, log.change_message) == (finance, f"核销。核销日期：（空） → {DAY_180.isoformat()}。原因：借款人失联超过半年")

    def test_only_finance_sees_the_action(self, client, quiet):
        disbursed_loan(DISBURSED)  # an empty list shows no actions at all
        officer = UserFactory(is_staff=True)
        officer.groups.add(Group.objects.get(name="信贷专员"))
        client.force_login(officer)
        assert "write_off_loans" not in client.get(CHANGELIST).content.decode()
        client.force_login(finance_user())
        assert "write_off_loans" in client.get(CHANGELIST).content.decode()
