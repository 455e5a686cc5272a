"""Turning a raw request into the JSON object the views work with (CONTRACT §1)."""

import json
import re
import zlib

from django.conf import settings
from django.core.exceptions import RequestDataTooBig

from .errors import BodyTooLarge, MalformedRequest


# A ``\uD800``-``\uDFFF`` escape: JSON admits it alone, but the text it decodes to is no UTF-8.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _reject_float(text: str):
    raise MalformedRequest("小数请以字符串传送，例如 \"5000.00\"")


def _reject_constant(text: str):
    raise MalformedRequest()


def read_json_object(request) -> dict:
    """The request body as a JSON object: size-checked, gunzipped when sent gzip, decoded."""
    limit = settings.API_MAX_BODY_BYTES
    try:
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
            raise BodyTooLarge()
    except ValueError:
        raise MalformedRequest() from None
    try:
        body = request.body
    except RequestDataTooBig:
        raise BodyTooLarge() from None
    if "gzip" in request.META.get("HTTP_CONTENT_ENCODING", "").lower():
        body = _gunzip(body, limit)
    if len(body) > limit:
        raise BodyTooLarge()
    try:
        text = body.decode("utf-8")
        payload = json.loads(text, parse_float=_reject_float, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise MalformedRequest("请求报文不是合法的 JSON") from None
    if not isinstance(payload, dict):
        raise MalformedRequest("请求报文必须是 JSON 对象")
    if _SURROGATE_ESCAPE.search(text) and not _encodes_as_utf8(payload):
        raise MalformedRequest("请求报文含有无法以 UTF-8 表示的字符")
    return payload


def _encodes_as_utf8(payload: dict) -> bool:
    """False when a lone surrogate escape survived decoding (a pair decodes to one character)."""
    try:
        json.dumps(payload, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _gunzip(body: bytes, limit: int) -> bytes:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = decompressor.decompress(body, limit + 1)
        if not decompressor.eof:
            if len(data) > limit:
                raise BodyTooLarge()
            raise MalformedRequest("gzip 报文不完整")
    except zlib.error:
        raise MalformedRequest("gzip 报文无法解压") from None
    if len(data) > limit:
        raise BodyTooLarge()
    return data
