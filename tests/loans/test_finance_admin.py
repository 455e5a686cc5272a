"""Finance's pages (CONTRACT §11, §15) through the admin over HTTP: 线下还款登记 with its proof,
减免申请, 还款冲正; four eyes on each (the proposer's own decision is refused, the wrong role has
no action), every proposal and decision a row of the operation log, waivers on the customer page,
and the pages in Chinese."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from loans import repayments
from loans.finance_models import OfflineRepayment, Reversal, Waiver
from loans.models import Repayment
from loans.overdue import mark_overdue
from tests.backoffice.helpers import staff_in
from tests.backoffice.test_chinese import english_words, visible_text
from tests.factories import UserFactory
from tests.loans.helpers import disbursed_loan

pytestmark = pytest.mark.django_db

D = Decimal
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OFFLINE = "/admin/loans/offlinerepayment/"
WAIVERS = "/admin/loans/waiver/"
REVERSALS = "/admin/loans/reversal/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def loan():
    """1000 for 14 days at 36 %, disbursed 20 days ago: 6 days late today (penalty 9.00)."""
    today = timezone.localdate()
    loan = disbursed_loan(today - timedelta(days=20), code="LNFIN0001", apply_amount=D("1000.00"))
    mark_overdue(today)
    return loan


def logged_in(client, user):
    client.force_login(user)
    return client


def offline_form(loan, **overrides):
    # 1000 + 14.00 + 1000 × 0.54 × 6 / 360 = 9.00
    return {
        "loan": loan.code, "kind": "current", "period_number": "1", "amount": "1023.00",
        "received_on": timezone.localdate().isoformat(), "channel": "bank_transfer", "reference": "TRX-001",
        "proof": SimpleUploadedFile("回单.pdf", PDF, "application/pdf"), "note": "", **overrides,
    }


def act(client, changelist, action, obj, **form):
    return client.post(changelist, {"action": action, "_selected_action": [obj.pk], "post": "yes", **form}, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


class TestOfflineRepayment:
    def test_recorded_with_a_proof_and_confirmed_by_a_second_finance_user(self, client, loan):
        clerk, checker = staff_in("财务"), staff_in("财务")
        page = logged_in(client, clerk).get(OFFLINE + "add/", {"loan": loan.code}).content.decode()
        assert "1023.00" in page  # what the loan asks for today, shown beside the form
        reply = client.post(OFFLINE + "add/", offline_form(loan))
        assert reply.status_code == 302, reply.content.decode()[:3000]
        record = OfflineRepayment.objects.get()
        assert (record.status, record.proposed_by, record.amount) == ("pending", clerk, D("1023.00"))
        refused = act(client, OFFLINE, "confirm_offline_repayments", record)
        assert any("经办人不能复核自己" in text for text in messages_of(refused))
        assert not Repayment.objects.exists()

        done = act(logged_in(client, checker), OFFLINE, "confirm_offline_repayments", record)
        assert any("已确认入账 1 笔" in text for text in messages_of(done))
        record.refresh_from_db()
        assert record.status == "approved" and record.repayment.amount == D("1023.00")
        log = [entry.change_message for entry in LogEntry.objects.order_by("pk")]
        assert len(log) == 2 and "登记线下还款" in log[0] and "确认入账" in log[1] and "已通过" in log[1]

    def test_the_form_refuses_an_amount_that_is_not_due_and_a_file_that_is_not_a_proof(self, client, loan):
        logged_in(client, staff_in("财务"))
        page = client.post(OFFLINE + "add/", offline_form(loan, amount="1000.00")).content.decode()
        assert "应还金额 1023.00 元不符" in page
        fake = SimpleUploadedFile("回单.pdf", b"<html>not a pdf</html>", "application/pdf")
        page = client.post(OFFLINE + "add/", offline_form(loan, proof=fake)).content.decode()
        assert "凭证须为 JPG、PNG 图片或 PDF 文件" in page
        assert not OfflineRepayment.objects.exists()

    def test_the_proof_is_served_only_to_staff_who_read_offline_repayments(self, client, loan):
        logged_in(client, staff_in("财务")).post(OFFLINE + "add/", offline_form(loan))
        record = OfflineRepayment.objects.get()
        url = f"{OFFLINE}{record.pk}/proof/"
        reply = client.get(url)
        assert reply.status_code == 200 and b"".join(reply.streaming_content) == PDF
        assert (reply["Content-Type"], reply["X-Content-Type-Options"]) == ("application/pdf", "nosniff")
        assert logged_in(client, staff_in("运营")).get(url).status_code == 403
        client.logout()
        assert client.get(url).status_code == 302  # to the admin login
        assert not url.startswith("/media")


class TestWaiver:
    def test_proposed_by_finance_and_approved_by_risk(self, client, loan):
        clerk, manager = staff_in("财务"), staff_in("风控")
        reply = logged_in(client, clerk).post(WAIVERS + "add/", {"loan": loan.code, "component": "penalty", "amount": "9.00", "reason": "客户住院"})
        assert reply.status_code == 302
        waiver = Waiver.objects.get()
        changelist = client.get(WAIVERS).content.decode()
        assert "approve_waivers" not in changelist  # finance may propose, not approve
        act(client, WAIVERS, "approve_waivers", waiver)
        assert Waiver.objects.get().status == "pending"

        done = act(logged_in(client, manager), WAIVERS, "approve_waivers", waiver)
        assert any("已批准减免 1 笔" in text for text in messages_of(done))
        period = loan.periods.get()
        assert (period.waived_penalty, period.penalty) == (D("9.00"), D("0.00"))
        page = logged_in(client, UserFactory(is_staff=True, is_superuser=True, mobile=None, username="管理员")).get(
            f"/admin/accounts/customer/{loan.user_id}/change/"
        ).content.decode()
        assert "客户住院" in page and "已通过" in page

    def test_the_app_asks_for_less_once_approved(self, client, api, loan):
        """Through the app's own endpoint: 1000 + 14.00 + 9.00 due; 5.00 of the penalty waived."""
        def row():
            api.client.force_login(loan.user)
            return api.post("/appCommonApi/getRepayInfoList", {"condition": "2"}).result[0]

        assert (row()["duePenalty"], row()["dueTotalAmount"]) == ("9.00", "1023.00")
        logged_in(client, staff_in("财务")).post(WAIVERS + "add/", {"loan": loan.code, "component": "penalty", "amount": "5.00", "reason": "协商"})
        assert row()["dueTotalAmount"] == "1023.00"  # proposed only
        act(logged_in(client, staff_in("风控")), WAIVERS, "approve_waivers", Waiver.objects.get())
        assert (row()["duePenalty"], row()["dueTotalAmount"]) == ("4.00", "1018.00")

    def test_the_proposer_cannot_approve_even_as_a_superuser(self, client, loan):
        boss = UserFactory(is_staff=True, is_superuser=True, mobile=None, username="管理员")
        logged_in(client, boss).post(WAIVERS + "add/", {"loan": loan.code, "component": "interest", "amount": "14.00", "reason": "补偿"})
        refused = act(client, WAIVERS, "approve_waivers", Waiver.objects.get())
        assert any("经办人不能复核自己" in text for text in messages_of(refused))


