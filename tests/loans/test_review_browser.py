"""The review workbench in a real headless Chromium at 1366×768 (issue 14 acceptance): an officer
claims an application from the queue, reads the review sheet and rejects it with a reason from
the list and a note; another officer approves; finance disburses through the confirmation
page; the approver's own disbursement is refused; an officer cannot disburse and finance cannot
approve. Screenshots of the queue, the review sheet and the confirmation page go to
``var/screenshots/`` (``scripts/screenshots -k review``)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from loans.models import LoanApplication, StatusChange
from tests.backoffice.helpers import customer_with_file, staff_in
from tests.factories import LoanApplicationFactory, VerifiedUserFactory, disbursed_loan
from tests.helpers import BROWSER_TESTS, DESKTOP, desktop, desktop_screenshot, fits_the_width, log_in, wait_for, wait_for_text

pytestmark = [*BROWSER_TESTS, pytest.mark.django_db(transaction=True)]

QUEUE = "/admin/loans/loanapplication/"
NAMES = ["李小梅", "赵大山", "钱多多", "孙悟净", "周一鸣", "吴晓燕", "郑好运", "王建国"]


def body(browser) -> str:
    return browser.find_element("tag name", "body").text


def aged(loan, **ago) -> LoanApplication:
    LoanApplication.objects.filter(pk=loan.pk).update(applied_at=timezone.now() - timedelta(**ago))
    return loan


@pytest.fixture
def queue():
    """A first applicant with a full file waiting two days, a claimed one, others pending or
    approved, and finished loans below them."""
    today = timezone.localdate()
    first = aged(LoanApplicationFactory(
        code="CL20261128000001", user=customer_with_file(), apply_amount=Decimal("3000.00"), service_fee=Decimal("150.00"),
        purpose="15", device_token="device-token-1", longitude="116.397128", latitude="39.916527",
        phonebook=[{"contactName": f"联系人{n}", "contactPhone": f"1370000{n:04d}"} for n in range(40)],
        risk_outcome="review", risk_hits=[{"name": "首次借款人工审核", "outcome": "review", "seen": {"paid_off_loans": 0}, "error": ""}],
    ), days=2, hours=3)
    for number, name in enumerate(NAMES):
        loan = LoanApplicationFactory(
            code=f"CL2026112900{number:04d}", user=VerifiedUserFactory(real_name=name), apply_amount=Decimal(1000 + 500 * number),
            status=(0, 0, 2, 0)[number % 4], risk_outcome="review",
        )
        aged(loan, hours=30 - 3 * number)
    for number in range(3):
        disbursed_loan(code=f"CL2026110100{number:04d}", user=VerifiedUserFactory(real_name=f"老客户{number}"), periods=[today + timedelta(days=9)])
    return first


def choose(browser, loan_code: str, action: str) -> None:
    row = browser.find_element("xpath", f'//tr[.//a[text()="{loan_code}"]]')
    row.find_element("css selector", 'input[name="_selected_action"]').click()
    browser.find_element("css selector", f'select[name="action"] option[value="{action}"]').click()
    browser.find_element("css selector", 'button[name="index"]').click()


def test_an_officer_claims_reviews_and_rejects_with_a_reason(browser, live_server, client, tmp_path, queue):
    officer = staff_in("信贷专员", username="officer-li")
    log_in(browser, live_server, client, officer)
    desktop(browser)
    browser.get(f"{live_server.url}{QUEUE}")
    wait_for(browser, "id", "result_list")
    rows = [row.text for row in browser.find_elements("css selector", "#result_list tbody tr")]
    assert rows[0].startswith("CL20261128000001") and "2 天 3 小时" in rows[0] and "王豆豆 139****" in rows[0]
    assert fits_the_width(browser)
    for header in browser.find_elements("css selector", "#result_list thead th"):
        assert header.size["height"] < 40, header.text  # no header wrapped onto a second line
    labels = browser.find_elements("css selector", ".status-label")
    assert labels and all(label.size["height"] < 24 for label in labels)  # 待审核 on one line
    desktop_screenshot(browser, tmp_path, "review-queue")

    choose(browser, "CL20261128000001", "claim_applications")
    wait_for_text(browser, "已领取 1 笔：CL20261128000001")
    browser.find_element("link text", "CL20261128000001").click()
    wait_for(browser, "id", "review-bar")
    text = body(browser)
    for expected in ("领取人：officer-li", "年化利率 36%", "租房", "广东省深圳市", "共 40 条", "首次借款人工审核", "还款计划预览"):
        assert expected in text, expected
    assert fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "review-sheet")

    browser.find_element("id", "reject-button").click()
    browser.find_element("css selector", '#reject-form select[name="reason"] option[value="收入不足"]').click()
    browser.find_element("css selector", '#reject-form textarea[name="note"]').send_keys("工作不满三个月，无收入证明")
    browser.find_element("id", "reject-submit").click()
    wait_for_text(browser, "已拒绝 1 笔：CL20261128000001")
    assert "拒绝原因：收入不足" in body(browser) and "收入不足（工作不满三个月，无收入证明）" in body(browser)
    change = StatusChange.objects.filter(application=queue, to_status=3).get()
    assert change.changed_by == officer and change.note == "收入不足（工作不满三个月，无收入证明）"


def test_another_officer_approves_and_finance_disburses_through_the_confirmation(browser, live_server, client, tmp_path, queue):
    approver = staff_in("信贷专员", username="officer-zhao")
    log_in(browser, live_server, client, approver)
    desktop(browser)
    browser.get(f"{live_server.url}{QUEUE}{queue.pk}/change/")
    wait_for(browser, "id", "approve-button").click()
    wait_for_text(browser, "已审核通过 1 笔：CL20261128000001")
    assert 'value="disburse_applications"' not in browser.page_source  # officers do not pay out
    browser.get(f"{live_server.url}{QUEUE}")
    wait_for(browser, "id", "result_list")
    assert not browser.find_elements("css selector", 'select[name="action"] option[value="disburse_applications"]')

    finance = staff_in("财务", username="finance-qian")
    log_in(browser, live_server, client, finance)
    browser.get(f"{live_server.url}{QUEUE}?status__exact=2")
    wait_for(browser, "id", "result_list")
    assert not browser.find_elements("css selector", 'select[name="action"] option[value="approve_applications"]')
    for box in browser.find_elements("css selector", '#result_list input[name="_selected_action"]'):
        box.click()
    browser.find_element("css selector", 'select[name="action"] option[value="disburse_applications"]').click()
    browser.find_element("css selector", 'button[name="index"]').click()
    wait_for(browser, "id", "disbursement-list")
    text = body(browser)
    assert "CL20261128000001" in text and "3000.00" in text and "150.00" in text and "2850.00" in text
    total = browser.find_element("id", "total-net").text
    assert total == "8850.00"  # 2850.00 + the two the fixture approved (2000.00 and 4000.00, no fee)
    assert fits_the_width(browser)
    desktop_screenshot(browser, tmp_path, "disburse-confirmation")
    browser.find_element("css selector", 'input[type="submit"].default').click()
    wait_for_text(browser, "已放款 3 笔")
    queue.refresh_from_db()
    assert queue.status == 4 and queue.disbursements.get().amount == Decimal("2850.00")


def test_the_approvers_own_disbursement_is_refused(browser, live_server, client, queue):
    both = staff_in("信贷专员", username="officer-finance")
    both.groups.add(Group.objects.get(name="财务"))
    log_in(browser, live_server, client, both)
    desktop(browser)
    browser.get(f"{live_server.url}{QUEUE}{queue.pk}/change/")
    wait_for(browser, "id", "approve-button").click()
    wait_for_text(browser, "已审核通过 1 笔")
    assert "您审核通过了这笔借款，须由另一位员工放款（四眼原则）" in body(browser)
    browser.find_element("id", "disburse-button").click()
    wait_for(browser, "id", "disbursement-list")
    assert "不会放款：您审核通过了这笔借款" in body(browser)
    assert not browser.find_elements("css selector", 'input[type="submit"].default')
    queue.refresh_from_db()
    assert queue.status == 2


def test_the_queue_is_usable_at_1024(browser, live_server, client, queue):
    log_in(browser, live_server, client, staff_in("信贷专员"))
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 1024, "height": DESKTOP[1], "deviceScaleFactor": 1, "mobile": False})
    browser.get(f"{live_server.url}{QUEUE}")
    wait_for(browser, "id", "result_list")
    assert fits_the_width(browser)
    visible = [header.text for header in browser.find_elements("css selector", "#result_list thead th") if header.is_displayed()]
    for column in ("借款编号", "已等待", "申请人", "金额", "风控", "状态", "领取人"):
        assert column in visible, (column, visible)
