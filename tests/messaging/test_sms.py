"""SMS through Celery: retries with backoff, recorded failures, re-sending (CONTRACT §7, §10).

Tests run Celery eagerly (no broker): Celery then runs each retry inline, without waiting
for the countdown, so the whole retry path is exercised here.
"""

import logging
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from messaging import delivery
from messaging.models import SmsMessage
from messaging.services import ENQUEUE_FAILED, requeue_stale_sms, resend_sms, send_sms
from messaging.sms import BaseSmsBackend, SmsGatewayError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class FlakyBackend(BaseSmsBackend):
    """Fails ``failures`` times, then delivers into ``sent``."""

    failures = 0
    calls = 0
    sent: list = []

    def send(self, mobile, text):
        type(self).calls += 1
        if type(self).calls <= type(self).failures:
            raise SmsGatewayError(f"gateway busy (call {type(self).calls})")
        type(self).sent.append((mobile, text))


class BrokenBackend(BaseSmsBackend):
    def send(self, mobile, text):
        raise RuntimeError("bug in the backend")


@pytest.fixture
def flaky(settings):
    settings.SMS_BACKEND = "tests.messaging.test_sms.FlakyBackend"
    FlakyBackend.failures, FlakyBackend.calls, FlakyBackend.sent = 0, 0, []
    return FlakyBackend


def send_now(django_capture_on_commit_callbacks, mobile="13800000000", text="您的验证码是 123456", purpose="code"):
    with django_capture_on_commit_callbacks(execute=True):
        sms = send_sms(mobile, text, purpose=purpose)
    sms.refresh_from_db()
    return sms


@pytest.mark.parametrize("failures", [1, 3, delivery.SMS_MAX_RETRIES])
def test_retries_until_the_gateway_accepts(flaky, failures, django_capture_on_commit_callbacks):
    flaky.failures = failures
    sms = send_now(django_capture_on_commit_callbacks)
    assert sms.status == SmsMessage.Status.SENT
    assert sms.attempts == failures + 1
    assert sms.last_error == "" and sms.sent_at is not None
    assert flaky.sent == [("13800000000", "您的验证码是 123456")]


def test_exhausted_retries_are_recorded_as_failed(flaky, django_capture_on_commit_callbacks):
    flaky.failures = 100
    sms = send_now(django_capture_on_commit_callbacks)
    assert sms.status == SmsMessage.Status.FAILED
    assert sms.attempts == delivery.SMS_MAX_RETRIES + 1 == flaky.calls
    assert "gateway busy (call 6)" in sms.last_error and "SmsGatewayError" in sms.last_error
    assert sms.text == "您的验证码是 123456"  # nothing lost: the message is still there to resend


