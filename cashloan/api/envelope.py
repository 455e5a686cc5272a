"""The envelope every JSON response carries (CONTRACT §2)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpResponse

from . import codes
from .signing import signed_json


@dataclass(frozen=True)
class Page:
    """A page of a paged list: the meta fields go to the top level of the envelope."""

    items: list
    page_num: int
    page_size: int
    total: int

    @property
    def pages(self) -> int:
        return (self.total + self.page_size - 1) // self.page_size

    def meta(self) -> dict:
        return {
            "pageNum": self.page_num,
            "pageSize": self.page_size,
            "total": self.total,
            "pages": self.pages,
            "isFirstPage": self.page_num == 1,
            "isLastPage": self.page_num >= self.pages,
        }


def envelope(code: str, message: str, result_set: Any = "", *, success: bool) -> dict:
    return {
        "exceptionFlag": codes.SUCCESS_FLAG if success else codes.FAILURE_FLAG,
        "responseCode": code,
        "responseMessage": message,
        "resultSet": result_set,
    }


def envelope_response(body: dict, status: int = 200) -> HttpResponse:
    """Sign and serialise an envelope (fresh timestamp and nonce) into a response."""
    _check_jsonable(body.get("resultSet"))
    return HttpResponse(signed_json(body, settings.APP_KEY), status=status, content_type="application/json; charset=utf-8")


def _check_jsonable(value: Any) -> None:
    # Money leaves the API as strings with two decimals; a raw Decimal here is a bug upstream.
    if isinstance(value, (Decimal, float)):
        raise TypeError(f"money must be rendered as a string, got {value!r}")
