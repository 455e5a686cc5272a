"""The risk manager's pages in a real headless Chromium at 1366×768 (CONTRACT §11, §12): a rule
is added in two steps (the kind, then only its parameters), tried on the latest applications,
and the decisions are read in figures. Screenshots go to ``var/screenshots/``."""


import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from risk.models import RiskRule
from tests.factories import LoanApplicationFactory, UserFactory
from tests.helpers import BROWSER_TESTS, desktop, desktop_screenshot, fits_the_width, log_in, wait_for, wait_for_text

pytestmark = BROWSER_TESTS

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
    assert fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "risk-rule-kinds")
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
    assert fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "risk-rule-form")
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
    assert fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "risk-dry-run")

    today = timezone.localdate().isoformat()
    browser.get(f"{live_server.url}/admin/loans/loanapplication/risk-figures/?start={today}&end={today}")
    assert "借款申请 2 笔" in browser.find_element("tag name", "body").text
    desktop_screenshot(browser, tmp_path, "risk-figures")
