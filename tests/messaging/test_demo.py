"""Demo data of messaging (manage.py loaddemo): one system message and the H5 texts; idempotent."""

from io import StringIO

import pytest

from messaging import demo
from messaging.h5_texts import DEFAULT_PAGES
from messaging.models import H5Page, SystemMessage
from messaging.selectors import published_system_messages

pytestmark = pytest.mark.django_db


def test_load_twice_creates_once():
    demo.load(StringIO())
    demo.load(StringIO())
    assert SystemMessage.objects.count() == 1 and published_system_messages().count() == 1
    assert set(H5Page.objects.values_list("slug", flat=True)) == set(DEFAULT_PAGES)


def test_staff_edits_survive_a_reload():
    demo.load(StringIO())
    H5Page.objects.filter(slug="loan-help").update(body="改过的帮助")
    demo.load(StringIO())
    assert H5Page.objects.get(slug="loan-help").body == "改过的帮助"
