"""One-time secrets are never stored or shown in clear (CONTRACT §11, issue 10 item 1).

The attack to defeat: an operator requests a reset code for a customer, reads it in the admin,
resets the password and logs in as them. Codes and captchas are kept as keyed hashes; a code
SMS is recorded with ``******`` and its real text sealed only until delivery; sending it again
(staff resend, re-queue job, a delivery without the sealed text) issues a fresh code.
"""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone

from cashloan.crypto import decrypt_value
from messaging import code_messages, delivery
from messaging.models import SmsMessage
from messaging.services import requeue_stale_sms
from messaging.sms import BaseSmsBackend, SmsGatewayError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CUSTOMER = "13712345601"
DIGEST = re.compile(r"[0-9a-f]{64}")


@pytest.fixture
def customer():
    return UserFactory(mobile=CUSTOMER, username=CUSTOMER)


@pytest.fixture
def operator(client):
    user = UserFactory(is_staff=True, username="operator")
    user.groups.add(Group.objects.get(name="运营"))
    client.force_login(user)
    return user


def delivered(sms_file) -> list[str]:
    if not sms_file.exists():
        return []
    return [json.loads(line)["text"] for line in sms_file.read_text(encoding="utf-8").splitlines()]


class RefusingBackend(BaseSmsBackend):
    """A gateway whose error repeats the message, code included (as some do)."""

    def send(self, mobile, text):
        raise SmsGatewayError(f"refused for {mobile}: {text}")


def test_the_cache_holds_no_captcha_and_no_code_in_clear(steps, api, customer):
    captcha = steps.captcha()
    session_key = api.client.cookies["JSESSIONID"].value
    stored = cache.get(f"captcha:{session_key}")
    assert DIGEST.fullmatch(stored) and captcha not in stored
    assert steps.send_code(CUSTOMER, reset=True, captcha=captcha).code == "20001000"
    code = steps.last_code(CUSTOMER)
    stored = cache.get(f"smscode:reset:{CUSTOMER}")
    assert DIGEST.fullmatch(stored) and code not in stored
    assert steps.check_code(CUSTOMER, code, reset=True).code == "20002006"  # the hash checks it


