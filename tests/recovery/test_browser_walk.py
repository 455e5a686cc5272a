"""The two collections roles' day in a headless Chromium, at 1366 and at 1024 px (a walk through
the back office as a collector and as the collections lead, over the book of
``tests/recovery/book.py``): what each lands on, the lists, their filters and sort, the case
page, the contact form, another's case, reassigning, the reports and their files, the dunning
texts and the collectors' buckets. Screenshots go to ``var/screenshots/walk-*.png``."""

from datetime import timedelta

import pytest
from django.test import Client

from recovery.models import CollectionCase
from tests.helpers import (
    BROWSER_TESTS,
    SMALL_LAPTOP,
    desktop,
    desktop_screenshot,
    fits_the_width,
    log_in,
    wait_for,
    wait_for_text,
)
from tests.recovery.book import a_book

pytestmark = [*BROWSER_TESTS, pytest.mark.django_db(transaction=True)]

CASES = "/admin/recovery/collectioncase/"


@pytest.fixture
def book():
    return a_book()


def body(browser) -> str:
    return browser.find_element("tag name", "body").text


def column(browser, name: str) -> list[str]:
    return [cell.text for cell in browser.find_elements("css selector", f"#result_list td.field-{name}, #result_list th.field-{name}")]


def aligned_right(browser, selector: str) -> bool:
    cells = browser.find_elements("css selector", selector)
    return bool(cells) and all(cell.value_of_css_property("text-align") in ("right", "end") for cell in cells)


def clipped_tables(browser) -> list:
    """The tables that scroll sideways inside their box (Django's changelist hides what does not
    fit behind a scroll bar of its own, which the page's width does not show)."""
    return browser.execute_script(
        "return [...document.querySelectorAll('.results, table')].filter(box => box.scrollWidth > box.clientWidth + 1)"
        ".map(box => [box.id || box.className, box.scrollWidth, box.clientWidth])"
    )


def at_both_widths(browser, tmp_path, name: str) -> None:
    """The page fits 1366 px and 1024 px, its tables whole; a screenshot at each."""
    for width in (1366, SMALL_LAPTOP):
        desktop(browser, width=width)
        desktop_screenshot(browser, tmp_path, f"walk-{name}-{width}", width)
        assert fits_the_width(browser), (name, width, browser.execute_script("return document.documentElement.scrollWidth"))
        assert not clipped_tables(browser), (name, width, clipped_tables(browser))
    desktop(browser)


def test_a_collectors_day(browser, live_server, client, tmp_path, book):
    zhang = book.collectors["zhangsan"]
    log_in(browser, live_server, client, zhang)
    desktop(browser)

    # The dashboard: their open cases by bucket, the promises due, the broken ones; no date range to pick.
    browser.get(f"{live_server.url}/admin/")
    panel = wait_for(browser, "id", "cases-panel").text
    assert "我的在催案件" in panel and "跳票\n1" in panel and "¥3,141.30" in panel
    assert not browser.find_elements("css selector", "#role-dashboard form.range")
    at_both_widths(browser, tmp_path, "collector-dashboard")

    # My cases: the worst first, days and amounts right-aligned, the title says whose.
    browser.find_element("css selector", "#cases-panel a.tile").click()
    wait_for(browser, "id", "result_list")
    assert "我的催收案件" in browser.find_element("css selector", "#content h1").text
    assert column(browser, "dpd") == ["40", "25", "12", "3"]
    assert aligned_right(browser, "#result_list td.field-due") and aligned_right(browser, "#result_list td.field-dpd")
    assert "跳票" in column(browser, "promise")[1]
    at_both_widths(browser, tmp_path, "collector-my-cases")
    browser.get(f"{live_server.url}{CASES}?broken_promise__exact=1")
    assert column(browser, "borrower")[0].startswith("孙三") and len(column(browser, "borrower")) == 1

    # A case: what is owed, then a promise logged with the form and shown in the list.
    case = book.case("赵一")
    browser.get(f"{live_server.url}{CASES}")
    browser.find_element("link text", case.loan.code).click()
    wait_for(browser, "id", "contact-form")
    owed = browser.find_element("id", "owed").text
    assert f"合计 {case.due}" in owed
    assert aligned_right(browser, "#owed td.num")
    browser.find_element("css selector", 'select[name="result"] option[value="promise"]').click()
    browser.find_element("css selector", '#contact-form input[type="submit"]').click()  # a promise without its date
    wait_for(browser, "css selector", "#contact-form .errornote")
    desktop_screenshot(browser, tmp_path, "walk-collector-promise-refused")
    assert "承诺还款须填写承诺还款日与承诺金额" in browser.find_element("id", "contact-form").text
    promised = book.today + timedelta(days=1)
    browser.find_element("name", "promise_date").send_keys(promised.isoformat())
    browser.find_element("name", "promise_amount").send_keys("611.10")
    browser.find_element("css selector", '#contact-form input[type="submit"]').click()
    wait_for_text(browser, "已记录本次联系")
    assert "张三" in browser.find_element("id", "contacts").text  # the collector by name, as everywhere else
    at_both_widths(browser, tmp_path, "collector-case")
    browser.get(f"{live_server.url}{CASES}?promise=pending")
    assert f"{promised:%m-%d} 还 611.10" in column(browser, "promise")

    # Another collector's case: a 403 that says why, in the back office, with the way back.
    browser.get(f"{live_server.url}{CASES}{book.case('周五').pk}/change/")
    wait_for_text(browser, "无权访问")
    page = body(browser)
    assert "没有分给您" in page and "催收主管" in page and "13900000" not in page
    at_both_widths(browser, tmp_path, "collector-not-your-case")
    browser.find_element("link text", "返回我的案件").click()
    wait_for(browser, "id", "result_list")


