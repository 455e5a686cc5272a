"""The risk manager's pages in a real headless Chromium at 1366×768 (CONTRACT §11, §12): a rule
is added in two steps (the kind, then only its parameters), tried on the latest applications,
and the decisions are read in figures. Screenshots go to ``var/screenshots/``."""

import shutil

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from risk.models import RiskRule
from tests.factories import LoanApplicationFactory, UserFactory
from tests.helpers import BROWSER_TESTS, SCREENSHOTS, log_in, wait_for, wait_for_text

pytestmark = BROWSER_TESTS

DESKTOP = (1366, 768)


def desktop(browser) -> None:
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": DESKTOP[0], "height": DESKTOP[1], "deviceScaleFactor": 1, "mobile": False}
    )


def shot(browser, tmp_path, name: str) -> None:
    height = browser.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": DESKTOP[0], "height": max(DESKTOP[1], min(height, 4000)), "deviceScaleFactor": 1, "mobile": False}
    )
    path = tmp_path / f"{name}.png"
    assert browser.save_screenshot(str(path))
    desktop(browser)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SCREENSHOTS / path.name)


def fits(browser) -> bool:
    return browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.django_db(transaction=True)
def test_the_risk_manager_adds_tries_and_reads_rules(browser, live_server, client, tmp_path):
    manager = UserFactory(is_staff=True, username="fengkong", mobile="13700000001")
    manager.groups.add(Group.objects.get(name="风控"))
    for phonebook in ([], [{"contactName": "甲", "contactPhone": "13900000001"}] * 30):
        LoanApplicationFactory(phonebook=phonebook, risk_outcome="review", risk_facts=None)
    log_in(browser, live_server, client, manager)
    desktop(browser)

    browser.get(f"{live_server.url}/admin/risk/riskrule/add/")
    assert "选择规则类型" in browser.title or "选择规则类型" in browser.find_element("tag name", "body").text
    assert fits(browser)
    shot(browser, tmp_path, "risk-rule-kinds")
    browser.find_element("css selector", 'a[data-kind="small_phonebook"]').click()
    wait_for(browser, "name", "param_entries")

    names = {element.get_attribute("name") for element in browser.find_elements("css selector", "form input, form select")}
    assert "param_entries" in names and "param_min_age" not in names and "param_days" not in names
    assert "少于 N 条时触发" in browser.find_element("tag name", "body").text
    browser.find_element("name", "name").send_keys("通讯录少于 20 条")
    browser.find_element("name", "param_entries").clear()
    browser.find_element("name", "param_entries").send_keys("20")
    browser.find_element("css selector", 'select[name="outcome"] option[value="reject"]').click()
    browser.find_element("name", "enabled").click()  # a draft: not enabled yet
    browser.find_element("name", "reason").send_keys("试点：通讯录过小的申请直接拒绝")
    assert fits(browser)
    shot(browser, tmp_path, "risk-rule-form")
    browser.find_element("name", "_save").click()
    wait_for(browser, "css selector", "ul.messagelist")  # the list again: the rule is saved

    rule = RiskRule.objects.get(name="通讯录少于 20 条")
    assert (rule.params, rule.outcome, rule.enabled, rule.changed_by) == ({"entries": 20}, "reject", False, manager)
    assert "通讯录条数 N 20" in browser.find_element("tag name", "body").text

    browser.find_element("css selector", f'input[name="_selected_action"][value="{rule.pk}"]').click()
    browser.find_element("css selector", 'select[name="action"] option[value="dry_run_rules"]').click()
    browser.find_element("css selector", 'button[name="index"]').click()
    wait_for_text(browser, "试运行结果")
    text = browser.find_element("tag name", "body").text
    assert "最近 2 笔申请的试运行结果" in text and "决策会改变的申请（1 笔）" in text
    assert fits(browser)
    shot(browser, tmp_path, "risk-dry-run")

    today = timezone.localdate().isoformat()
    browser.get(f"{live_server.url}/admin/loans/loanapplication/risk-figures/?start={today}&end={today}")
    assert "借款申请 2 笔" in browser.find_element("tag name", "body").text
    shot(browser, tmp_path, "risk-figures")