def test_an_operator_never_reads_a_reset_code(client, steps, customer, operator):
    """The issue's attack, page by page: list, search, detail, history."""
    assert steps.send_code(CUSTOMER, reset=True).code == "20001000"
    code = steps.last_code(CUSTOMER)
    sms = SmsMessage.objects.get(mobile=CUSTOMER)
    assert code not in sms.text and "******" in sms.text and sms.sealed_text == ""  # delivered: nothing sealed
    pages = [
        "/admin/messaging/smsmessage/",
        f"/admin/messaging/smsmessage/?q={CUSTOMER}",
        f"/admin/messaging/smsmessage/{sms.pk}/change/",
        f"/admin/messaging/smsmessage/{sms.pk}/history/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert code not in response.content.decode(), page
    assert client.get("/admin/messaging/smsmessage/", {"q": code}).context["cl"].result_count == 0
    detail = client.get(f"/admin/messaging/smsmessage/{sms.pk}/change/").content.decode()
    assert "验证码******" in detail
    actions = client.get("/admin/messaging/smsmessage/").context["action_form"].fields["action"].choices
    assert [name for name, _ in actions if name] == ["resend"]  # no export, nothing else


def test_the_text_is_sealed_until_delivered_and_errors_never_show_the_code(settings, steps, customer):
    settings.SMS_BACKEND = "tests.accounts.test_one_time_secrets.RefusingBackend"
    captcha = steps.captcha()
    with steps.capture_on_commit(execute=False) as queued:  # recorded, not yet handed over
        assert steps.api.post("/openApi/forgetPwdGetSmsCode", {"mobile": CUSTOMER, "code": captcha}).code == "20001000"
    sms = SmsMessage.objects.get(mobile=CUSTOMER)
    text, code = json.loads(decrypt_value(sms.sealed_text))
    assert sms.has_code and sms.text == text.replace(code, "******") and code not in sms.text
    for callback in queued:  # the task retries, then gives up
        callback()
    sms.refresh_from_db()
    assert sms.status == SmsMessage.Status.FAILED and sms.sealed_text == ""
    assert "refused for" in sms.last_error and code not in sms.last_error and "******" in sms.last_error


def test_a_staff_resend_sends_a_fresh_code(client, settings, steps, customer, operator, sms_file):
    settings.SMS_BACKEND = "tests.accounts.test_one_time_secrets.RefusingBackend"
    assert steps.send_code(CUSTOMER, reset=True).code == "20001000"
    sms = SmsMessage.objects.get(mobile=CUSTOMER, status=SmsMessage.Status.FAILED)
    settings.SMS_BACKEND = "file"
    with steps.capture_on_commit(execute=True):
        client.post("/admin/messaging/smsmessage/", {"action": "resend", "_selected_action": [sms.pk]})
    [text] = delivered(sms_file)
    fresh = re.search(r"[0-9]{6}", text).group()
    sms.refresh_from_db()
    assert sms.status == SmsMessage.Status.SENT and fresh not in sms.text and sms.sealed_text == ""
    assert fresh not in LogEntry.objects.get(object_id=str(sms.pk)).change_message
    assert steps.check_code(CUSTOMER, fresh, reset=True).code == "20002006"


def test_the_requeue_job_sends_a_fresh_code(steps, customer, sms_file):
    captcha = steps.captcha()
    with steps.capture_on_commit(execute=False):  # the broker was down: never handed over
        steps.api.post("/openApi/forgetPwdGetSmsCode", {"mobile": CUSTOMER, "code": captcha})
    sms = SmsMessage.objects.get(mobile=CUSTOMER)
    first = json.loads(decrypt_value(sms.sealed_text))[1]
    SmsMessage.objects.filter(pk=sms.pk).update(created_at=timezone.now() - timedelta(hours=2))
    with steps.capture_on_commit(execute=True):
        assert requeue_stale_sms() == 1
    [text] = delivered(sms_file)
    fresh = re.search(r"[0-9]{6}", text).group()
    assert fresh != first  # a new draw (it repeats the old code once in a million runs)
    assert steps.check_code(CUSTOMER, first, reset=True).code == "20002005"
    assert steps.check_code(CUSTOMER, fresh, reset=True).code == "20002006"


def test_a_delivery_without_the_sealed_text_sends_a_fresh_code_not_stars(steps, customer, sms_file):
    """A retry after the sealed text is gone (a redelivered task, a row from before this
    release) never sends ``******``: it issues a new code."""
    sms = SmsMessage.objects.create(mobile=CUSTOMER, text="您正在找回密码，验证码******", purpose="reset_password", has_code=True)
    assert delivery.deliver_sms(sms.pk)
    [text] = delivered(sms_file)
    fresh = re.search(r"[0-9]{6}", text).group()
    assert steps.check_code(CUSTOMER, fresh, reset=True).code == "20002006"
    sms.refresh_from_db()
    assert fresh not in sms.text and sms.sealed_text == ""


def test_codes_recorded_in_clear_before_are_redacted_by_the_migration():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("messaging.migrations.0004_sms_codes_sealed")
    old = SmsMessage.objects.create(mobile=CUSTOMER, text="您正在注册，验证码123456，5分钟内有效。", purpose="register")
    notice = SmsMessage.objects.create(mobile=CUSTOMER, text="您的借款 CL20250101123456 已放款", purpose="disbursed")
    migration.redact_recorded_codes(apps, None)
    old.refresh_from_db(), notice.refresh_from_db()
    assert (old.text, old.has_code) == ("您正在注册，验证码******，5分钟内有效。", True)
    assert (notice.text, notice.has_code) == ("您的借款 CL20250101123456 已放款", False)


def test_every_code_purpose_has_an_issuer():
    from accounts.services.sms_codes import SMS_PURPOSES

    assert set(SMS_PURPOSES.values()) <= set(code_messages._issuers)
