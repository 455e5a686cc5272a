"""The books in the back office (issue 12, CONTRACT §11 finance): the journal searchable by loan,
kind and date, the trial balance, a loan's statement, CSV and Excel exports in the operation log;
read-only; only for finance."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from loans.overdue import mark_overdue
from loans.repayments import repay
from tests.factories import UserFactory
from tests.loans.helpers import disbursed_loan

pytestmark = pytest.mark.django_db

JOURNAL = "/admin/ledger/journalentry/"
TRIAL = "/admin/ledger/trialbalance/"
STATEMENT = "/admin/ledger/loanstatement/"


def staff_in(group: str):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def books(quiet):
    """The seed's loan paid off 1 day late, and a 1000 loan with a 10.00 fee."""
    first = disbursed_loan(date(2025, 3, 1), code="LNFIRST")
    second = disbursed_loan(date(2025, 3, 5), code="LNSECOND", apply_amount=Decimal("1000.00"), service_fee=Decimal("10.00"))
    mark_overdue(date(2025, 3, 16))
    repay(first.user, str(first.periods.get().pk), "all", today=date(2025, 3, 16))
    return first, second


@pytest.fixture
def finance(client):
    user = staff_in("财务")
    client.force_login(user)
    return user


def body(response) -> str:
    return response.content.decode()


def streamed_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


class TestJournal:
    def test_search_by_loan_and_filter_by_kind_and_date(self, client, finance, books):
        page = body(client.get(JOURNAL, {"q": "LNSECOND"}))
        assert "disbursement:" in page and "LNSECOND" in page and "LNFIRST" not in page
        assert "repayment:" in body(client.get(JOURNAL, {"kind__exact": "repayment"}))
        assert "repayment:" not in body(client.get(JOURNAL, {"kind__exact": "recognition"}))
        dated = body(client.get(JOURNAL, {"effective_date__year": 2025, "effective_date__month": 3, "effective_date__day": 5}))
        assert "LNSECOND" in dated and "LNFIRST" not in dated

    def test_read_only(self, client, finance, books):
        first, _ = books
        entry = first.journal_entries.first()
        assert client.get(f"{JOURNAL}add/").status_code == 403
        assert client.post(f"{JOURNAL}{entry.pk}/delete/").status_code == 403
        detail = body(client.get(f"{JOURNAL}{entry.pk}/change/"))
        assert "银行存款" in detail and 'name="_save"' not in detail

    def test_export_the_filtered_lines_as_csv_and_excel(self, client, finance, books):
        response = client.get(f"{JOURNAL}export/csv/", {"q": "LNSECOND"})
        rows = streamed_csv(response)
        assert rows[0][:3] == ["业务日期", "记账时间", "类型"]
        assert [(r[3], r[5], r[7], r[8]) for r in rows[1:]] == [
            ("LNSECOND", "1002", "", "990.00"), ("LNSECOND", "1303", "1000.00", ""), ("LNSECOND", "6021", "", "10.00"),
        ]
        workbook = load_workbook(io.BytesIO(b"".join(client.get(f"{JOURNAL}export/xlsx/").streaming_content)), read_only=True)
        sheet_rows = list(workbook.active.values)
        # every line of both loans: the first's disbursement, recognition, penalty, repayment; the second's disbursement
        assert sheet_rows[0][0] == "业务日期" and len(sheet_rows) == 1 + 2 + 2 + 2 + 4 + 3
        logged = sorted(LogEntry.objects.filter(user=finance).values_list("change_message", flat=True))
        assert logged == ["导出会计分录（CSV）", "导出会计分录（XLSX）"]


class TestTrialBalance:
    def test_a_date_range(self, client, finance, books):
        page = body(client.get(TRIAL, {"start": "2025-03-03", "end": "2025-03-31"}))
        assert "试算平衡表" in page and "银行存款" in page and "信用减值损失" in page
        rows = streamed_csv(client.get(TRIAL, {"start": "2025-03-03", "end": "2025-03-31", "format": "csv"}))
        by_account = {row[0]: row for row in rows[1:]}
        # bank: -500.00 before the range; 990.00 out and 507.75 in during it
        assert by_account["1002"] == ["1002", "银行存款", "-500.00", "507.75", "990.00", "-982.25"]
        assert by_account["6031"] == ["6031", "罚息收入", "0.00", "0.00", "0.75", "-0.75"]
        assert LogEntry.objects.get(user=finance).change_message == "导出试算平衡表 2025-03-03 至 2025-03-31（CSV）"

    def test_a_reversed_range_is_a_form_error(self, client, finance):
        assert "开始日期不能晚于结束日期" in body(client.get(TRIAL, {"start": "2025-04-01", "end": "2025-03-01"}))


class TestStatement:
    def test_every_line_with_its_running_balance(self, client, finance, books):
        page = body(client.get(STATEMENT, {"loan": "LNFIRST"}))
        assert "LNFIRST" in page and "507.75" in page
        rows = streamed_csv(client.get(STATEMENT, {"loan": "LNFIRST", "format": "csv"}))
        assert [(r[4], r[6], r[7], r[8]) for r in rows[1:]][-4:] == [
            ("1002", "507.75", "", "7.75"), ("1132", "", "7.00", "0.00"), ("1134", "", "0.75", "0.00"), ("1303", "", "500.00", "0.00"),
        ]

    def test_an_unknown_code(self, client, finance):
        assert "没有这个借款编号" in body(client.get(STATEMENT, {"loan": "NOPE"}))


class TestWhoSeesTheBooks:
    @pytest.mark.parametrize("url", [JOURNAL, TRIAL, STATEMENT, "/admin/ledger/reconciliation/"])
    def test_other_roles_are_refused(self, client, url):
        for role in ("信贷专员", "运营"):
            client.force_login(staff_in(role))
            assert client.get(url).status_code == 403

    def test_export_needs_the_export_permission(self, client, books):
        reader = UserFactory(is_staff=True)
        from django.contrib.auth.models import Permission

        reader.user_permissions.add(Permission.objects.get(codename="view_trialbalance"), Permission.objects.get(codename="view_journalentry"))
        client.force_login(reader)
        assert client.get(TRIAL, {"start": "2025-03-01", "end": "2025-03-31"}).status_code == 200
        assert client.get(TRIAL, {"start": "2025-03-01", "end": "2025-03-31", "format": "csv"}).status_code == 403
        assert client.get(f"{JOURNAL}export/csv/").status_code == 403
        assert not LogEntry.objects.exists()
