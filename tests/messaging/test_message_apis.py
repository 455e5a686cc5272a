"""The message lists through the signed HTTP layer (seed §24, §25; CONTRACT §2 paging)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from messaging.models import CustomerMessage, SystemMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
CUSTOM = "/appCommonApi/getCustomMessage"
SYSTEM = "/openCommonApi/getSystemMessage"


def customer_message(user, title, sent_at, message_type=99, content="内容"):
    message = CustomerMessage.objects.create(user=user, title=title, content=content, message_type=message_type)
    CustomerMessage.objects.filter(pk=message.pk).update(sent_at=sent_at)
    return message


def system_message(title, publish_at, message_type=1, event_url=""):
    return SystemMessage.objects.create(
        title=title, content=f"{title}的内容", publish_at=publish_at, message_type=message_type, event_url=event_url
    )


@pytest.fixture
def user():
    return UserFactory(mobile="13900000001")


@pytest.fixture
def logged_in(api, user):
    assert api.login("13900000001", "secret123").ok
    return api


class TestCustomerMessages:
    def test_fields_of_one_message(self, logged_in, user):
        """§24.3: id, messageContent, messageTitle, messageType (string), sendDate local time."""
        sent = datetime(2017, 11, 9, 1, 3, 14, tzinfo=SHANGHAI)
        message = customer_message(user, "中科博润", sent, content="haha 信广播")
        reply = logged_in.post(CUSTOM, {"pageNum": 1, "pageSize": 10})
        assert reply.ok and reply.code == "0000" and reply.body["responseMessage"] == "获取当前登录用户消息成功"
        assert reply.result == [
            {"id": str(message.id), "messageContent": "haha 信广播", "messageTitle": "中科博润", "messageType": "99", "sendDate": "2017-11-09 01:03:14"}
        ]
        assert {k: reply.body[k] for k in ("pageNum", "pageSize", "total", "pages", "isFirstPage", "isLastPage")} == {
            "pageNum": 1, "pageSize": 10, "total": 1, "pages": 1, "isFirstPage": True, "isLastPage": True,
        }

    def test_newest_first_and_paged(self, logged_in, user):
        start = timezone.now() - timedelta(days=1)
        for n in range(12):
            customer_message(user, f"消息{n:02d}", start + timedelta(minutes=n), message_type=15)
        first = logged_in.post(CUSTOM, {"pageNum": 1, "pageSize": 5})
        third = logged_in.post(CUSTOM, {"pageNum": 3, "pageSize": 5})
        past_end = logged_in.post(CUSTOM, {"pageNum": 4, "pageSize": 5})
        assert [m["messageTitle"] for m in first.result] == ["消息11", "消息10", "消息09", "消息08", "消息07"]
        assert [m["messageTitle"] for m in third.result] == ["消息01", "消息00"]
        assert first.result[0]["messageType"] == "15"
        assert (first.body["total"], first.body["pages"], first.body["isFirstPage"], first.body["isLastPage"]) == (12, 3, True, False)
        assert third.body["isLastPage"] is True
        assert past_end.ok and past_end.result == []

    def test_page_size_defaults_to_10(self, logged_in, user):
        for n in range(11):
            customer_message(user, f"消息{n}", timezone.now() - timedelta(minutes=n))
        reply = logged_in.post(CUSTOM, {})
        assert reply.body["pageSize"] == 10 and len(reply.result) == 10

    def test_never_shows_another_users_messages(self, logged_in, user):
        other = UserFactory()
        customer_message(other, "别人的消息", timezone.now())
        customer_message(user, "我的消息", timezone.now() - timedelta(hours=1))
        reply = logged_in.post(CUSTOM, {"pageNum": 1, "pageSize": 10})
        assert [m["messageTitle"] for m in reply.result] == ["我的消息"] and reply.body["total"] == 1

    def test_needs_login(self, api, user):
        customer_message(user, "我的消息", timezone.now())
        reply = api.post(CUSTOM, {"pageNum": 1, "pageSize": 10})
        assert not reply.ok and reply.code == "90004000" and reply.result == ""

    @pytest.mark.parametrize("payload", [{"pageNum": "abc"}, {"pageNum": 0}, {"pageSize": -1}, {"pageNum": [1]}])
    def test_ill_typed_paging_is_malformed(self, logged_in, payload):
        reply = logged_in.post(CUSTOM, payload)
        assert not reply.ok and reply.code == "10001000"


class TestSystemMessages:
    def test_fields_and_only_published_newest_first(self, api):
        """§25: eventUrl, id, messageContent, messageTitle, messageType, sendDate = publish time."""
        now = timezone.now()
        old = system_message("公告", datetime(2017, 11, 27, 2, 37, 57, tzinfo=SHANGHAI))
        new = system_message("双十一活动", now - timedelta(minutes=1), message_type=0, event_url="https://example.com/a")
        system_message("明天的活动", now + timedelta(days=1), message_type=0, event_url="https://example.com/b")
        reply = api.post(SYSTEM, {"pageNum": 1, "pageSize": 10})
        assert reply.ok and reply.body["responseMessage"] == "获取系统消息成功"
        assert reply.result[1] == {
            "eventUrl": "", "id": str(old.id), "messageContent": "公告的内容", "messageTitle": "公告",
            "messageType": "1", "sendDate": "2017-11-27 02:37:57",
        }
        assert [m["id"] for m in reply.result] == [str(new.id), str(old.id)]
        assert reply.result[0]["messageType"] == "0" and reply.result[0]["eventUrl"] == "https://example.com/a"
        assert reply.body["total"] == 2

    def test_paging(self, api):
        start = timezone.now() - timedelta(days=1)
        for n in range(7):
            system_message(f"公告{n}", start + timedelta(minutes=n))
        second = api.post(SYSTEM, {"pageNum": 2, "pageSize": 3})
        assert [m["messageTitle"] for m in second.result] == ["公告3", "公告2", "公告1"]
        assert (second.body["total"], second.body["pages"], second.body["isFirstPage"], second.body["isLastPage"]) == (7, 3, False, False)

    def test_page_size_is_capped(self, api):
        reply = api.post(SYSTEM, {"pageNum": 1, "pageSize": 500})
        assert reply.ok and reply.body["pageSize"] == 50

    def test_empty_list(self, api):
        reply = api.post(SYSTEM, {"pageNum": 1, "pageSize": 10})
        assert reply.ok and reply.result == [] and reply.body["total"] == 0 and reply.body["pages"] == 0

    def test_works_logged_in_too(self, logged_in):
        system_message("公告", timezone.now() - timedelta(seconds=1))
        assert len(logged_in.post(SYSTEM, {}).result) == 1

    def test_ill_typed_paging_is_malformed(self, api):
        reply = api.post(SYSTEM, {"pageNum": "x"})
        assert not reply.ok and reply.code == "10001000"

    def test_get_is_405(self, client):
        response = client.get(SYSTEM)
        assert response.status_code == 405

    def test_trailing_slash(self, api):
        assert api.post(SYSTEM + "/", {}).ok
