"""The H5 pages (seed §5, §6; CONTRACT §1, §9)."""

import pytest

from messaging.h5_texts import DEFAULT_PAGES, LOAN_HELP, REGISTRATION_PROTOCOL
from messaging.models import H5Page
from tests.messaging.helpers import assert_self_contained

pytestmark = pytest.mark.django_db

PAGES = [("/open/registrationProtocol", REGISTRATION_PROTOCOL), ("/open/loanHelp", LOAN_HELP)]


class TestH5Pages:
    @pytest.mark.parametrize("path,slug", PAGES)
    @pytest.mark.parametrize("suffix", ["", "/"])
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_default_text_with_and_without_slash_by_get_and_post(self, client, path, slug, suffix, method):
        response = getattr(client, method)(path + suffix)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        title, body = DEFAULT_PAGES[slug]
        assert f"<title>{title}</title>" in html
        assert body.split("\n")[0] in html
        assert_self_contained(html)

    def test_post_needs_no_csrf_token(self, path="/open/loanHelp"):
        from django.test import Client

        response = Client(enforce_csrf_checks=True).post(path, {"anything": "1"})
        assert response.status_code == 200

    @pytest.mark.parametrize("path,slug", PAGES)
    def test_staff_text_replaces_the_default_escaped_and_in_paragraphs(self, client, path, slug):
        H5Page.objects.create(slug=slug, title="新标题", body="第一段<script>alert(1)</script>\n第二行\n\n第二段")
        html = client.get(path).content.decode()
        assert "<title>新标题</title>" in html
        assert "<p>第一段&lt;script&gt;alert(1)&lt;/script&gt;<br>第二行</p>" in html and "<p>第二段</p>" in html
        assert DEFAULT_PAGES[slug][1].split("\n")[0] not in html
        assert_self_contained(html)

    def test_other_methods_refused(self, client):
        assert client.put("/open/loanHelp").status_code == 405


def test_plain_text_becomes_sections_headed_by_numbered_titles_and_questions():
    from messaging.selectors import split_sections

    sections = split_sections("前言第一行\n前言第二行\n\n一、账户\n内容一\n\n内容二\r\n\r\n怎么还款？\n这样还。")
    assert [(s.heading, s.paragraphs) for s in sections] == [
        ("", [["前言第一行", "前言第二行"]]),
        ("一、账户", [["内容一"], ["内容二"]]),
        ("怎么还款？", [["这样还。"]]),
    ]
    assert split_sections("") == []
