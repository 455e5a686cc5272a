"""The queue and the review sheet (issue 14 items 1, 2, 4, 5): order, columns, filters and search;
the sheet's sections, buttons by role, the phone book's counts and its logged page; and both
pages' query counts, which do not grow with the rows, the earlier loans or the phone book."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Device
from loans import lifecycle
from loans.models import LoanApplication, RejectReason, RepaymentPeriod, StatusChange
from tests.backoffice.helpers import customer_with_file, staff_in
from tests.factories import LoanApplicationFactory, UserFactory, VerifiedUserFactory, disbursed_loan

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/loans/loanapplication/"


def applied(loan: LoanApplication, ago: timedelta) -> LoanApplication:
    LoanApplication.objects.filter(pk=loan.pk).update(applied_at=timezone.now() - ago)
    return LoanApplication.objects.get(pk=loan.pk)


def codes_in_order(html: str, loans) -> list[str]:
    return sorted((loan.code for loan in loans), key=html.index)


@pytest.fixture
def officer(client):
    user = staff_in("信贷专员", username="officer-a")
    client.force_login(user)
    return user


class TestQueue:
    def test_waiting_first_oldest_first_then_the_rest_newest_first(self, client, officer):
        young = applied(LoanApplicationFactory(code="LN-YOUNG"), timedelta(hours=2))
        old = applied(LoanApplicationFactory(code="LN-OLD"), timedelta(days=3, hours=4))
        claimed = applied(LoanApplicationFactory(code="LN-CLAIMED", status=1, claimed_by=officer), timedelta(days=1))
        approved = applied(LoanApplicationFactory(code="LN-APPROVED", status=2), timedelta(days=5))
        done_old = applied(disbursed_loan(code="LN-DONE-OLD"), timedelta(days=30))
        done_new = applied(disbursed_loan(code="LN-DONE-NEW"), timedelta(days=10))
        html = client.get(CHANGELIST).content.decode()
        assert codes_in_order(html, [young, old, claimed, approved, done_old, done_new]) == [
            "LN-OLD", "LN-CLAIMED", "LN-YOUNG", "LN-APPROVED", "LN-DONE-NEW", "LN-DONE-OLD",
        ]
        assert "3 天 4 小时" in html and "2 小时 0 分" in html
        assert '<span class="status-label status-pending">待审核</span>' in html
        assert '<span class="status-label status-in-review">审核中</span>' in html

    def test_columns_name_the_applicant_amount_term_risk_and_claimer(self, client, officer):
        customer = VerifiedUserFactory(mobile="13812345678", real_name="李小梅", is_risk=True)
        LoanApplicationFactory(user=customer, status=1, claimed_by=officer, apply_amount=Decimal("12500.00"), risk_outcome="review",
                               risk_hits=[{"name": "设备共用", "outcome": "review", "seen": {}, "error": ""}])
        html = client.get(CHANGELIST).content.decode()
        for text in ("李小梅 138****5678", "12,500.00", "14 天", "转人工审核 · 1 条规则", "风险客户", "officer-a", "新现金贷"):
            assert text in html, text
        assert "13812345678" not in html

    def test_filters_and_search(self, client, officer):
        other = staff_in("信贷专员", username="officer-b")
        mine = LoanApplicationFactory(code="LN-MINE", status=1, claimed_by=officer)
        theirs = LoanApplicationFactory(code="LN-THEIRS", status=1, claimed_by=other)
        fresh = LoanApplicationFactory(code="LN-FRESH")
        stale = applied(LoanApplicationFactory(code="LN-STALE", user=VerifiedUserFactory(real_name="赵大山")), timedelta(days=4))
        done = disbursed_loan(code="LN-DONE")

        def listed(**params):
            html = client.get(CHANGELIST, params).content.decode()
            return {code for code in ("LN-MINE", "LN-THEIRS", "LN-FRESH", "LN-STALE", "LN-DONE") if code in html}

        assert listed(claimed_by="me") == {"LN-MINE"}
        assert listed(claimed_by=str(other.pk)) == {"LN-THEIRS"}
        assert listed(claimed_by="none") == {"LN-FRESH", "LN-STALE"}
        assert listed(waiting="any") == {"LN-MINE", "LN-THEIRS", "LN-FRESH", "LN-STALE"}
        assert listed(waiting="gt3d") == {"LN-STALE"}
        assert listed(waiting="lt1h") == {"LN-MINE", "LN-THEIRS", "LN-FRESH"}
        assert listed(status__exact="4") == {"LN-DONE"}
        assert listed(product__id__exact=str(done.product_id)) == {"LN-DONE"}
        assert listed(q="赵大山") == {"LN-STALE"}
        assert listed(q=stale.user.mobile) == {"LN-STALE"}
        assert listed(q="LN-FRESH") == {"LN-FRESH"}
        assert {mine.code, theirs.code, fresh.code} <= set(listed())
        assert client.get(CHANGELIST, {"claimed_by": "²"}).status_code == 200  # isdigit() but not int(): no 500

    def test_the_query_count_does_not_grow_with_the_rows(self, client, officer):
        def count() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(CHANGELIST).status_code == 200
            return len(queries)

        LoanApplicationFactory(status=1, claimed_by=officer, user=customer_with_file("110101199003074514"))
        client.get(CHANGELIST)  # the staff user's session and cached snapshot warm, as in use
        one = count()
        for number in range(6):
            LoanApplicationFactory(status=number % 3, claimed_by=officer if number % 3 == 1 else None, product=LoanApplication.objects.first().product)
        disbursed_loan()
        assert count() == one


def sheet(client, loan) -> str:
    response = client.get(f"{CHANGELIST}{loan.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


class TestReviewSheet:
    def test_sections_of_a_first_application(self, client, officer):
        customer = customer_with_file()
        loan = LoanApplicationFactory(
            user=customer, apply_amount=Decimal("1000.00"), service_fee=Decimal("100.00"), purpose="15", other_channels="02",
            device_token="device-token-1", longitude="116.39", latitude="39.91", contact_name="王母", contact_phone="13922223333",
            risk_outcome="review", risk_hits=[{"name": "设备共用超过 3 人", "outcome": "review", "seen": {"device_customers": 4}, "error": ""}],
        )
        customer.total_credit = Decimal("5000.00")
        customer.save()
        html = sheet(client, loan)
        for text in (
            "借款审核", "1000.00", "900.00", "年化利率 36%", "租房", "有，已结清",  # the loan, in words and percentages
            "王豆豆", "440305********1234", "岁", "6222020200112233445"[:6], "本科", "已认证（",  # the applicant
            "5,000.00", "本笔占额度", "20.0%",  # credit
            "首次申请，没有历史借款", "王父", "139****2222", "王母", "139****3333",
            "经度 116.39，纬度 39.91", "设备共用超过 3 人", "转人工审核",
            "还款计划预览（假设今日放款）", "1000.00",
        ):
            assert text in html, text
        assert "6222020200112233445" not in html and "440305199001011234" not in html and "13911112222" not in html

    def test_history_with_worst_lateness_and_earlier_rejections(self, client, officer):
        customer = customer_with_file()
        today = timezone.localdate()
        late = disbursed_loan(user=customer, status=5, periods=[today - timedelta(days=60)], code="LN-LATE")
        RepaymentPeriod.objects.filter(application=late).update(settlement=1, paid_at=timezone.now() - timedelta(days=48))
        rejected = LoanApplicationFactory(user=customer, status=3, code="LN-REJECTED")
        StatusChange.objects.create(application=rejected, from_status=0, to_status=3, actor="staff", changed_by=officer, note="负债过高（多头借贷）")
        loan = LoanApplicationFactory(user=customer)
        html = sheet(client, loan)
        assert "LN-LATE" in html and "12 天" in html
        assert "LN-REJECTED" in html and "负债过高（多头借贷）" in html

    def test_phonebook_counts_and_the_logged_list(self, client, officer):
        today = timezone.localdate()
        known = UserFactory(mobile="13700000001")
        overdue = disbursed_loan(user=UserFactory(mobile="13700000002"), periods=[today - timedelta(days=5)])
        RepaymentPeriod.objects.filter(application=overdue).update(is_overdue=True)
        phonebook = [
            {"contactName": "甲", "contactPhone": "13700000001"},
            {"contactName": "乙", "contactPhone": "+86 137-0000-0002"},
            {"contactName": "丙", "contactPhone": "13700000003"},
        ]
        loan = LoanApplicationFactory(phonebook=phonebook)
        html = sheet(client, loan)
        assert "共 3 条；其中本平台客户 2 位" in html and "正在逾期 1 位" in html
        assert "13700000001" not in html  # counts, not the list
        assert not LogEntry.objects.exists()
        page = client.get(f"{CHANGELIST}{loan.pk}/phonebook/").content.decode()
        assert "13700000001" in page and "+86 137-0000-0002" in page
        entry = LogEntry.objects.get()
        assert entry.user == officer and entry.object_id == str(loan.pk) and entry.change_message == "查看通讯录（3 条）"
        assert known.pk

    def test_the_phone_book_is_not_for_finance(self, client):
        client.force_login(staff_in("财务"))
        loan = LoanApplicationFactory(phonebook=[{"contactName": "甲", "contactPhone": "13700000001"}])
        assert "查看通讯录" not in sheet(client, loan)
        assert client.get(f"{CHANGELIST}{loan.pk}/phonebook/").status_code == 403
        assert not LogEntry.objects.exists()

    def test_customers_sharing_the_device(self, client, officer):
        loan = LoanApplicationFactory(device_token="shared-token")
        Device.objects.create(user=loan.user, app_type="1", token="shared-token", last_login_at=timezone.now())
        for number in range(2):
            Device.objects.create(
                user=VerifiedUserFactory(real_name=f"同机{number}"), app_type="1", token="shared-token", last_login_at=timezone.now()
            )
        html = sheet(client, loan)
        assert "另有 2 位客户用此设备登录过" in html and "同机0" in html and "同机1" in html

    def test_buttons_by_role_and_state(self, client, officer):
        pending = LoanApplicationFactory()
        html = sheet(client, pending)
        assert 'id="claim-button"' in html and 'id="approve-button"' in html and 'id="reject-submit"' in html
        assert 'id="disburse-button"' not in html
        assert '<option value="收入不足">' in html and 'name="note"' in html

        other = staff_in("信贷专员", username="officer-b")
        lifecycle.claim(pending, other)
        html = sheet(client, pending)
        assert "领取人：officer-b" in html and 'id="approve-button"' not in html and 'id="release-button"' not in html

        approved = LoanApplicationFactory()
        lifecycle.approve(approved, officer)
        client.force_login(staff_in("财务"))
        html = sheet(client, approved)
        assert 'id="disburse-button"' in html and 'id="approve-button"' not in html and 'id="claim-button"' not in html

    def test_status_history_names_who_when_and_why(self, client, officer):
        loan = LoanApplicationFactory()
        StatusChange.objects.create(application=loan, from_status=None, to_status=0, actor="customer")
        lifecycle.claim(loan, officer)
        lifecycle.reject(loan, officer, "单位电话空号", reason=RejectReason.objects.get(name="资料不实"))
        html = sheet(client, loan)
        assert "提交申请" in html and "客户" in html and "员工 officer-a" in html and "资料不实（单位电话空号）" in html
        assert "拒绝原因：资料不实" in html

    def test_read_only(self, client, officer):
        loan = LoanApplicationFactory()
        assert client.post(f"{CHANGELIST}{loan.pk}/change/", {"apply_amount": "1.00"}).status_code == 403
        assert client.get(f"{CHANGELIST}00000000-0000-0000-0000-000000000000/change/").status_code == 404

    def test_the_query_count_does_not_grow_with_earlier_loans_or_the_phone_book(self, client, officer):
        customer = customer_with_file()
        today = timezone.localdate()

        def count(loan) -> int:
            with CaptureQueriesContext(connection) as queries:
                sheet(client, loan)
            return len(queries)

        disbursed_loan(user=customer, status=5, periods=[today - timedelta(days=40)])
        first = LoanApplicationFactory(user=customer, device_token="t1", phonebook=[{"contactName": "a", "contactPhone": "13700000001"}])
        Device.objects.create(user=VerifiedUserFactory(), app_type="1", token="t1", last_login_at=timezone.now())
        UserFactory(mobile="13700000001")
        sheet(client, first)  # the staff user's session and cached snapshot warm, as in use
        baseline = count(first)
        first.delete()
        for number in range(3):
            rejected = LoanApplicationFactory(user=customer, status=3)
            StatusChange.objects.create(application=rejected, from_status=0, to_status=3, actor="system", note=f"规则{number}")
            disbursed_loan(user=customer, status=5, periods=[today - timedelta(days=30), today - timedelta(days=10)])
        phonebook = [{"contactName": f"联系人{n}", "contactPhone": f"1370000{n:04d}"} for n in range(200)]
        for n in range(2, 6):
            UserFactory(mobile=f"1370000{n:04d}")
        later = LoanApplicationFactory(user=customer, device_token="t1", phonebook=phonebook)
        for _ in range(3):
            Device.objects.create(user=VerifiedUserFactory(), app_type="1", token="t1", last_login_at=timezone.now())
        assert count(later) == baseline
