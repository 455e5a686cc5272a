"""The dashboard by role (issue 15 item 7): an officer's queue and decisions, finance's
disbursements and repayments by day and product, overdue loans by CONTRACT §13 bucket, for a
chosen date range, with an inline chart."""

from datetime import datetime, time, timedelta
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from backoffice import dashboard
from loans.models import ApplicationStatus, StatusChange
from tests.factories import LoanApplicationFactory, ProductFactory, disbursed_loan, repayment

from .helpers import staff_in

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def disbursed_on(day, **fields):
    loan = disbursed_loan(**fields)
    type(loan).objects.filter(pk=loan.pk).update(disbursed_at=at(day))
    return loan


def test_the_officer_sees_the_queue_and_their_decisions_today():
    today = timezone.localdate()
    officer, other = staff_in("信贷专员"), staff_in("信贷专员")
    LoanApplicationFactory.create_batch(3, status=ApplicationStatus.PENDING)
    LoanApplicationFactory(status=ApplicationStatus.IN_REVIEW)
    for to_status, by in ((2, officer), (3, officer), (3, officer), (2, other)):
        StatusChange.objects.create(application=LoanApplicationFactory(status=to_status), from_status=0, to_status=to_status, actor="staff", changed_by=by)
    panel = dashboard.officer_panel(officer, today - timedelta(days=6), today, today)
    assert panel.queue == [("待审核", 3), ("审核中", 1)]
    assert (panel.today_approved, panel.today_rejected) == (1, 2)
    assert len(panel.per_day) == 7 and panel.per_day[-1] == (today, D(3))


def test_finance_sees_disbursements_and_repayments_by_product_and_day():
    today = timezone.localdate()
    cash, instalments = ProductFactory(name="现金贷"), ProductFactory(name="分期贷")
    first = disbursed_on(today - timedelta(days=1), product=cash)
    disbursed_on(today, product=cash)
    disbursed_on(today, product=instalments, apply_amount=D("3000.00"))
    disbursed_on(today - timedelta(days=10), product=cash)  # before the range
    repayment(first, "250.50", posted_at=at(today))
    panel = dashboard.finance_panel(today - timedelta(days=2), today)
    rows = {row.name: (row.disbursed_count, row.disbursed_amount, row.repaid_count, row.repaid_amount) for row in panel.products}
    assert rows == {"现金贷": (2, D("2000.00"), 1, D("250.50")), "分期贷": (1, D("3000.00"), 0, D("0.00"))}
    assert (panel.totals.disbursed_amount, panel.totals.repaid_amount) == (D("5000.00"), D("250.50"))
    assert panel.disbursed_per_day == [(today - timedelta(days=2), D("0.00")), (today - timedelta(days=1), D("1000.00")), (today, D("4000.00"))]
    assert panel.repaid_per_day[-1] == (today, D("250.50"))


def test_overdue_loans_by_bucket():
    today = timezone.localdate()
    for days_late in (1, 30, 31, 60, 61, 90, 91, 400):
        disbursed_loan(periods=[today - timedelta(days=days_late)])
    disbursed_loan(periods=[today])  # due today: not overdue
    disbursed_loan(periods=[today - timedelta(days=200)], written_off_on=today)  # off the books
    rows = {row.bucket: (row.loans, row.principal) for row in dashboard.overdue_buckets(today)}
    assert rows == {"M1": (2, D("2000.00")), "M2": (2, D("2000.00")), "M3": (2, D("2000.00")), "M4+": (2, D("2000.00"))}


def test_a_loans_bucket_is_its_oldest_unpaid_period_and_its_principal_all_it_has_unpaid():
    """Three periods of 333.43 (1000.29 split evenly): the first paid, the second 10 days late,
    the third not due: M1 with 666.86 (the cents summed exactly on SQLite too)."""
    today = timezone.localdate()
    loan = disbursed_loan(periods=[today - timedelta(days=40), today - timedelta(days=10), today + timedelta(days=20)], apply_amount=D("1000.29"))
    loan.periods.filter(number=1).update(settlement=1)
    rows = {row.bucket: (row.loans, row.principal) for row in dashboard.overdue_buckets(today)}
    assert rows == {"M1": (1, D("666.86")), "M2": (0, D("0.00")), "M3": (0, D("0.00")), "M4+": (0, D("0.00"))}


@pytest.mark.parametrize(
    "role, shown, hidden",
    [
        ("信贷专员", ["officer-panel", "bucket-panel"], ["finance-panel"]),
        ("财务", ["finance-panel"], ["officer-panel"]),
        ("运营", [], ["officer-panel", "finance-panel", "bucket-panel", "role-dashboard"]),
    ],
)
def test_each_role_its_panels(client, role, shown, hidden):
    client.force_login(staff_in(role))
    page = client.get("/admin/", {"start": "2026-01-01", "end": "2026-01-31"}).content.decode()
    for panel in shown:
        assert f'id="{panel}"' in page
    for panel in hidden:
        assert f'id="{panel}"' not in page
    if shown:
        assert "2026-01-01 至 2026-01-31" in page and 'class="dashboard-chart"' in page


def test_a_bad_range_falls_back_to_the_last_30_days(admin_client):
    page = admin_client.get("/admin/", {"start": "2026-02-01", "end": "2026-01-01"}).content.decode()
    assert "开始日期不能晚于结束日期" in page
    today = timezone.localdate()
    assert f"{(today - timedelta(days=29)).isoformat()} 至 {today.isoformat()}" in page
