"""The customer pages in a real headless Chromium at 1366×768, one role at a time (issue 15):
the risk manager flags a customer with a reason from the customer page, finance exports the
filtered customer list from its link, an operator answers feedback and writes to a customer
picked by mobile, a loan officer reads the customer page and the dashboard. Screenshots of the
customer list, the customer page and each role's dashboard go to ``var/screenshots/``."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Feedback, FlagChange
from messaging.models import CustomerMessage
from tests.factories import LoanApplicationFactory, disbursed_loan, repayment
from tests.helpers import BROWSER_TESTS, desktop, desktop_screenshot, fits_the_width, log_in, wait_for, wait_for_text

from .helpers import customer_with_file, staff_in

pytestmark = [*BROWSER_TESTS, pytest.mark.django_db(transaction=True)]

def dashboard_shot(browser, live_server, tmp_path, role: str, panel: str = "content") -> None:
    browser.get(f"{live_server.url}/admin/")
    wait_for(browser, "id", panel)
    assert fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, f"dashboard-{role}")


def body(browser) -> str:
    return browser.find_element("tag name", "body").text


@pytest.fixture
def book():
    """A customer with a file and an overdue loan, another one pending, and a repayment."""
    today = timezone.localdate()
    customer = customer_with_file()
    loan = disbursed_loan(user=customer, periods=[today - timedelta(days=12), today + timedelta(days=18)])
    repayment(loan, "300.00")
    LoanApplicationFactory(user=customer_with_file("110101199001011237", mobile="13700001111"))
    return customer


def test_the_risk_manager_flags_a_customer_with_a_reason(browser, live_server, client, tmp_path, book):
    manager = staff_in("风控", username="风控王")
    log_in(browser, live_server, client, manager)
    desktop(browser)
    browser.get(f"{live_server.url}/admin/accounts/customer/")
    wait_for(browser, "id", "result_list")
    assert fits_the_width(browser) and "139****" in body(browser) and book.mobile not in body(browser)
    desktop_screenshot(browser, tmp_path, "customers-list-risk")
    browser.find_element("link text", str(book)).click()
    wait_for(browser, "id", "flags-form")
    assert "广东省深圳市南山区" in body(browser) and "12 天" in body(browser)
    browser.find_element("css selector", '#flags-form select[name="is_blacklisted"] option[value="on"]').click()
    reason = browser.find_element("css selector", '#flags-form textarea[name="reason"]')
    assert reason.get_attribute("required") is not None  # no reason, no change (the server refuses too)
    reason.send_keys("多头借贷，暂停授信")
    browser.find_element("css selector", "#flags-form input[type=submit]").click()
    wait_for(browser, "id", "flag-history")
    assert "多头借贷，暂停授信" in browser.find_element("id", "flag-history").text
    assert FlagChange.objects.get().changed_by == manager
    assert fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "customer-page-risk")
    dashboard_shot(browser, live_server, tmp_path, "risk")


def test_finance_exports_the_filtered_list(browser, live_server, client, tmp_path, book):
    log_in(browser, live_server, client, staff_in("财务", username="财务李"))
    desktop(browser)
    browser.get(f"{live_server.url}/admin/accounts/customer/?overdue=M1")
    wait_for(browser, "id", "result_list")
    desktop_screenshot(browser, tmp_path, "customers-list-finance")
    link = browser.find_element("css selector", 'a.export-link[data-format="csv"]')
    text = browser.execute_async_script(
        "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);", link.get_attribute("href")
    )
    header, *rows = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    assert len(rows) == 1 and dict(zip(header, rows[0]))["手机号"] == str(book)
    browser.get(f"{live_server.url}/admin/?start={(timezone.localdate() - timedelta(days=13)).isoformat()}")
    wait_for(browser, "id", "finance-panel")
    assert "放款与还款" in body(browser) and fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "dashboard-finance")


def test_the_operator_answers_feedback_and_writes_to_a_customer(browser, live_server, client, tmp_path, book):
    feedback = Feedback.objects.create(mobile=book.mobile, source="1", suggestion="还款日能否提醒两次？", user=book)
    operator = staff_in("运营", username="运营赵")
    log_in(browser, live_server, client, operator)
    desktop(browser)
    browser.get(f"{live_server.url}/admin/accounts/feedback/{feedback.pk}/change/")
    wait_for(browser, "id", "reply-form")
    browser.find_element("css selector", '#reply-form textarea[name="reply"]').send_keys("已加上到期前一天的提醒，谢谢建议")
    browser.find_element("css selector", "#reply-form input[type=submit]").click()
    wait_for_text(browser, "已处理意见反馈")
    feedback.refresh_from_db()
    assert feedback.handled_by == operator and CustomerMessage.objects.get().content == "已加上到期前一天的提醒，谢谢建议"
    desktop_screenshot(browser, tmp_path, "feedback-handled")

    browser.get(f"{live_server.url}/admin/messaging/customermessage/add/")
    wait_for(browser, "css selector", ".select2-selection").click()
    wait_for(browser, "css selector", ".select2-search__field").send_keys(book.mobile[:7])
    wait_for(browser, "xpath", f"//li[contains(@class, 'select2-results__option') and contains(., '{book}')]").click()
    browser.find_element("name", "title").send_keys("还款提醒设置")
    browser.find_element("name", "content").send_keys("您好，提醒已开通。")
    browser.find_element("name", "_save").click()
    wait_for(browser, "id", "result_list")
    assert CustomerMessage.objects.filter(user=book, title="还款提醒设置").exists()
    dashboard_shot(browser, live_server, tmp_path, "operator")


def test_the_officer_reads_the_customer_page_and_the_dashboard(browser, live_server, client, tmp_path, book):
    log_in(browser, live_server, client, staff_in("信贷专员", username="审核员钱"))
    desktop(browser)
    browser.get(f"{live_server.url}/admin/accounts/customer/{book.pk}/change/")
    wait_for(browser, "id", "loans")
    text = body(browser)
    assert "已放款" in text and "300.00" in text and "flags-form" not in browser.page_source and fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "customer-page-officer")
    dashboard_shot(browser, live_server, tmp_path, "officer", "officer-panel")
    assert "待审核" in body(browser) and "M1（1–30 天）" in body(browser)
