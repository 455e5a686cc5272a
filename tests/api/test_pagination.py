"""``paginate`` (CONTRACT §2): totals and the queries it takes."""

import pytest
from django.utils import timezone

from cashloan.api.pagination import paginate
from messaging.models import SystemMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def messages():
    def create(count: int):
        SystemMessage.objects.bulk_create(
            SystemMessage(title=f"公告{n:02d}", content="内容", message_type=1, publish_at=timezone.now()) for n in range(count)
        )
        return SystemMessage.objects.order_by("title")

    return create


@pytest.mark.parametrize(
    "rows, page_num, page_size, titles, total, queries",
    [
        (0, 1, 10, [], 0, 1),  # an empty first page: nothing to count
        (3, 1, 10, ["公告00", "公告01", "公告02"], 3, 1),  # a short first page is the whole list
        (10, 1, 10, [f"公告{n:02d}" for n in range(10)], 10, 2),  # a full page may not be: count
        (25, 3, 10, ["公告20", "公告21", "公告22", "公告23", "公告24"], 25, 2),
        (25, 4, 10, [], 25, 2),  # past the end: empty, with the true total
    ],
)
def test_pages(messages, django_assert_num_queries, rows, page_num, page_size, titles, total, queries):
    queryset = messages(rows)
    with django_assert_num_queries(queries):
        page = paginate(queryset, {"pageNum": page_num, "pageSize": page_size}, lambda message: message.title)
    assert (page.items, page.total) == (titles, total)