def test_the_leads_day(browser, live_server, client, tmp_path, book):
    log_in(browser, live_server, client, book.lead)
    desktop(browser)

    browser.get(f"{live_server.url}/admin/")
    panel = wait_for(browser, "id", "cases-panel").text
    assert "在催案件（全部催收员）" in panel and "未分配" in panel
    assert not browser.find_elements("css selector", "#role-dashboard form.range")  # nothing here reads a range
    at_both_widths(browser, tmp_path, "lead-dashboard")

    # Every case, filtered by collector and bucket.
    browser.get(f"{live_server.url}{CASES}")
    wait_for(browser, "id", "result_list")
    assert "全部催收案件" in browser.find_element("css selector", "#content h1").text
    assert len(column(browser, "loan_code")) == 7
    at_both_widths(browser, tmp_path, "lead-cases")
    browser.find_element("link text", "张三（zhangsan）").click()
    wait_for_text(browser, "4 条结果")
    browser.find_element("link text", "M1（1–30 天）").click()
    wait_for_text(browser, "3 条结果")

    # Reassign two of 张三's M1 cases to 王五: the form names who holds them and preselects no one.
    chosen = [book.case("赵一"), book.case("钱二")]
    for case in chosen:
        browser.find_element("css selector", f'input.action-select[value="{case.pk}"]').click()
    browser.find_element("css selector", 'select[name="action"] option[value="reassign_cases"]').click()
    browser.find_element("css selector", 'button[name="index"]').click()
    table = wait_for(browser, "id", "reassign-cases").text
    assert "张三（zhangsan）" in table and chosen[0].loan.code in table
    selected = browser.find_element("css selector", 'select[name="collector"] option:checked').text
    assert selected == "请选择催收员"
    at_both_widths(browser, tmp_path, "lead-reassign-form")
    assert browser.find_element("name", "collector").get_attribute("required")  # the browser asks before posting
    browser.find_element("css selector", 'select[name="collector"] option[value="%d"]' % book.collectors["wangwu"].pk).click()
    browser.find_element("name", "note").send_keys("张三休假")
    browser.find_element("css selector", 'input[type="submit"].default').click()
    wait_for_text(browser, "已调案 2 件")
    assert set(CollectionCase.objects.filter(pk__in=[c.pk for c in chosen]).values_list("collector__username", flat=True)) == {"wangwu"}
    desktop_screenshot(browser, tmp_path, "walk-lead-reassigned")

    # The reports, for dates of the lead's choosing; each collector leads to their cases.
    browser.get(f"{live_server.url}/admin/recovery/collectionreport/")
    wait_for_text(browser, "迁徙率")
    assert aligned_right(browser, "table.report td.num")
    at_both_widths(browser, tmp_path, "lead-reports")
    yesterday = book.today - timedelta(days=1)
    browser.find_element("name", "on").send_keys(yesterday.isoformat())
    browser.find_element("name", "start").send_keys(book.today.isoformat())
    browser.find_element("css selector", '.report-form input[type="submit"]').click()
    wait_for_text(browser, f"在催案件（{yesterday.isoformat()} 日终")
    page = body(browser)
    assert "这段时间没有催收回款" in page  # 冯八 repaid yesterday, not today
    assert not browser.find_elements("css selector", "table.report td a")  # yesterday's table: no links to today's list
    desktop_screenshot(browser, tmp_path, "walk-lead-reports-chosen")
    exports = [link.get_attribute("href") for link in browser.find_elements("css selector", ".report-exports a")]
    assert len(exports) == 6 and all(f"on={yesterday.isoformat()}" in href for href in exports)
    files = Client()  # a session of its own: logging the browser's client in again would end the browser's
    files.force_login(book.lead)
    for href in exports:
        response = files.get(href.replace(live_server.url, ""))
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]

    # The dunning texts and the collectors' buckets.
    browser.get(f"{live_server.url}/admin/recovery/dunningtemplate/")
    wait_for(browser, "id", "result_list")
    at_both_widths(browser, tmp_path, "lead-dunning")
    desktop(browser, width=SMALL_LAPTOP)
    assert browser.execute_script(  # each bucket on one line
        "return [...document.querySelectorAll('#result_list .field-bucket a')].every(link => link.getClientRects().length == 1)"
    )
    desktop(browser)
    browser.find_element("css selector", "#result_list tbody th a").click()
    wait_for(browser, "name", "text")
    buttons = [button.get_attribute("value") for button in browser.find_elements("css selector", ".submit-row input[type=submit]")]
    assert buttons == ["保存", "保存并继续编辑"] and not browser.find_elements("css selector", ".deletelink")
    desktop_screenshot(browser, tmp_path, "walk-lead-dunning-edit")
    browser.get(f"{live_server.url}/admin/recovery/collectorbuckets/")
    assert "这里的设置暂不生效" in wait_for(browser, "id", "assign-mode").text
    desktop_screenshot(browser, tmp_path, "walk-lead-buckets")
    browser.get(f"{live_server.url}/admin/recovery/collectorbuckets/add/")
    assert wait_for(browser, "css selector", 'select[name="collector"] option:checked').text == "请选择催收员"
    at_both_widths(browser, tmp_path, "lead-buckets-add")
