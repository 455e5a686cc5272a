"""Errors across the site (CONTRACT §1, §11): API paths answer the JSON envelope, every other
path a short Chinese page with no external asset, for 400, 403, 404 and 500 alike."""

import re

import pytest
from django.db import OperationalError
from django.test import Client

from messaging import selectors
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

API_PREFIXES = ["/openApi/", "/openCommonApi/", "/appApi/", "/appCommonApi/", "/security/"]


@pytest.fixture
def quiet_client():
    """A client that gets the error page instead of the exception, as a browser would."""
    return Client(raise_request_exception=False)


def assert_chinese_error_page(response, status: int, title: str) -> str:
    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html and f"<title>{title}</title>" in html and f"错误 {status}" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "no external asset"
    assert "Traceback" not in html and "hunter2" not in html
    return html


@pytest.mark.parametrize("prefix", API_PREFIXES)
@pytest.mark.parametrize("method", ["post", "get"])
def test_an_unknown_api_path_is_404_with_the_envelope(api, client, prefix, method):
    """CONTRACT §11: "an unknown one answers HTTP 404 with the 90004004 envelope"."""
    response = getattr(client, method)(prefix + "noSuchEndpoint", content_type="application/json")
    reply = api.parse(response)  # checks the reply's signature
    assert (reply.status, reply.body["exceptionFlag"], reply.code) == (404, "9999", "90004004")


@pytest.mark.parametrize("path", ["/security", "/appApi/", "/openApi/getCode/extra", "/appCommonApi/a/b/c"])
def test_every_path_under_an_api_prefix_is_an_api_path(api, client, settings, path):
    settings.DEBUG = True  # the envelope does not depend on Django's technical 404 page being off
    reply = api.parse(client.post(path, b"{}", content_type="application/json"))
    assert (reply.status, reply.code) == (404, "90004004")


def test_known_api_paths_still_answer(api):
    assert api.post("/openCommonApi/getSystemMessage", {"pageNum": 1}).ok


@pytest.mark.parametrize("path", ["/nothing-here", "/openApiX/getCode", "/open/unknownPage", "/admin/no/such/page/"])
def test_any_other_unknown_path_is_the_chinese_404_page(client, admin_user, path):
    client.force_login(admin_user)
    assert_chinese_error_page(client.get(path), 404, "页面不存在")


def test_a_page_staff_may_not_see_is_the_chinese_403_page(client):
    client.force_login(UserFactory(is_staff=True))
    assert_chinese_error_page(client.get("/admin/messaging/smsmessage/"), 403, "无权访问")


def test_a_form_without_its_csrf_token_is_the_chinese_403_page():
    csrf_checking = Client(enforce_csrf_checks=True)
    html = assert_chinese_error_page(csrf_checking.post("/admin/login/", {"username": "a"}), 403, "无权访问")
    assert "请刷新页面后重试" in html


def test_a_bad_host_is_the_chinese_400_page(quiet_client):
    assert_chinese_error_page(quiet_client.get("/open/loanHelp", HTTP_HOST="evil.example"), 400, "请求有误")


def test_an_h5_page_with_the_database_down_is_the_chinese_500_page(quiet_client, monkeypatch):
    """Issue 10 item 20: the H5 pages gave Django's plain "Server Error (500)" page."""

    def database_down(slug):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(selectors, "h5_page_text", database_down)
    response = quiet_client.get("/open/loanHelp", HTTP_X_REQUEST_ID="req-0123456789")
    html = assert_chinese_error_page(response, 500, "服务暂时不可用")
    assert "请求编号：req-0123456789" in html and response["X-Request-ID"] == "req-0123456789"


@pytest.mark.urls("tests.error_urls")
def test_a_fault_outside_any_view_is_the_chinese_500_page(quiet_client):
    assert_chinese_error_page(quiet_client.get("/open/test/fault"), 500, "服务暂时不可用")


@pytest.mark.urls("tests.error_urls")
def test_a_fault_on_an_api_path_outside_the_api_views_is_the_9999_envelope(api, quiet_client):
    response = quiet_client.post("/openApi/test/plainFault", b"{}", content_type="application/json")
    reply = api.parse(response)
    assert (reply.body["exceptionFlag"], reply.code) == ("9999", "9999")
    assert response["X-Request-ID"] in reply.body["responseMessage"] and "hunter2" not in response.content.decode()
