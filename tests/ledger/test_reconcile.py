"""``manage.py reconcile`` (CONTRACT §14): the books against the loans, every difference printed,
exit 1 when there is one; beat runs it nightly; the dashboard shows the last result."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from cashloan.celery import app
from ledger import services
from ledger.models import Reconciliation
from loans.models import Repayment
from loans.overdue import mark_overdue
from loans.tasks import reconcile_task
from tests.factories import LoanApplicationFactory, UserFactory, freeze_today
from tests.loans.helpers import disbursed_loan

pytestmark = pytest.mark.django_db

DAY = date(2025, 3, 20)


@pytest.fixture
def loan(quiet):
    loan = disbursed_loan(date(2025, 3, 1), code="LNRECON")
    mark_overdue(DAY)
    return loan


def run(*args) -> str:
    out = StringIO()
    call_command("reconcile", *args, stdout=out)
    return out.getvalue()


def test_books_that_match_exit_0_and_are_kept(loan):
    assert "2025-03-20：核对借款 1 笔，差异 0 处" in run("--date", "2025-03-20")
    assert Reconciliation.objects.get().ok


def test_a_repayment_written_around_the_books_is_found(loan):
    Repayment.objects.create(
        application=loan, kind="current", amount=Decimal("100.00"), principal=Decimal("100.00"), provider="manual", effective_date=DAY
    )
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("reconcile", "--date", "2025-03-20", stdout=out)
    assert refused.value.returncode == 1
    assert "LNRECON 1002 银行存款：账簿 -500.00，应为 -400.00" in out.getvalue()
    assert "LNRECON 1303 贷款本金：账簿 500.00，应为 400.00" in out.getvalue()
    assert Reconciliation.objects.get().difference_count == 2
    # before it was made the books and the loans agreed
    assert "差异 0 处" in run("--date", "2025-03-10")


def test_a_missing_job_and_a_stray_entry_are_differences(loan):
    """As of 03-25 the job has not run: the penalty is behind; an entry for a loan never disbursed too."""
    pending = LoanApplicationFactory(code="LNPENDING")
    services.post_recognition(pending.pk, "x", interest=Decimal("1.00"), fee=0, on=DAY, actor=services.PostedBy.system("test"))
    with pytest.raises(CommandError):
        run("--date", "2025-03-25")
    differences = Reconciliation.objects.get().differences
    assert {"loan": "LNRECON", "account": "1134", "books": "3.75", "expected": "7.50", "note": ""} in differences
    assert {"loan": "LNPENDING", "account": "1132", "books": "1.00", "expected": "0.00", "note": ""} in differences


def test_beat_reconciles_the_closed_day_nightly(loan, monkeypatch):
    schedule = app.conf.beat_schedule["reconcile-nightly"]
    assert (schedule["task"], schedule["schedule"].hour, schedule["schedule"].minute) == ("loans.tasks.reconcile_task", {0}, {40})
    freeze_today(monkeypatch, DAY + timedelta(days=1))
    assert reconcile_task() == 0
    assert Reconciliation.objects.get().as_of == DAY


def test_the_dashboard_shows_the_last_result_and_its_differences(client, loan):
    finance = UserFactory(is_staff=True)
    finance.groups.add(Group.objects.get(name="财务"))
    client.force_login(finance)
    assert "尚未对账" in client.get("/admin/").content.decode()
    run("--date", "2025-03-20")
    assert "截至 2025-03-20 日终账实相符：核对借款 1 笔" in client.get("/admin/").content.decode()
    Repayment.objects.create(application=loan, kind="current", amount=Decimal("100.00"), principal=Decimal("100.00"), provider="x", effective_date=DAY)
    with pytest.raises(CommandError):
        run("--date", "2025-03-20")
    page = client.get("/admin/").content.decode()
    assert "截至 2025-03-20 日终发现 2 处差异" in page and "LNRECON 1303：账簿 500.00，应为 400.00" in page
    operator = UserFactory(is_staff=True)
    operator.groups.add(Group.objects.get(name="运营"))
    client.force_login(operator)
    assert "对账" not in client.get("/admin/").content.decode()
