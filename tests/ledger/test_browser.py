"""Finance's pages in a real headless Chromium at a desktop width (issue 12): the dashboard's
reconciliation panel, the trial balance, a loan's statement, the journal and the write-off form."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from loans.overdue import mark_overdue
from loans.reconciliation import reconcile
from loans.repayments import repay
from tests.factories import UserFactory
from tests.helpers import BROWSER_TESTS, desktop, desktop_screenshot, log_in, wait_for_text
from tests.loans.helpers import disbursed_loan

pytestmark = [*BROWSER_TESTS, pytest.mark.django_db(transaction=True)]

def test_finance_reads_the_books_and_writes_off(browser, live_server, client, tmp_path, quiet):
    from selenium.webdriver.support.ui import WebDriverWait

    desktop(browser)
    paid = disbursed_loan(date(2025, 1, 1), code="LN2025010101")
    late = disbursed_loan(date(2025, 1, 2), code="LN2025010202", apply_amount=Decimal("1000.00"), service_fee=Decimal("10.00"))
    mark_overdue(date(2025, 1, 20))
    repay(paid.user, str(paid.periods.get().pk), "all", today=date(2025, 1, 20))
    day = date(2025, 1, 16) + timedelta(days=190)
    mark_overdue(day)
    reconcile(day)
    finance = UserFactory(is_staff=True, username="finance", real_name="财务甲")
    finance.groups.add(Group.objects.get(name="财务"))
    log_in(browser, live_server, client, finance)

    browser.get(f"{live_server.url}/admin/")
    text = browser.find_element("tag name", "body").text
    assert "对账" in text and "账实相符" in text
    desktop_screenshot(browser, tmp_path, "books-dashboard")

    browser.get(f"{live_server.url}/admin/ledger/trialbalance/?start=2025-01-01&end=2025-12-31")
    text = browser.find_element("tag name", "body").text
    assert "试算平衡表" in text and "银行存款" in text and "合计（借贷相等）" in text
    desktop_screenshot(browser, tmp_path, "books-trial-balance")

    browser.get(f"{live_server.url}/admin/ledger/loanstatement/?loan=LN2025010101")
    text = browser.find_element("tag name", "body").text
    assert "还款" in text and "510.75" in text  # 500 + 7.00 + 5 days' penalty 3.75
    desktop_screenshot(browser, tmp_path, "books-loan-statement")

    browser.get(f"{live_server.url}/admin/ledger/journalentry/")
    assert "导出 Excel" in browser.page_source
    desktop_screenshot(browser, tmp_path, "books-journal")

    browser.get(f"{live_server.url}/admin/loans/loanapplication/")
    browser.find_element("css selector", f"input[name=_selected_action][value='{late.pk}']").click()
    browser.find_element("css selector", "select[name=action] option[value=write_off_loans]").click()
    browser.find_element("css selector", "button[name=index]").click()
    WebDriverWait(browser, 10).until(lambda b: "核销所选借款" in b.title)
    desktop_screenshot(browser, tmp_path, "books-write-off-form")
    browser.find_element("css selector", "textarea[name=reason]").send_keys("借款人失联超过半年")
    browser.find_element("css selector", "input[type=submit][value=确认核销所选借款]").click()
    wait_for_text(browser, "已核销 1 笔：LN2025010202")
    late.refresh_from_db()
    assert late.write_off_reason == "借款人失联超过半年"
