"""The one way admin pages act and log (``cashloan.admin_actions``; CONTRACT §11, issue 10 items 7
and 19): every page mixes it in, a malformed selection is a message (never a 500), and a change
made through a form is logged with each field's before → after."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse

from cashloan.admin_actions import StaffAdminMixin
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MALFORMED = ["abc", "1 OR 1=1", "99999999999999999999999999", "", "00000000-0000-0000-0000-00000000000g"]


def registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.parametrize("model, model_admin", registered(), ids=lambda value: getattr(value, "_meta", None) and value._meta.label)
def test_every_admin_page_uses_the_mechanism(model, model_admin):
    assert isinstance(model_admin, StaffAdminMixin), f"{type(model_admin).__name__} must mix in StaffAdminMixin"


def every_action():
    superuser = UserFactory.build(is_staff=True, is_superuser=True)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    for model, model_admin in registered():
        for name in model_admin.get_actions(request):
            yield pytest.param(model, name, id=f"{model._meta.label}.{name}")


@pytest.mark.parametrize("model, action", list(every_action()))
@pytest.mark.parametrize("confirmed", [False, True], ids=["first", "confirmed"])
def test_a_malformed_selection_is_a_message_not_a_500(client, model, action, confirmed):
    """Issue 10 item 19: any action, on any page, with ids that are not ids of the model."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    data = {"action": action, "_selected_action": MALFORMED}
    if confirmed:
        data.update(post="yes", reason="原因")
    else:
        data["index"] = "0"
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "所选对象无效，请在列表中重新勾选后再操作。" in [str(m) for m in get_messages(response.wsgi_request)]


def test_a_form_change_is_logged_before_and_after(client):
    """CONTRACT §11: a change through a change form, each changed field's before → after."""
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    officer = UserFactory(is_staff=True, username="officer7", mobile=None)
    data = {"username": "officer7", "real_name": "李四", "email": "", "is_active": "on", "_save": "保存"}
    response = client.post(reverse("admin:accounts_staff_change", args=[officer.pk]), data)
    assert response.status_code == 302
    entry = LogEntry.objects.get(object_id=str(officer.pk))
    assert entry.user == superuser and "姓名：（空） → 李四" in entry.get_change_message()
