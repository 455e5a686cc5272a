"""The back office for messages: staff-written messages, the operation log, operator permissions."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.utils import timezone

from messaging.models import CustomerMessage, SystemMessage
from messaging.permissions import OPERATOR_PERMISSIONS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(client):
    user = UserFactory(is_staff=True, is_superuser=True, username="boss", mobile="13700000000")
    client.force_login(user)
    return user


def test_staff_writes_a_type_99_message_to_one_customer(client, admin_user, api):
    """Seed §24 type 99 / CONTRACT §9: staff messages; created_by is the staff user."""
    customer = UserFactory(mobile="13900000077")
    response = client.post(
        "/admin/messaging/customermessage/add/",
        {"user": customer.pk, "title": "客服通知", "content": "您好，您的反馈已处理。"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    message = CustomerMessage.objects.get()
    assert (message.user, message.message_type, message.created_by) == (customer, 99, admin_user)
    assert LogEntry.objects.filter(object_id=str(message.pk), action_flag=1, user=admin_user).exists()

    assert api.login("13900000077", "secret123").ok
    reply = api.post("/appCommonApi/getCustomMessage", {"pageNum": 1, "pageSize": 10})
    assert [(m["messageTitle"], m["messageType"]) for m in reply.result] == [("客服通知", "99")]


def test_sent_messages_are_read_only(client, admin_user):
    message = CustomerMessage.objects.create(user=UserFactory(), title="已发送", content="x", message_type=12)
    response = client.post(f"/admin/messaging/customermessage/{message.pk}/change/", {"title": "改了", "content": "y"})
    message.refresh_from_db()
    assert message.title == "已发送" and response.status_code in (200, 302)


def activity_form(event_url: str) -> dict:
    """What the add page of a system message posts for an activity published a minute ago."""
    publish = timezone.localtime() - timedelta(minutes=1)
    return {"message_type": 0, "title": "活动", "content": "内容", "event_url": event_url,
            "publish_at_0": publish.strftime("%Y-%m-%d"), "publish_at_1": publish.strftime("%H:%M:%S")}


def test_activity_message_needs_its_url(client, admin_user):
    """§25: type 0 is an activity with eventUrl."""
    form = activity_form("")
    response = client.post("/admin/messaging/systemmessage/add/", form)
    assert response.status_code == 200 and "活动消息需要填写活动链接" in response.content.decode()
    assert not SystemMessage.objects.exists()
    form["event_url"] = "https://example.com/activity"
    assert client.post("/admin/messaging/systemmessage/add/", form).status_code == 302
    assert SystemMessage.objects.get().event_url == "https://example.com/activity"


@pytest.mark.parametrize(
    "url",
    ['https://example.com/a">', "https://example.com/<script>", "https://example.com/'x'", "javascript:alert(1)",
     "ftp://example.com/file", "https://example.com/`x`", "data:text/html,<b>x</b>"],
)
def test_an_event_url_is_http_without_quotes_or_angle_brackets(client, admin_user, url):
    """Issue 10 item 17: an event URL could carry `">`; only http(s) URLs without quotes or
    angle brackets are accepted."""
    form = activity_form(url)
    response = client.post("/admin/messaging/systemmessage/add/", form)
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    assert not SystemMessage.objects.exists()
    form["event_url"] = "https://example.com/activity?id=12&from=app"
    assert client.post("/admin/messaging/systemmessage/add/", form).status_code == 302


def test_operation_log_is_browsable_and_read_only(client, admin_user):
    client.post("/admin/messaging/h5page/add/", {"slug": "loan-help", "title": "还款帮助", "body": "新的帮助文本"})
    entry = LogEntry.objects.get(object_repr="还款帮助")
    listing = client.get("/admin/messaging/adminactionlog/")
    assert listing.status_code == 200 and "还款帮助" in listing.content.decode() and "操作日志" in listing.content.decode()
    assert client.get(f"/admin/messaging/adminactionlog/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/messaging/adminactionlog/add/").status_code == 403
    assert client.post(f"/admin/messaging/adminactionlog/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_operation_log_needs_its_permission(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/admin/messaging/adminactionlog/").status_code == 403


def test_operator_permissions_all_exist():
    found = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    assert set(OPERATOR_PERMISSIONS) - found == set()


def test_an_operator_manages_content_but_sees_no_loans(client):
    operator = UserFactory(is_staff=True)
    for name in OPERATOR_PERMISSIONS:
        app_label, codename = name.split(".")
        operator.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    client.force_login(operator)
    assert client.get("/admin/messaging/systemmessage/add/").status_code == 200
    assert client.get("/admin/messaging/smsmessage/").status_code == 200
    assert client.get("/admin/loans/loanapplication/").status_code == 403
    assert "经营概况" not in client.get("/admin/").content.decode()
