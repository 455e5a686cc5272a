"""Turning a raw request into the JSON object the views work with (CONTRACT §1)."""

import json
import zlib

from django.conf import settings
from django.core.exceptions import RequestDataTooBig

from .errors import BodyTooLarge, MalformedRequest


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
        payload = json.loads(body.decode("utf-8"), parse_float=_reject_float, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise MalformedRequest("请求报文不是合法的 JSON") from None
    if not isinstance(payload, dict):
        raise MalformedRequest("请求报文必须是 JSON 对象")
    return payload


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
