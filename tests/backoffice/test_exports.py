"""Exports from the lists (issue 15 item 4; CONTRACT §11): CSV and Excel of what the list shows
with its filters, ID and card numbers masked, only for staff who read the list, each export a
row of the operation log."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import UserFactory, disbursed_loan, repayment

from .helpers import ID_NUMBER, customer_with_file, staff_in

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads the Chinese headers right
    return list(csv.reader(io.StringIO(body[1:])))


class TestCustomerExport:
    def test_csv_honours_the_filters_masks_and_is_logged(self, client):
        overdue = customer_with_file(is_risk=True)
        disbursed_loan(user=overdue, periods=[timezone.localdate() - timedelta(days=35)])
        customer_with_file("110101199001011237")  # not overdue: filtered out
        finance = staff_in("财务")
        client.force_login(finance)
        response = client.get("/admin/accounts/customer/export/csv/", {"overdue": "M2"})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        header, *rows = read_csv(response)
        assert header[:4] == ["手机号", "姓名", "身份证号", "认证"]
        assert len(rows) == 1
        row = dict(zip(header, rows[0]))
        assert row["手机号"] == str(overdue) and row["身份证号"] == ID_NUMBER[:6] + "********" + ID_NUMBER[-4:]
        assert (row["标记"], row["最长逾期天数"], row["在贷本金"], row["借款笔数"]) == ("风险客户", "35", "1000.00", "1")
        entry = LogEntry.objects.get(user=finance)
        assert entry.change_message == "导出客户（CSV），筛选条件：overdue=M2"

    def test_excel_is_a_workbook_with_the_same_rows(self, client):
        customer_with_file()
        client.force_login(staff_in("风控"))
        response = client.get("/admin/accounts/customer/export/xlsx/")
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        rows = list(workbook.active.values)
        assert rows[0][0] == "手机号" and len(rows) == 2 and "********" in rows[1][2]
        assert LogEntry.objects.get().change_message == "导出客户（XLSX），全部"

    def test_only_staff_who_read_the_list(self, client):
        client.force_login(UserFactory(is_staff=True, mobile=None, username="no-role"))
        assert client.get("/admin/accounts/customer/export/csv/").status_code == 403
        client.force_login(staff_in("运营"))
        assert client.get("/admin/accounts/customer/export/pdf/").status_code == 404
        assert not LogEntry.objects.exists()

    def test_the_list_offers_both_formats_with_its_filters(self, client):
        client.force_login(staff_in("财务"))
        page = client.get("/admin/accounts/customer/", {"is_risk__exact": "1"}).content.decode()
        assert 'href="/admin/accounts/customer/export/csv/?is_risk__exact=1"' in page
        assert 'href="/admin/accounts/customer/export/xlsx/?is_risk__exact=1"' in page


class TestLoanExports:
    def test_applications_by_status_with_the_customer_masked(self, client):
        customer = customer_with_file()
        loan = disbursed_loan(user=customer, purpose="15")
        disbursed_loan(status=5)  # paid off: filtered out
        client.force_login(staff_in("信贷专员"))
        header, *rows = read_csv(client.get("/admin/loans/loanapplication/export/csv/", {"status__exact": "4"}))
        assert len(rows) == 1
        row = dict(zip(header, rows[0]))
        assert row["借款编号"] == loan.code and row["客户手机号"] == str(customer) and row["借款用途"] == "租房"
        assert row["身份证号"] == ID_NUMBER[:6] + "********" + ID_NUMBER[-4:] and row["年化利率"] == "36%" and row["状态"] == "已放款"
        assert LogEntry.objects.get().change_message == "导出借款申请（CSV），筛选条件：status__exact=4"

    def test_repayments_and_overdue_periods(self, client):
        today = timezone.localdate()
        loan = disbursed_loan(user=customer_with_file(), periods=[today - timedelta(days=3), today + timedelta(days=27)])
        repayment(loan, "120.50")
        client.force_login(staff_in("信贷专员"))
        header, *rows = read_csv(client.get("/admin/loans/repayment/export/csv/"))
        assert [dict(zip(header, row))["金额"] for row in rows] == ["120.50"]
        header, *rows = read_csv(client.get("/admin/loans/repaymentperiod/export/csv/", {"due_date__lt": today.isoformat()}))
        assert len(rows) == 1 and dict(zip(header, rows[0]))["逾期天数"] == "3"
