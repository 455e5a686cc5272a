"""The pages in a real headless Chromium at phone width (CONTRACT §9: they render on a phone
without any external asset). Screenshots go to the test's tmp dir and are copied to
``var/screenshots/`` for a human to look at.

Needs Debian's ``chromium`` and ``chromium-driver`` (and a CJK font, ``fonts-wqy-microhei``, for
the screenshots to show Chinese); skipped, saying why, when they are absent.
"""

import shutil
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from messaging.h5_texts import DEFAULT_PAGES, LOAN_HELP, REGISTRATION_PROTOCOL
from tests.factories import UserFactory
from tests.messaging.factories import disbursed_loan, repayment

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PHONE = (390, 844)
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists() or not CHROMEDRIVER.exists(), reason="needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)"),
]


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (requirements-dev.txt)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-extensions", f"--user-data-dir={tmp_path / 'profile'}",
        f"--window-size={PHONE[0]},{PHONE[1]}", "--lang=zh-CN",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    emulate_phone(driver, PHONE[1])
    yield driver
    driver.quit()


def log_in(browser, live_server, client, user) -> None:
    """Put the user's session cookie (made by Django's test client) into the browser."""
    client.force_login(user)
    browser.get(f"{live_server.url}/healthz")
    browser.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "path": "/"})


def emulate_phone(browser, height: int) -> None:
    """A phone's viewport (390 px wide, touch, the page's viewport meta honoured)."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": PHONE[0], "height": height, "deviceScaleFactor": 1, "mobile": True}
    )


def screenshot(browser, tmp_path, name: str) -> Path:
    """A full-page screenshot at phone width, saved in tmp and copied to var/screenshots/."""
    height = browser.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    emulate_phone(browser, max(PHONE[1], min(height, 8000)))
    path = tmp_path / f"{name}.png"
    assert browser.save_screenshot(str(path))
    emulate_phone(browser, PHONE[1])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SCREENSHOTS / path.name)
    return path


def assert_fits_the_phone(browser) -> None:
    """Nothing wider than the screen: no horizontal scrolling of the page itself."""
    width = browser.execute_script("return document.documentElement.scrollWidth")
    inner = browser.execute_script("return window.innerWidth")
    assert width <= inner, (width, inner)


def loaded_resources(browser) -> list[str]:
    return browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path,slug", [("/open/registrationProtocol", REGISTRATION_PROTOCOL), ("/open/loanHelp", LOAN_HELP)])
def test_h5_pages_render_on_a_phone(browser, live_server, tmp_path, path, slug):
    browser.get(live_server.url + path)
    title, body = DEFAULT_PAGES[slug]
    assert browser.title == title
    text = browser.find_element("tag name", "body").text
    assert title in text and body.split("\n")[0][:20] in text
    assert_fits_the_phone(browser)
    assert loaded_resources(browser) == []  # nothing fetched besides the page itself
    assert screenshot(browser, tmp_path, f"h5-{slug}").stat().st_size > 5000


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