class TestReversal:
    def test_proposed_and_approved_by_two_finance_users(self, client, loan):
        repayment = repayments.repay(loan.user, str(loan.periods.get().pk), "current")
        clerk, checker = staff_in("财务"), staff_in("财务")
        reply = logged_in(client, clerk).post(REVERSALS + "add/", {"loan": loan.code, "reason": "银行退票"})
        assert reply.status_code == 302
        reversal = Reversal.objects.get()
        assert reversal.repayment == repayment
        done = act(logged_in(client, checker), REVERSALS, "approve_reversals", reversal)
        assert any("已批准冲正 1 笔" in text for text in messages_of(done))
        repayment.refresh_from_db()
        loan.refresh_from_db()
        assert repayment.reversed_on == timezone.localdate() and loan.status == 4

    def test_a_loan_officer_sees_none_of_it(self, client):
        logged_in(client, staff_in("信贷专员"))
        for url in (OFFLINE, WAIVERS, REVERSALS, OFFLINE + "add/"):
            assert client.get(url).status_code == 403


@pytest.mark.parametrize("page", [OFFLINE, WAIVERS, REVERSALS])
def test_a_loan_code_with_a_nul_is_no_loan_not_a_500(client, page):
    """PostgreSQL refuses a string with NUL: the form page names no loan."""
    logged_in(client, staff_in("财务"))
    assert client.get(page + "add/", {"loan": "LN\x00"}).status_code == 200


def test_the_pages_are_in_chinese_with_rows(client, loan):
    clerk, checker = staff_in("财务"), staff_in("财务")
    logged_in(client, clerk).post(WAIVERS + "add/", {"loan": loan.code, "component": "penalty", "amount": "1.00", "reason": "x"})
    client.post(OFFLINE + "add/", offline_form(loan))
    act(logged_in(client, checker), OFFLINE, "confirm_offline_repayments", OfflineRepayment.objects.get())
    logged_in(client, clerk).post(REVERSALS + "add/", {"loan": loan.code, "reason": "银行退票"})
    assert Waiver.objects.count() == Reversal.objects.count() == 1
    boss = UserFactory(is_staff=True, is_superuser=True, mobile=None, username="管理员")
    logged_in(client, boss)
    pages = [OFFLINE, WAIVERS, REVERSALS, OFFLINE + "add/", WAIVERS + "add/", REVERSALS + "add/", OFFLINE + f"add/?loan={loan.code}"]
    pages += [f"{OFFLINE}{OfflineRepayment.objects.get().pk}/change/", f"{REVERSALS}{Reversal.objects.get().pk}/change/"]
    for url in pages:
        reply = client.get(url)
        assert reply.status_code == 200, url
        assert english_words(visible_text(reply.content.decode())) == set(), url
