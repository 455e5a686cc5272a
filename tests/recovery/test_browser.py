"""Collections in a real headless Chromium at 1366×768 (issue 16): a collector opens their case
from "my cases", logs a promise with the form, and cannot open another collector's case; the
lead reads the reports. Screenshots go to ``var/screenshots/``."""

from datetime import timedelta

import pytest
from django.utils import timezone

from loans.overdue import mark_overdue
from recovery.assignment import reassign
from recovery.models import CollectionCase, ContactLog
from tests.backoffice.helpers import customer_with_file
from tests.factories import disbursed_loan
from tests.helpers import BROWSER_TESTS, desktop, desktop_screenshot, fits_the_width, log_in, wait_for, wait_for_text
from tests.recovery.helpers import collector, lead

pytestmark = [*BROWSER_TESTS, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cases():
    """Collectors 张三 and 李四, a case each, opened by today's job (12 and 40 days late)."""
    zhang = collector("zhangsan", real_name="张三")
    li = collector("lisi", real_name="李四")
    today = timezone.localdate()
    first = disbursed_loan(user=customer_with_file(), periods=[today - timedelta(days=12), today + timedelta(days=18)],
                           contact_name="王母", contact_phone="13700001111")
    second = disbursed_loan(user=customer_with_file("110101199001011237", mobile="13700002222"), periods=[today - timedelta(days=40)])
    mark_overdue(today)
    by_loan = {case.loan_id: case for case in CollectionCase.objects.all()}
    boss = lead("boss")
    mine = reassign(by_loan[first.pk], zhang, by=boss)
    theirs = reassign(by_loan[second.pk], li, by=boss)
    return zhang, mine, theirs


def body(browser) -> str:
    return browser.find_element("tag name", "body").text


def test_a_collector_logs_a_promise_on_their_case_and_cannot_open_anothers(browser, live_server, client, tmp_path, cases):
    zhang, mine, theirs = cases
    log_in(browser, live_server, client, zhang)
    desktop(browser)
    browser.get(f"{live_server.url}/admin/recovery/collectioncase/")
    wait_for(browser, "id", "result_list")
    rows = browser.find_elements("css selector", "#result_list tbody tr")
    assert len(rows) == 1 and mine.loan.code in rows[0].text and theirs.loan.code not in body(browser)
    assert fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "collections-my-cases")

    browser.find_element("link text", mine.loan.code).click()
    wait_for(browser, "id", "contact-form")
    page = body(browser)
    assert "王豆豆" in page and "王母 13700001111" in page and "12 天" in page and "M1" in page
    promised = timezone.localdate() + timedelta(days=3)
    browser.find_element("css selector", 'select[name="channel"] option[value="call"]').click()
    browser.find_element("css selector", 'select[name="result"] option[value="promise"]').click()
    browser.find_element("name", "promise_date").send_keys(promised.isoformat())
    browser.find_element("name", "promise_amount").send_keys("300")
    browser.find_element("name", "note").send_keys("周五发工资后还")
    browser.find_element("css selector", '#contact-form input[type="submit"]').click()
    wait_for_text(browser, "已记录本次联系")
    contacts = browser.find_element("id", "contacts").text
    assert "承诺还款" in contacts and promised.isoformat() in contacts and "300.00" in contacts and "待兑现" in contacts
    entry = ContactLog.objects.get()
    assert (entry.case_id, entry.collector, str(entry.promise_amount), entry.promise_date) == (mine.pk, zhang, "300.00", promised)
    assert fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "collections-case-page")

    browser.get(f"{live_server.url}/admin/recovery/collectioncase/{theirs.pk}/change/")
    wait_for_text(browser, "无权访问")
    assert "13700002222" not in body(browser)
    desktop_screenshot(browser, tmp_path, "collections-another-case-403")


def test_the_lead_reads_every_case_and_the_reports(browser, live_server, client, tmp_path, cases):
    log_in(browser, live_server, client, lead())
    desktop(browser)
    browser.get(f"{live_server.url}/admin/recovery/collectioncase/")
    wait_for(browser, "id", "result_list")
    assert len(browser.find_elements("css selector", "#result_list tbody tr")) == 2
    assert fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "collections-lead-cases")
    browser.get(f"{live_server.url}/admin/recovery/collectionreport/")
    wait_for_text(browser, "迁徙率")
    assert fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "collections-reports")
