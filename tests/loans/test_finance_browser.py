"""Finance's operations in a real headless Chromium at 1366×768 (CONTRACT §15, issue 17): an
offline repayment recorded with its proof and confirmed by a second finance user; a waiver
proposed by finance and approved by the risk manager; the reversal form. Screenshots of the
three forms go to ``var/screenshots/`` (``scripts/screenshots -k finance_operations``)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from loans.finance_models import OfflineRepayment, Waiver
from loans.overdue import mark_overdue
from tests.backoffice.helpers import staff_in
from tests.helpers import BROWSER_TESTS, desktop, desktop_screenshot, fits_the_width, log_in, wait_for, wait_for_text
from tests.loans.helpers import disbursed_loan

pytestmark = [*BROWSER_TESTS, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def loan(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    today = timezone.localdate()
    loan = disbursed_loan(today - timedelta(days=20), code="LNFIN0001", apply_amount=Decimal("1000.00"))
    mark_overdue(today)  # six days late: 1000 + 14.00 + 9.00 = 1023.00
    return loan


def as_user(browser, live_server, client, user) -> None:
    browser.delete_all_cookies()
    client.logout()
    log_in(browser, live_server, client, user)


def choose_action(browser, live_server, changelist: str, obj, action: str) -> None:
    browser.get(f"{live_server.url}{changelist}")
    browser.find_element("css selector", f"input[name=_selected_action][value='{obj.pk}']").click()
    browser.find_element("css selector", f"select[name=action] option[value={action}]").click()
    browser.find_element("css selector", "button[name=index]").click()


def fill(browser, name: str, value: str) -> None:
    field = browser.find_element("name", name)
    field.clear()
    field.send_keys(value)


def test_finance_operations_offline_repayment_confirmed_by_a_second_finance_user(browser, live_server, client, tmp_path, loan):
    desktop(browser)
    clerk, checker = staff_in("财务", real_name="财务甲"), staff_in("财务", real_name="财务乙")
    as_user(browser, live_server, client, clerk)
    browser.get(f"{live_server.url}/admin/loans/offlinerepayment/add/?loan={loan.code}")
    wait_for_text(browser, "登记线下还款")
    assert "1023.00" in browser.find_element("id", "loan-summary").text
    fill(browser, "period_number", "1")
    fill(browser, "amount", "1023.00")
    browser.execute_script("document.querySelector('input[name=received_on]').value = arguments[0]", timezone.localdate().isoformat())
    fill(browser, "reference", "TRX-20250101-001")
    proof = tmp_path / "回单.pdf"
    proof.write_bytes(PDF)
    browser.find_element("name", "proof").send_keys(str(proof))
    assert fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "finance-offline-repayment-form")
    browser.find_element("css selector", "input[type=submit][value=提交复核]").click()
    wait_for_text(browser, "等待复核")
    record = OfflineRepayment.objects.get()
    assert record.status == "pending"

    as_user(browser, live_server, client, checker)
    choose_action(browser, live_server, "/admin/loans/offlinerepayment/", record, "confirm_offline_repayments")
    wait_for(browser, "css selector", "input[type=submit][value='确认入账所选线下还款（复核）']").click()
    wait_for_text(browser, "已确认入账 1 笔")
    assert fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "finance-offline-repayments")
    record.refresh_from_db()
    assert record.status == "approved" and record.repayment.amount == Decimal("1023.00")
    loan.refresh_from_db()
    assert loan.status == 5

    browser.get(f"{live_server.url}/admin/loans/reversal/add/?loan={loan.code}")
    wait_for_text(browser, "最近一笔未冲正的还款")
    fill(browser, "reason", "银行退票，款项未到账")
    assert fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "finance-reversal-form")


def test_finance_operations_waiver_proposed_and_approved_by_risk(browser, live_server, client, tmp_path, loan):
    desktop(browser)
    clerk, manager = staff_in("财务", real_name="财务甲"), staff_in("风控", real_name="风控甲")
    as_user(browser, live_server, client, clerk)
    browser.get(f"{live_server.url}/admin/loans/waiver/add/?loan={loan.code}")
    wait_for_text(browser, "今日可减免：罚息 9.00 元")
    browser.find_element("css selector", "select[name=component] option[value=penalty]").click()
    fill(browser, "amount", "9.00")
    fill(browser, "reason", "客户住院，提供了医院证明")
    assert fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "finance-waiver-form")
    browser.find_element("css selector", "input[type=submit][value=提交复核]").click()
    wait_for_text(browser, "等待复核")
    waiver = Waiver.objects.get()

    as_user(browser, live_server, client, manager)
    choose_action(browser, live_server, "/admin/loans/waiver/", waiver, "approve_waivers")
    wait_for(browser, "css selector", "input[type=submit][value=确认批准所选减免]").click()
    wait_for_text(browser, "已批准减免 1 笔")
    assert fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "finance-waivers")
    period = loan.periods.get()
    assert (period.waived_penalty, period.penalty) == (Decimal("9.00"), Decimal("0.00"))
