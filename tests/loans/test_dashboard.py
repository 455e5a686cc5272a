"""The back-office dashboard above the admin's app list: exact figures, constant queries."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from loans.dashboard import dashboard_figures, repayment_chart_svg
from loans.models import ApplicationStatus, LoanApplication, RepaymentPeriod
from tests.factories import LoanFactory, UserFactory, disbursed_loan, repayment

pytestmark = pytest.mark.django_db


def local_noon(day):
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def book(today):
    """2 pending, 1 in review, 1 rejected, 3 disbursed (2 overdue), 1 paid off."""
    for status in (ApplicationStatus.PENDING, ApplicationStatus.PENDING, ApplicationStatus.IN_REVIEW, ApplicationStatus.REJECTED):
        LoanFactory(status=status)
    a = disbursed_loan(apply_amount=Decimal("1000.00"), periods=[today - timedelta(days=5), today + timedelta(days=25)])
    a.periods.filter(number=1).update(settlement=RepaymentPeriod.Settlement.ON_SCHEDULE, paid_principal=Decimal("500.00"))
    b = disbursed_loan(apply_amount=Decimal("2000.00"), periods=[today - timedelta(days=1)])
    c = disbursed_loan(
        apply_amount=Decimal("3000.00"),
        periods=[today - timedelta(days=40), today - timedelta(days=10), today + timedelta(days=20)],
    )
    paid_off = disbursed_loan(apply_amount=Decimal("500.00"), status=ApplicationStatus.PAID_OFF, periods=[today - timedelta(days=3)])
    repayment(a, "100.00", local_noon(today))
    repayment(a, "100.00", local_noon(today))
    repayment(paid_off, "50.50", local_noon(today))
    repayment(c, "10.00", local_noon(today - timedelta(days=29)))
    repayment(c, "999.00", local_noon(today - timedelta(days=30)))  # outside the 30 days
    return {"a": a, "b": b, "c": c}


def test_figures_are_exact(book, today):
    figures = dashboard_figures(today)
    assert {row.label: row.count for row in figures.statuses} == {
        "待审核": 2, "审核中": 1, "审核成功": 0, "审核拒绝": 1, "已放款": 3, "已还完": 1,
    }
    assert figures.total_applications == 8
    assert (figures.disbursed_count, figures.disbursed_amount) == (4, Decimal("6500.00"))
    assert (figures.outstanding_loans, figures.outstanding_principal) == (3, Decimal("5500.00"))
    assert (figures.overdue_loans, figures.overdue_periods) == (2, 3)
    assert figures.overdue_rate_pct == "66.67%"
    assert (figures.repayment_count, figures.repayment_amount) == (4, Decimal("260.50"))
    days = {day.day: (day.count, day.amount) for day in figures.repayment_days}
    assert len(figures.repayment_days) == 30 and figures.repayment_days[-1].day == today
    assert days[today] == (3, Decimal("250.50")) and days[today - timedelta(days=29)] == (1, Decimal("10.00"))
    assert sum(count for count, _ in days.values()) == 4


def test_a_written_off_loan_is_off_the_books(book, today):
    """CONTRACT §14: a write-off takes the loan off the books; it stays status 4 for the customer."""
    LoanApplication.objects.filter(pk=book["c"].pk).update(written_off_on=today)
    figures = dashboard_figures(today)
    assert (figures.outstanding_loans, figures.outstanding_principal) == (2, Decimal("2500.00"))
    assert (figures.overdue_loans, figures.overdue_periods) == (1, 1)  # b; a's first period is paid
    assert figures.overdue_rate_pct == "50.00%"
    assert (figures.disbursed_count, figures.disbursed_amount) == (4, Decimal("6500.00"))


def test_empty_book(today):
    figures = dashboard_figures(today)
    assert figures.total_applications == 0 and figures.disbursed_amount == Decimal("0.00")
    assert figures.outstanding_principal == Decimal("0.00") and figures.overdue_rate is None
    assert figures.overdue_rate_pct == "—" and figures.repayment_amount == Decimal("0.00")


def test_constant_number_of_queries(book, today, django_assert_num_queries):
    with django_assert_num_queries(4):
        dashboard_figures(today)
    for _ in range(5):
        disbursed_loan(periods=[today - timedelta(days=2), today + timedelta(days=2)])
        repayment(book["b"], "1.00", local_noon(today - timedelta(days=3)))
    with django_assert_num_queries(4):
        dashboard_figures(today)


def test_chart_is_inline_svg_without_external_reference(book, today):
    svg = str(repayment_chart_svg(dashboard_figures(today).repayment_days))
    assert svg.startswith("<svg") and svg.count("<rect") == 30
    assert "http" not in svg and "href" not in svg
    assert f"{today.isoformat()}：3 笔，250.50 元" in svg


class TestAdminIndex:
    def test_superuser_sees_the_dashboard_above_the_app_list(self, client, book):
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        html = client.get("/admin/").content.decode()
        assert html.index('id="dashboard"') < html.index('id="content-main"')
        for text in ("经营概况", "66.67%", "¥6,500.00", "¥5,500.00", "¥260.50", "<svg"):
            assert text in html, text

    def test_staff_without_loan_permission_sees_no_figures(self, client, book):
        user = UserFactory(is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="view_systemmessage"))
        client.force_login(user)
        response = client.get("/admin/")
        assert response.status_code == 200 and "经营概况" not in response.content.decode()

    def test_staff_with_loan_view_permission_sees_figures(self, client, book):
        user = UserFactory(is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="view_loanapplication"))
        client.force_login(user)
        assert "经营概况" in client.get("/admin/").content.decode()
