"""The loan contract page and the admin dashboard in a real headless Chromium (CONTRACT §9);
``tests/helpers.py`` drives the browser."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory, disbursed_loan, repayment
from tests.helpers import BROWSER_TESTS, assert_fits_the_phone, loaded_resources, log_in, screenshot

pytestmark = BROWSER_TESTS


@pytest.mark.django_db(transaction=True)
def test_loan_contract_renders_for_its_borrower(browser, live_server, client, tmp_path):
    borrower = UserFactory(mobile="13812345678", real_name="王豆豆")
    loan = disbursed_loan(user=borrower, code="L2025000123")
    log_in(browser, live_server, client, borrower)
    browser.get(f"{live_server.url}/open/loanContract/{loan.id}")
    text = browser.find_element("tag name", "body").text
    for expected in ("借款合同", "L2025000123", "王豆豆", "138****5678", "示例小额贷款有限公司", "还款计划", "1000.00"):
        assert expected in text, expected
    assert_fits_the_phone(browser)
    assert loaded_resources(browser) == []
    screenshot(browser, tmp_path, "loan-contract")


@pytest.mark.django_db(transaction=True)
def test_loan_contract_is_404_for_a_stranger(browser, live_server, client):
    loan = disbursed_loan()
    log_in(browser, live_server, client, UserFactory())
    browser.get(f"{live_server.url}/open/loanContract/{loan.id}")
    assert "借款合同" not in browser.page_source


@pytest.mark.django_db(transaction=True)
def test_admin_dashboard_renders_for_staff(browser, live_server, client, tmp_path):
    loan = disbursed_loan()
    today = timezone.localdate()
    for days_ago, amount in [(0, "1014.00"), (2, "350.00"), (3, "88.50"), (9, "620.00"), (17, "1200.00"), (28, "45.00")]:
        repayment(loan, amount, timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(10))))
    staff = UserFactory(is_staff=True, is_superuser=True, username="boss", mobile="13700000000")
    log_in(browser, live_server, client, staff)
    browser.get(f"{live_server.url}/admin/")
    text = browser.find_element("tag name", "body").text
    assert "经营概况" in text and "累计放款金额" in text and "¥1,000.00" in text and "¥3,317.50" in text
    bars = browser.find_elements("css selector", "#dashboard svg rect")
    assert len(bars) == 30 and max(bar.size["height"] for bar in bars) > 20
    screenshot(browser, tmp_path, "admin-dashboard")
