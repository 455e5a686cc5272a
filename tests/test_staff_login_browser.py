"""The staff lock-out page in a real headless Chromium (CONTRACT §11, issue 10 item 3)."""

import pytest

from tests.factories import UserFactory
from tests.helpers import BROWSER_TESTS, screenshot, wait_for
from tests.test_staff_login import PASSWORD, log_in

pytestmark = BROWSER_TESTS


@pytest.mark.django_db(transaction=True)
def test_the_lock_out_page_in_a_browser(browser, live_server, client, tmp_path):
    UserFactory(username="officer", is_staff=True)
    for _ in range(5):
        log_in(client, "officer", "wrong", address="127.0.0.1")  # the live server sees 127.0.0.1
    browser.get(f"{live_server.url}/admin/login/")
    browser.find_element("name", "username").send_keys("officer")
    browser.find_element("name", "password").send_keys(PASSWORD)
    browser.find_element("css selector", 'input[type="submit"]').click()
    heading = wait_for(browser, "tag name", "h1")
    assert heading.text == "登录已被锁定"
    screenshot(browser, tmp_path, "admin-login-locked")
