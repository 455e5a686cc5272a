"""The back office of loans: officers act through the three actions only (task brief; CONTRACT §8
"staff move them in the admin")."""

from datetime import date

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages

from loans.models import LoanApplication, StatusChange
from loans.permissions import LOAN_OFFICER_PERMISSIONS
from tests.backoffice.helpers import staff_in
from tests.factories import LoanApplicationFactory, UserFactory
from tests.loans.helpers import disbursed_loan

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/loans/loanapplication/"


@pytest.fixture
def officer(client):
    user = UserFactory(is_staff=True)
    for name in LOAN_OFFICER_PERMISSIONS:
        app_label, codename = name.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    client.force_login(user)
    return user


@pytest.fixture
def finance(client):
    """Finance disburses (CONTRACT §11), through the confirmation page."""
    user = staff_in("财务")
    client.force_login(user)
    return user


@pytest.fixture
def viewer(client):
    """Staff who may look at loans but not review them."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_loanapplication"))
    client.force_login(user)
    return user


def run_action(client, action, loans, *, confirmed=False, **form):
    data = {"action": action, "_selected_action": [str(loan.pk) for loan in loans], **form}
    if form or confirmed:
        data["post"] = "yes"  # the confirmation page posts back with post=yes (CONTRACT §11)
    return client.post(CHANGELIST, data, follow=True)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_every_officer_permission_exists():
    for name in LOAN_OFFICER_PERMISSIONS:
        app_label, codename = name.split(".")
        assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists(), name


class TestActions:
    def test_approve(self, client, officer):
        pending, rejected = LoanApplicationFactory(), LoanApplicationFactory(status=3)
        response = run_action(client, "approve_applications", [pending, rejected])
        assert response.status_code == 200
        pending.refresh_from_db(), rejected.refresh_from_db()
        assert (pending.status, rejected.status) == (2, 3)
        assert StatusChange.objects.get(application=pending).changed_by == officer
        messages = texts(response)
        assert f"已审核通过 1 笔：{pending.code}" in messages
        assert f"未能审核通过：{rejected.code}：当前状态为「审核拒绝」，不能审核通过" in messages

    def test_reject_records_the_officer_and_the_reason(self, client, officer):
        loan = LoanApplicationFactory(status=1)
        run_action(client, "reject_applications", [loan], reason="收入不足", note="工作不满三个月")
        change = StatusChange.objects.get(application=loan)
        assert (change.from_status, change.to_status, change.changed_by) == (1, 3, officer)
        assert change.note == "收入不足（工作不满三个月）"

    def test_reject_asks_for_the_reason_first(self, client, officer):
        """CONTRACT §11: a form carrying the ids, posting back with the same action and post=yes."""
        loan = LoanApplicationFactory()
        page = client.post(CHANGELIST, {"action": "reject_applications", "_selected_action": [str(loan.pk)]})
        html = page.content.decode()
        assert page.status_code == 200 and "拒绝原因" in html
        assert f'name="_selected_action" value="{loan.pk}"' in html
        assert 'name="action" value="reject_applications"' in html and 'name="post" value="yes"' in html
        empty = run_action(client, "reject_applications", [loan], reason="  ", note="  ")
        assert "请从列表中选择拒绝原因" in empty.content.decode() and "请填写备注" in empty.content.decode()
        unknown = run_action(client, "reject_applications", [loan], reason="看着不顺眼", note="无")
        assert "请从列表中选择拒绝原因" in unknown.content.decode()
        loan.refresh_from_db()
        assert loan.status == 0 and not StatusChange.objects.exists()

    def test_disburse_creates_the_schedule_today(self, client, finance):
        approved, pending = LoanApplicationFactory(status=2), LoanApplicationFactory()
        response = run_action(client, "disburse_applications", [approved, pending], confirmed=True)
        approved.refresh_from_db()
        assert approved.status == 4 and approved.periods.count() == 1
        assert any("未能放款" in m and pending.code in m for m in texts(response))
        assert LoanApplication.objects.get(pk=pending.pk).status == 0

    def test_unbuildable_terms_are_reported_not_a_500(self, client, finance):
        bad = LoanApplicationFactory(status=2, repay_type=3)
        response = run_action(client, "disburse_applications", [bad], confirmed=True)
        assert response.status_code == 200
        assert any("无法生成还款计划" in m for m in texts(response))

    def test_without_the_review_permission_no_action_is_offered_or_run(self, client, viewer):
        loan = LoanApplicationFactory()
        page = client.get(CHANGELIST)
        assert page.status_code == 200 and "approve_applications" not in page.content.decode()
        run_action(client, "approve_applications", [loan])
        loan.refresh_from_db()
        assert loan.status == 0 and not StatusChange.objects.exists()


class TestPages:
    def test_list_search_and_filters(self, client, officer):
        loan = disbursed_loan(date(2025, 3, 1))
        other = LoanApplicationFactory()
        page = client.get(CHANGELIST)
        assert page.status_code == 200 and loan.code in page.content.decode()
        assert "approve_applications" in page.content.decode()
        by_mobile = client.get(CHANGELIST, {"q": loan.user.mobile}).content.decode()
        assert loan.code in by_mobile and other.code not in by_mobile
        by_code = client.get(CHANGELIST, {"q": other.code}).content.decode()
        assert other.code in by_code and loan.code not in by_code
        by_status = client.get(CHANGELIST, {"status__exact": "4"}).content.decode()
        assert loan.code in by_status and other.code not in by_status
        assert client.get(CHANGELIST, {"product__id__exact": str(loan.product_id)}).status_code == 200

    def test_detail_is_read_only_with_inlines(self, client, officer):
        loan = disbursed_loan(date(2025, 3, 1))
        url = f"{CHANGELIST}{loan.pk}/change/"
        page = client.get(url)
        html = page.content.decode()
        assert page.status_code == 200
        assert "还款计划" in html and "状态变更记录" in html and "还款记录" in html
        assert 'name="apply_amount"' not in html  # no editable amount
        before = (loan.apply_amount, loan.code)
        assert client.post(url, {"apply_amount": "99999.00", "code": "HACKED"}).status_code == 403
        loan.refresh_from_db()
        assert (loan.apply_amount, loan.code) == before

    def test_nobody_adds_or_deletes_loans(self, client, officer):
        officer.is_superuser = True
        officer.save()
        assert client.get(f"{CHANGELIST}add/").status_code == 403
        loan = LoanApplicationFactory()
        assert client.get(f"{CHANGELIST}{loan.pk}/delete/").status_code == 403

    def test_periods_and_repayments_lists(self, client, officer):
        disbursed_loan(date(2025, 3, 1))
        assert client.get("/admin/loans/repaymentperiod/", {"is_overdue__exact": "1"}).status_code == 200
        assert client.get("/admin/loans/repaymentperiod/").status_code == 200
        assert client.get("/admin/loans/repayment/").status_code == 200
        assert client.get("/admin/loans/repaymentperiod/add/").status_code == 403


class TestOperationLog:
    """CONTRACT §11: every staff change by an action, bulk included, is one operation-log row per
    object (who, when, what, before → after, the reason), shown on the object's history page."""

    def entries(self, loan):
        return list(LogEntry.objects.filter(object_id=str(loan.pk)).order_by("pk"))

    def test_bulk_approve_writes_one_entry_per_loan(self, client, officer):
        first, second = LoanApplicationFactory(), LoanApplicationFactory(status=1)
        run_action(client, "approve_applications", [first, second])
        for loan, before in ((first, "待审核"), (second, "审核中")):
            [entry] = self.entries(loan)
            assert entry.user == officer and entry.action_flag == CHANGE
            assert entry.content_type.model_class() is LoanApplication
            assert entry.change_message == f"审核通过。状态：{before} → 审核成功"

    def test_a_refused_loan_is_not_logged(self, client, officer):
        rejected = LoanApplicationFactory(status=3)
        run_action(client, "approve_applications", [rejected])
        assert self.entries(rejected) == []

    def test_reject_logs_the_reason_and_disburse_its_status(self, client, officer):
        pending, approved = LoanApplicationFactory(), LoanApplicationFactory(status=2)
        run_action(client, "reject_applications", [pending], reason="收入不足", note="月收入低于三千")
        client.force_login(staff_in("财务"))
        run_action(client, "disburse_applications", [approved], confirmed=True)
        assert [e.change_message for e in self.entries(pending)] == ["拒绝。状态：待审核 → 审核拒绝。原因：收入不足（月收入低于三千）"]
        assert [e.change_message for e in self.entries(approved)] == ["放款。状态：审核成功 → 已放款"]

    def test_the_history_page_shows_the_entry(self, client, officer):
        loan = LoanApplicationFactory()
        run_action(client, "reject_applications", [loan], reason="资料不实", note="单位电话无人接听")
        page = client.get(f"{CHANGELIST}{loan.pk}/history/")
        assert page.status_code == 200
        assert "拒绝。状态：待审核 → 审核拒绝。原因：资料不实（单位电话无人接听）" in page.content.decode()
