"""The H5 pages in a real headless Chromium at phone width (CONTRACT §9: they render on a phone
without any external asset); ``tests/helpers.py`` drives the browser."""

import pytest

from messaging.h5_texts import DEFAULT_PAGES, LOAN_HELP, REGISTRATION_PROTOCOL
from tests.helpers import BROWSER_TESTS, assert_fits_the_phone, loaded_resources, screenshot

pytestmark = BROWSER_TESTS


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
