"""Helpers shared by the apps' tests: the headless browser of the page tests.

Needs Debian's ``chromium`` and ``chromium-driver`` (and a CJK font, ``fonts-wqy-microhei``, for
the screenshots to show Chinese); the tests marked with ``BROWSER_TESTS`` are skipped, saying
why, when they are absent. Screenshots go to the test's tmp dir and are copied to
``var/screenshots/`` for a human to look at.
"""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PHONE = (390, 844)
DESKTOP = (1366, 768)  # the back office's screenshots and width checks
SMALL_LAPTOP = 1024  # the narrowest desktop the back office is checked at
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists() or not CHROMEDRIVER.exists(), reason="needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)"),
]


def phone_browser(tmp_path):
    """A headless Chromium at phone size (the ``browser`` fixture of tests/conftest.py)."""
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


def wait_for(browser, by: str, value: str, seconds: float = 10):
    """The element once the page that has it is loaded (after a click that navigates)."""
    return _waiter(browser, seconds).until(_while_replaced(lambda driver: driver.find_element(by, value)))


def wait_for_text(browser, text: str, seconds: float = 10) -> None:
    """Until the page shows ``text`` (after a click that navigates)."""
    _waiter(browser, seconds).until(_while_replaced(lambda driver: text in driver.find_element("tag name", "body").text))


def _while_replaced(condition):
    """The condition, false (so tried again) while the page is being replaced: Chrome may then
    answer "Node with given id does not belong to the document" rather than a stale element."""
    from selenium.common.exceptions import WebDriverException

    def check(driver):
        try:
            return condition(driver)
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return False
            raise

    return check


def _waiter(browser, seconds: float):
    """A wait that retries when the page is replaced between finding an element and reading it."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, seconds, ignored_exceptions=(StaleElementReferenceException,))


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


def desktop(browser, height: int = DESKTOP[1], width: int = DESKTOP[0]) -> None:
    """A laptop's viewport (1366 px wide unless told) for the back office."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
    )


def desktop_screenshot(browser, tmp_path, name: str, width: int = DESKTOP[0]) -> Path:
    """The whole page at 1366 px wide (or ``width``), saved in tmp and copied to var/screenshots/."""
    height = browser.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    desktop(browser, max(DESKTOP[1], min(height, 5000)), width)
    path = tmp_path / f"{name}.png"
    assert browser.save_screenshot(str(path))
    desktop(browser, width=width)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SCREENSHOTS / path.name)
    return path


def fits_the_width(browser) -> bool:
    """No horizontal scrolling of the page itself at the current viewport."""
    return browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
