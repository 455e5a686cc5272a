"""The base class of every JSON endpoint.

A subclass declares its ``input_serializer`` (presence and type of fields), whether it
``login_required``, its ``success_code``/``success_message``, and implements
``handle(request, data)``, which calls a service or selector and returns the ``resultSet``
(or a :class:`Page`). Everything else -- method, body, signature, session, envelope,
errors -- happens here, once.
"""

from typing import Any

from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from accounts import snapshots

from . import codes
from .envelope import Page, envelope, envelope_response
from .errors import MalformedRequest, MethodNotAllowed, NotLoggedIn
from .parsers import read_json_object
from .trip import first_trip, remember_session_user
from .verification import verify_request


class _OnlyEnvelope(BaseContentNegotiation):
    """Whatever the Accept header says, the answer is the JSON envelope."""

    def select_parser(self, request, parsers):
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ApiView(APIView):
    http_method_names = ["post"]
    renderer_classes = [JSONRenderer]  # only used for DRF's bookkeeping; we render ourselves
    content_negotiation_class = _OnlyEnvelope
    authentication_classes: list = []
    permission_classes: list = []

    input_serializer = None
    result_serializer = None  # the shape of resultSet (of one item when paged), for the OpenAPI description
    result_schema: dict | None = None  # or a raw schema, for simple results
    paged = False
    response_codes: dict[str, str] = {}  # this endpoint's own codes → meaning (documentation)
    login_required = False
    success_code = codes.OK
    success_message = "成功"

    def perform_authentication(self, request):
        """Sessions are Django's (CONTRACT §5); see :meth:`check_login`."""

    def initial(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            raise MethodNotAllowed()
        super().initial(request, *args, **kwargs)
        request.payload = read_json_object(request._request)
        sign = verify_request(request.payload)
        fetched = first_trip(request._request, sign, logged_in=self.login_required)
        if self.login_required:
            self.check_login(request, fetched)

    def check_login(self, request, fetched: snapshots.Fetched | None = None) -> None:
        token = snapshots.prefetched.set(fetched)
        try:
            user = request._request.user
            logged_in = user.is_authenticated and user.is_active
        finally:
            snapshots.prefetched.reset(token)
        if not logged_in:
            raise NotLoggedIn()
        remember_session_user(request._request, user)
        request.user = user

    def post(self, request, *args, **kwargs):
        data = self.validate(request.payload)
        result = self.handle(request, data)
        return self.success(result)

    def validate(self, payload: dict) -> dict:
        if self.input_serializer is None:
            return payload
        serializer = self.input_serializer(data=payload)
        if not serializer.is_valid():
            raise MalformedRequest(describe_errors(serializer.errors, getattr(serializer, "field_shapes", {})))
        return serializer.validated_data

    def handle(self, request, data: dict) -> Any:
        raise NotImplementedError

    def success(self, result: Any):
        code, message = self.success_code, self.success_message
        if isinstance(result, Page):
            body = envelope(code, message, result.items, success=True)
            body.update(result.meta())
            return envelope_response(body)
        return envelope_response(envelope(code, message, "" if result is None else result, success=True))

    def finalize_response(self, request, response, *args, **kwargs):
        # Our responses are plain HttpResponses, already rendered and signed.
        return response


def describe_errors(errors: dict, shapes: dict[str, str] | None = None) -> str:
    """A short Chinese message naming the offending fields, for the app to show.

    A field inside a list or object is named by its path (``phonebookList[2].contactPhone``);
    where the serializer declares the shape a field must have (``field_shapes``), it is said.
    """
    shapes = shapes or {}
    parts = []
    for field in sorted(errors):
        path = _first_error_path(field, errors[field])
        shape = shapes.get(field)
        parts.append(f"{path} 缺失或格式错误" + (f"（{field} 应为{shape}）" if shape else ""))
    return "请求报文传输信息有误：" + "；".join(parts)


def _first_error_path(path: str, detail) -> str:
    """Follow DRF's nested errors (dicts by key, lists by index) down to the first message."""
    if isinstance(detail, dict):
        key = sorted(detail, key=str)[0]
        child = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}"
        return _first_error_path(child, detail[key])
    if isinstance(detail, list) and detail and not isinstance(detail[0], str):
        for index, item in enumerate(detail):
            if item:
                return _first_error_path(f"{path}[{index}]", item)
    return path