def test_a_backend_bug_is_recorded_not_retried(settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "tests.messaging.test_sms.BrokenBackend"
    sms = send_now(django_capture_on_commit_callbacks)
    assert (sms.status, sms.attempts) == (SmsMessage.Status.FAILED, 1)
    assert "RuntimeError: bug in the backend" in sms.last_error


def test_row_exists_before_commit_and_nothing_is_sent_before(flaky, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sms = send_sms("13800000000", "hello", purpose="test")
    assert SmsMessage.objects.get().status == SmsMessage.Status.PENDING
    assert flaky.calls == 0 and len(callbacks) == 1
    callbacks[0]()
    sms.refresh_from_db()
    assert sms.status == SmsMessage.Status.SENT


def test_backoff_is_exponential(settings):
    settings.SMS_RETRY_BASE_SECONDS = 10
    assert [delivery.retry_delay(n) for n in range(5)] == [10, 20, 40, 80, 160]


def test_task_is_acks_late_with_the_documented_name():
    assert delivery.send_sms_task.acks_late is True
    assert delivery.send_sms_task.name == "messaging.tasks.send_sms_task"


def test_sent_message_is_not_sent_twice(flaky, django_capture_on_commit_callbacks):
    sms = send_now(django_capture_on_commit_callbacks)
    delivery.send_sms_task.delay(sms.pk)  # a redelivered task (acks late)
    assert flaky.calls == 1


def test_resend_queues_failed_messages_only(flaky, django_capture_on_commit_callbacks):
    flaky.failures = 100
    failed = send_now(django_capture_on_commit_callbacks)
    flaky.failures = 0
    sent = send_now(django_capture_on_commit_callbacks, text="second")
    with django_capture_on_commit_callbacks(execute=True):
        assert resend_sms([failed.pk, sent.pk]) == 1
    failed.refresh_from_db()
    assert failed.status == SmsMessage.Status.SENT and failed.last_error == ""
    assert [text for _, text in flaky.sent] == ["second", "您的验证码是 123456"]


def test_stale_pending_messages_are_requeued(flaky, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        stuck = send_sms("13800000000", "broker was down", purpose="test")
        fresh = send_sms("13800000001", "just queued", purpose="test")
    SmsMessage.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_sms() == 1
    assert SmsMessage.objects.get(pk=stuck.pk).status == SmsMessage.Status.SENT
    assert SmsMessage.objects.get(pk=fresh.pk).status == SmsMessage.Status.PENDING


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(delivery.send_sms_task, "delay", refuse)
    return monkeypatch


def test_a_failed_enqueue_is_logged_and_leaves_the_sms_visibly_pending(
    flaky, broker_down, caplog, django_capture_on_commit_callbacks
):
    """Issue 10 item 11: "A failed enqueue must be logged as an error and leave the SMS visibly
    pending for the re-queue job" (CONTRACT §10)."""
    with caplog.at_level(logging.ERROR):
        sms = send_now(django_capture_on_commit_callbacks)
    assert sms.status == SmsMessage.Status.PENDING
    assert sms.last_error.startswith(ENQUEUE_FAILED) and "Connection refused" in sms.last_error
    (record,) = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert record.name == "messaging.services" and f"SMS {sms.pk} could not be queued" in record.getMessage()
    assert record.exc_info

    broker_down.undo()  # the broker is back; an hour later the re-queue job sends it
    SmsMessage.objects.filter(pk=sms.pk).update(created_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert requeue_stale_sms() == 1
    sms.refresh_from_db()
    assert (sms.status, sms.last_error, flaky.sent) == (SmsMessage.Status.SENT, "", [("13800000000", "您的验证码是 123456")])


class TestAdmin:
    @pytest.fixture
    def staff(self, client):
        user = UserFactory(is_staff=True)
        user.user_permissions.add(*Permission.objects.filter(codename__in=["view_smsmessage", "resend_smsmessage"]))
        client.force_login(user)
        return user

    def test_resend_action_sends_a_failed_message(self, client, staff, flaky, django_capture_on_commit_callbacks):
        flaky.failures = 100
        failed = send_now(django_capture_on_commit_callbacks)
        flaky.failures = 0
        url = reverse("admin:messaging_smsmessage_changelist")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"action": "resend", "_selected_action": [failed.pk]}, follow=True)
        assert response.status_code == 200
        assert "已重新提交 1 条短信" in response.content.decode()
        failed.refresh_from_db()
        assert failed.status == SmsMessage.Status.SENT

    def test_resend_from_a_filtered_list_counts_what_was_selected(
        self, client, staff, flaky, django_capture_on_commit_callbacks
    ):
        """Operator friction (issue 10): re-sending from the list filtered on 发送失败 said
        "-3 条不是失败状态" (the filter was counted again after the rows had changed)."""
        flaky.failures = 100
        failed = [send_now(django_capture_on_commit_callbacks, text=f"失败 {n}").pk for n in range(3)]
        flaky.failures = 0
        url = reverse("admin:messaging_smsmessage_changelist") + "?status__exact=failed"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"action": "resend", "_selected_action": failed}, follow=True)
        page = response.content.decode()
        assert "已重新提交 3 条短信" in page and "不是失败状态" not in page

    def test_a_message_the_broker_refused_shows_as_pending_with_the_reason(
        self, client, staff, flaky, broker_down, django_capture_on_commit_callbacks
    ):
        send_now(django_capture_on_commit_callbacks)
        page = client.get(reverse("admin:messaging_smsmessage_changelist")).content.decode()
        assert "待发送" in page and "未能提交到任务队列" in page

    def test_list_masks_mobiles_and_search_finds_full_number(self, client, staff, flaky, django_capture_on_commit_callbacks):
        send_now(django_capture_on_commit_callbacks, mobile="13812345678")
        send_now(django_capture_on_commit_callbacks, mobile="13900000000")
        url = reverse("admin:messaging_smsmessage_changelist")
        page = client.get(url, {"q": "13812345678"}).content.decode()
        cells = re.findall(r'<th class="field-masked_mobile"><a [^>]*>([^<]*)</a>', page)
        assert cells == ["138****5678"]

    def test_without_resend_permission_no_action(self, client, flaky, django_capture_on_commit_callbacks):
        user = UserFactory(is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="view_smsmessage"))
        client.force_login(user)
        flaky.failures = 100
        failed = send_now(django_capture_on_commit_callbacks)
        url = reverse("admin:messaging_smsmessage_changelist")
        response = client.post(url, {"action": "resend", "_selected_action": [failed.pk]})
        failed.refresh_from_db()
        assert failed.status == SmsMessage.Status.FAILED
        assert 'value="resend"' not in client.get(url).content.decode()
        assert response.status_code in (200, 302)
