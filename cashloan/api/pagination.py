"""Paging of list endpoints (CONTRACT §2): pageNum from 1, pageSize default 10, cap 50."""

from django.conf import settings
from rest_framework import serializers

from .envelope import Page


class PageRequestSerializer(serializers.Serializer):
    pageNum = serializers.IntegerField(required=False, default=1, min_value=1, max_value=10**6)
    pageSize = serializers.IntegerField(required=False, default=settings.API_DEFAULT_PAGE_SIZE, min_value=1)


def page_bounds(data: dict) -> tuple[int, int, int]:
    """(pageNum, pageSize, offset of the page's first row) of a validated request."""
    page_num = data.get("pageNum") or 1
    page_size = min(data.get("pageSize") or settings.API_DEFAULT_PAGE_SIZE, settings.API_MAX_PAGE_SIZE)
    return page_num, page_size, (page_num - 1) * page_size


def paginate(queryset, data: dict, serialize) -> Page:
    """Slice ``queryset`` (ordered) for the requested page; ``serialize`` maps one row.

    At most two queries whatever the page size: the slice, then a count unless the slice
    tells the total itself (a first page that is not full: most customers' lists). A page
    past the end is an empty list, not an error.
    """
    page_num, page_size, offset = page_bounds(data)
    rows = list(queryset[offset : offset + page_size])
    if offset == 0 and len(rows) < page_size:
        total = len(rows)
    else:
        total = queryset.count()
    return Page(items=[serialize(row) for row in rows], page_num=page_num, page_size=page_size, total=total)
