"""The review of applications and their payout (issue 14, CONTRACT §11): claim and release, who
may decide a claimed loan, reject with a reason from the list and a note, the four eyes, the
disbursement provider (a failed payout kept, the loan still approved) -- the services directly,
then through the admin's actions as each role."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages

from ledger.models import JournalEntry
from loans import lifecycle
from loans.disbursements import DisbursementProvider, PayoutResult
from loans.lifecycle import ClaimedByOther, FourEyes, InvalidTransition, PayoutFailed
from loans.models import Disbursement, LoanApplication, RejectReason, StatusChange
from tests.backoffice.helpers import staff_in
from tests.factories import LoanApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/loans/loanapplication/"


class FailingProvider(DisbursementProvider):
    name = "bank"

    def pay_out(self, application, amount, reference):
        return PayoutResult(ok=False, error="收款卡已注销")


@pytest.fixture
def officer():
    return staff_in("信贷专员", username="officer-a")


@pytest.fixture
def other_officer():
    return staff_in("信贷专员", username="officer-b")


@pytest.fixture
def finance():
    return staff_in("财务", username="finance-a")


def history(loan):
    return list(StatusChange.objects.filter(application=loan).values_list("from_status", "to_status", "actor", "changed_by", "note"))


def fresh(loan) -> LoanApplication:
    return LoanApplication.objects.get(pk=loan.pk)


class TestClaim:
    def test_claim_assigns_the_officer_and_release_gives_it_back(self, officer):
        loan = LoanApplicationFactory()
        lifecycle.claim(loan, officer)
        claimed = fresh(loan)
        assert (claimed.status, claimed.claimed_by, claimed.claimed_at is not None) == (1, officer, True)
        lifecycle.release(loan, officer)
        released = fresh(loan)
        assert (released.status, released.claimed_by, released.claimed_at) == (0, None, None)
        assert history(loan) == [(0, 1, "staff", officer.pk, ""), (1, 0, "staff", officer.pk, "")]

    def test_a_claimed_loan_cannot_be_claimed_again(self, officer, other_officer):
        loan = LoanApplicationFactory()
        lifecycle.claim(loan, officer)
        with pytest.raises(InvalidTransition):
            lifecycle.claim(loan, other_officer)
        assert fresh(loan).claimed_by == officer

    @pytest.mark.parametrize("service", ["release", "approve", "reject"])
    def test_only_the_claimer_decides_or_releases(self, officer, other_officer, service):
        loan = LoanApplicationFactory()
        lifecycle.claim(loan, officer)
        with pytest.raises(ClaimedByOther) as refused:
            getattr(lifecycle, service)(loan, other_officer)
        assert "officer-a" in str(refused.value)
        assert (fresh(loan).status, fresh(loan).claimed_by) == (1, officer)
        assert len(history(loan)) == 1

    def test_a_superuser_decides_a_loan_someone_else_claimed(self, officer):
        loan = LoanApplicationFactory()
        lifecycle.claim(loan, officer)
        boss = UserFactory(is_staff=True, is_superuser=True)
        lifecycle.approve(loan, boss)
        approved = fresh(loan)
        assert (approved.status, approved.reviewed_by, approved.claimed_by) == (2, boss, None)

    def test_the_claimer_approves_and_the_claim_ends(self, officer):
        loan = LoanApplicationFactory()
        lifecycle.claim(loan, officer)
        lifecycle.approve(loan, officer)
        approved = fresh(loan)
        assert (approved.status, approved.reviewed_by, approved.claimed_by, approved.claimed_at) == (2, officer, None, None)

    def test_an_unclaimed_pending_loan_is_approved_directly(self, officer):
        """CONTRACT §11: approving works from status 0 or 1."""
        loan = LoanApplicationFactory()
        assert lifecycle.approve(loan, officer).status == 2


class TestReject:
    def test_the_reason_is_stored_and_shown_in_the_history(self, officer):
        loan = LoanApplicationFactory()
        reason = RejectReason.objects.get(name="收入不足")
        lifecycle.reject(loan, officer, "月收入低于三千", reason=reason)
        rejected = fresh(loan)
        assert (rejected.status, rejected.reject_reason, rejected.reviewed_by) == (3, reason, officer)
        assert history(loan) == [(0, 3, "staff", officer.pk, "收入不足（月收入低于三千）")]

    def test_the_list_starts_with_the_usual_reasons_and_staff_extend_it(self, client, officer):
        assert "资料不实" in set(RejectReason.objects.values_list("name", flat=True))
        client.force_login(officer)
        response = client.post("/admin/loans/rejectreason/add/", {"name": "工作单位无法核实", "is_active": "on", "order": "5"})
        assert response.status_code == 302
        page = client.post(CHANGELIST, {"action": "reject_applications", "_selected_action": [str(LoanApplicationFactory().pk)]})
        assert '<option value="工作单位无法核实">' in page.content.decode()

    def test_a_switched_off_reason_is_no_longer_offered(self, client, officer):
        RejectReason.objects.filter(name="其他").update(is_active=False)
        loan = LoanApplicationFactory()
        client.force_login(officer)
        page = client.post(CHANGELIST, {"action": "reject_applications", "_selected_action": [str(loan.pk)], "post": "yes", "reason": "其他", "note": "x"})
        assert "请从列表中选择拒绝原因" in page.content.decode()
        assert fresh(loan).status == 0


class TestDisbursement:
    def test_the_approver_may_not_disburse(self, officer):
        loan = LoanApplicationFactory()
        lifecycle.approve(loan, officer)
        with pytest.raises(FourEyes):
            lifecycle.disburse(loan, officer)
        assert fresh(loan).status == 2 and not Disbursement.objects.exists()

    def test_four_eyes_can_be_switched_off(self, officer, settings):
        settings.FOUR_EYES = False
        loan = LoanApplicationFactory()
        lifecycle.approve(loan, officer)
        assert lifecycle.disburse(loan, officer).status == 4

    def test_another_user_disburses_through_the_provider(self, officer, finance):
        loan = LoanApplicationFactory(service_fee=Decimal("50.00"))
        lifecycle.approve(loan, officer)
        lifecycle.disburse(loan, finance)
        attempt = Disbursement.objects.get()
        assert (attempt.amount, attempt.succeeded, attempt.provider, attempt.requested_by) == (Decimal("450.00"), True, "immediate", finance)
        assert attempt.provider_reference == str(attempt.pk)
        assert fresh(loan).status == 4 and JournalEntry.objects.filter(kind="disbursement").count() == 1

    def test_a_failed_payout_leaves_the_loan_approved_with_the_failure_recorded(self, officer, finance, settings):
        settings.DISBURSEMENT_PROVIDER = "tests.loans.test_review.FailingProvider"
        loan = LoanApplicationFactory()
        lifecycle.approve(loan, officer)
        with pytest.raises(PayoutFailed) as failed:
            lifecycle.disburse(loan, finance)
        assert "收款卡已注销" in str(failed.value)
        after = fresh(loan)
        assert (after.status, after.disbursed_at) == (2, None) and not after.periods.exists()
        attempt = Disbursement.objects.get()
        assert (attempt.succeeded, attempt.error, attempt.provider) == (False, "收款卡已注销", "bank")
        assert not JournalEntry.objects.filter(kind="disbursement").exists()
        assert [row[1] for row in history(loan)] == [2]


def act(client, action, loans, **data):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [str(loan.pk) for loan in loans], **data}, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


class TestActionsByRole:
    def test_an_officer_claims_and_another_is_refused(self, client, officer, other_officer):
        loan = LoanApplicationFactory()
        client.force_login(officer)
        assert f"已领取 1 笔：{loan.code}" in messages_of(act(client, "claim_applications", [loan]))
        entry = LogEntry.objects.get(object_id=str(loan.pk))
        assert entry.change_message == "领取。状态：待审核 → 审核中；领取人：（空） → officer-a"
        client.force_login(other_officer)
        refused = messages_of(act(client, "approve_applications", [loan]))
        assert any("已由 officer-a 领取审核" in text for text in refused)
        assert fresh(loan).status == 1

    def test_an_officer_cannot_disburse(self, client, officer):
        loan = LoanApplicationFactory(status=2)
        client.force_login(officer)
        assert 'value="disburse_applications"' not in client.get(CHANGELIST).content.decode()
        act(client, "disburse_applications", [loan], post="yes")
        assert fresh(loan).status == 2 and not Disbursement.objects.exists()

    @pytest.mark.parametrize("action", ["claim_applications", "release_applications", "approve_applications", "reject_applications"])
    def test_finance_cannot_review(self, client, finance, action):
        loan = LoanApplicationFactory()
        client.force_login(finance)
        assert f'value="{action}"' not in client.get(CHANGELIST).content.decode()
        act(client, action, [loan], post="yes", reason="收入不足", note="x")
        assert fresh(loan).status == 0 and not StatusChange.objects.exists()

    def test_the_confirmation_page_lists_amount_fee_net_and_total(self, client, officer, finance):
        first = LoanApplicationFactory(status=2, apply_amount=Decimal("1000.00"), service_fee=Decimal("100.00"))
        second = LoanApplicationFactory(status=2, apply_amount=Decimal("2500.00"), service_fee=Decimal("25.50"))
        pending = LoanApplicationFactory()
        client.force_login(finance)
        page = client.post(CHANGELIST, {"action": "disburse_applications", "_selected_action": [str(first.pk), str(second.pk), str(pending.pk)]})
        html = page.content.decode()
        for figure in ("1000.00", "100.00", "900.00", "2500.00", "25.50", "2474.50", "3500.00", "125.50", "3374.50"):
            assert figure in html, figure
        assert "确认放款 2 笔，共打款 3374.50 元" in html
        assert "不会放款：当前状态为「待审核」，不能放款" in html
        assert 'name="post" value="yes"' in html and 'name="action" value="disburse_applications"' in html
        assert fresh(first).status == 2  # nothing paid before the confirmation

        done = messages_of(act(client, "disburse_applications", [first, second, pending], post="yes"))
        assert any(text.startswith("已放款 2 笔") for text in done)
        assert (fresh(first).status, fresh(second).status, fresh(pending).status) == (4, 4, 0)

    def test_the_approvers_own_disbursement_is_refused(self, client):
        """A staff user in both roles (or a superuser) approves: the payout needs someone else."""
        boss = UserFactory(is_staff=True, is_superuser=True, username="boss", mobile=None)
        loan = LoanApplicationFactory()
        client.force_login(boss)
        act(client, "approve_applications", [loan])
        page = client.post(CHANGELIST, {"action": "disburse_applications", "_selected_action": [str(loan.pk)]}).content.decode()
        assert "不会放款：您审核通过了这笔借款，须由另一位员工放款（四眼原则）" in page and "确认放款" not in page
        refused = messages_of(act(client, "disburse_applications", [loan], post="yes"))
        assert any("四眼原则" in text for text in refused)
        assert fresh(loan).status == 2

    def test_a_failed_payout_is_reported_and_kept(self, client, finance, settings):
        settings.DISBURSEMENT_PROVIDER = "tests.loans.test_review.FailingProvider"
        loan = LoanApplicationFactory(status=2)
        client.force_login(finance)
        refused = messages_of(act(client, "disburse_applications", [loan], post="yes"))
        assert any("未能放款" in text and "收款卡已注销" in text for text in refused)
        assert fresh(loan).status == 2
        assert Disbursement.objects.get().error == "收款卡已注销"  # kept although the action's transaction saw a refusal
        assert not LogEntry.objects.filter(object_id=str(loan.pk)).exists()

    def test_the_sheets_buttons_come_back_to_the_sheet(self, client, officer):
        loan = LoanApplicationFactory()
        client.force_login(officer)
        response = client.post(CHANGELIST, {"action": "claim_applications", "_selected_action": [str(loan.pk)], "back_to_loan": str(loan.pk)})
        assert response.status_code == 302 and response["Location"] == f"{CHANGELIST}{loan.pk}/change/"
        response = client.post(
            CHANGELIST,
            {"action": "reject_applications", "_selected_action": [str(loan.pk)], "post": "yes", "reason": "资料不实", "note": "身份证照片模糊", "back_to_loan": str(loan.pk)},
        )
        assert response.status_code == 302 and response["Location"] == f"{CHANGELIST}{loan.pk}/change/"
        assert fresh(loan).status == 3


class TestStatusChangeList:
    def test_searchable_and_read_only_with_the_three_kinds_of_actor(self, client, officer):
        loan = LoanApplicationFactory(code="LN-SEARCH-1")
        other = LoanApplicationFactory()
        StatusChange.objects.create(application=loan, from_status=None, to_status=0, actor="customer")
        lifecycle.claim(loan, officer)
        StatusChange.objects.create(application=other, from_status=0, to_status=3, actor="system", note="年龄不符")
        client.force_login(officer)
        page = client.get("/admin/loans/statuschange/", {"q": "LN-SEARCH-1"}).content.decode()
        assert "提交申请 → 待审核" in page and "待审核 → 审核中" in page and "员工 officer-a" in page
        assert "年龄不符" not in page
        assert "年龄不符" in client.get("/admin/loans/statuschange/", {"actor__exact": "system"}).content.decode()
        assert client.get("/admin/loans/statuschange/add/").status_code == 403
        change = StatusChange.objects.filter(application=other).get()
        assert client.post(f"/admin/loans/statuschange/{change.pk}/change/", {"note": "x"}).status_code == 403


def test_waiting_time_reads_in_days_hours_and_minutes():
    from loans.review import duration_text

    assert duration_text(timedelta(days=2, hours=3, minutes=5)) == "2 天 3 小时"
    assert duration_text(timedelta(hours=5, minutes=12)) == "5 小时 12 分"
    assert duration_text(timedelta(minutes=8, seconds=30)) == "8 分钟"
    assert duration_text(None) == "—"


def test_an_empty_reason_list_gets_the_usual_reasons_after_migrate_and_a_started_one_is_kept():
    from loans.reject_reasons import DEFAULT_REASONS, ensure_reasons

    RejectReason.objects.all().delete()
    ensure_reasons()
    assert list(RejectReason.objects.values_list("name", flat=True)) == DEFAULT_REASONS
    RejectReason.objects.exclude(name="其他").delete()
    RejectReason.objects.create(name="工作单位无法核实")
    ensure_reasons()
    assert set(RejectReason.objects.values_list("name", flat=True)) == {"其他", "工作单位无法核实"}
