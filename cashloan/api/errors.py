"""One error hierarchy, mapped to the envelope in one handler."""

import logging

from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework.views import set_rollback

from . import codes
from .envelope import envelope, envelope_response

logger = logging.getLogger("cashloan.api")


class ApiError(Exception):
    """A business or protocol failure: the envelope carries ``code`` and ``message``."""

    code = codes.MALFORMED_REQUEST
    message = "请求报文传输信息有误"
    http_status = 200

    def __init__(self, message: str | None = None, *, code: str | None = None, result_set=""):
        if code is not None:
            self.code = code
        if message is not None:
            self.message = message
        self.result_set = result_set
        super().__init__(f"{self.code} {self.message}")


class MalformedRequest(ApiError):
    code = codes.MALFORMED_REQUEST
    message = "请求报文传输信息有误"


class BadSignature(ApiError):
    code = codes.BAD_SIGNATURE
    message = "签名缺失或错误"


class StaleTimestamp(ApiError):
    code = codes.STALE_TIMESTAMP
    message = "请求时间戳超出允许范围"


class ReplayedRequest(ApiError):
    code = codes.REPLAYED_REQUEST
    message = "重复的请求"


class NotLoggedIn(ApiError):
    code = codes.NOT_LOGGED_IN
    message = "未登录或登录已失效"


class RateLimited(ApiError):
    code = codes.RATE_LIMITED
    message = "请求过于频繁，请稍后再试"


class BodyTooLarge(ApiError):
    http_status = 413
    message = "请求报文过大"


class MethodNotAllowed(ApiError):
    http_status = 405
    message = "只接受 POST 请求"


class UnknownPath(ApiError):
    http_status = 404
    code = codes.UNKNOWN_PATH
    message = "接口不存在"


def error_response(error: ApiError):
    body = envelope(error.code, error.message, error.result_set, success=False)
    response = envelope_response(body, status=error.http_status)
    if isinstance(error, MethodNotAllowed):
        response["Allow"] = "POST"
    return response


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every exception becomes an envelope, never a traceback."""
    set_rollback()
    request = context.get("request")
    if isinstance(exc, ApiError):
        return error_response(exc)
    if isinstance(exc, drf_exceptions.MethodNotAllowed):
        return error_response(MethodNotAllowed())
    if isinstance(exc, (drf_exceptions.ParseError, drf_exceptions.ValidationError)):
        return error_response(MalformedRequest())
    if isinstance(exc, Http404):
        return error_response(MalformedRequest("请求的资源不存在"))
    request_id = getattr(getattr(request, "_request", request), "request_id", "-")
    logger.exception("unhandled error in API view, request_id=%s", request_id)
    return server_fault_response(request_id)


def server_fault_response(request_id: str):
    """9999 with the request id only: the traceback is in the log under the same id."""
    return error_response(ApiError(f"系统繁忙，请稍后再试（请求编号 {request_id}）", code=codes.SERVER_FAULT))
