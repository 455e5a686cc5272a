"""OpenAPI 3 description of the signed-envelope endpoints (drf-spectacular).

Every ``ApiView`` is described from what it already declares: ``input_serializer`` (the
request fields, plus ``timestamp``/``nonce``/``sign``), ``result_serializer`` (the shape of
``resultSet``: a Serializer class, of one item when ``paged``, or ``Item(many=True)`` for a
plain list), ``result_schema`` (a raw schema for simple results) and ``response_codes`` (the
endpoint's own codes, beside the protocol's).

Each reply is described as one of two envelopes: success (``exceptionFlag`` 0000, the
endpoint's success code, its ``resultSet`` and, when paged, the paging fields) or failure
(``exceptionFlag`` 9999, any other code, ``resultSet`` ""). Result objects admit no field
they do not describe, so the description is checked against what the views really send.

The field helpers below (``money``, ``rate``, ``flag``...) are for the output serializers of
the apps (``<app>/schemas.py``): they only describe, nothing is serialised through them.
"""

import re
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from . import codes

SIGNATURE_FIELDS = {
    "timestamp": {"type": "string", "pattern": r"^\d{13}$", "description": "毫秒数时间戳"},
    "nonce": {"type": "string", "pattern": r"^\d{8}$", "description": "8 位随机数"},
    "sign": {"type": "string", "pattern": r"^[0-9a-f]{40}$", "description": "验签（SHA-1，见 README）"},
}

PROTOCOL_CODES = {
    codes.MALFORMED_REQUEST: "请求报文传输信息有误",
    codes.BAD_SIGNATURE: "签名缺失或错误",
    codes.STALE_TIMESTAMP: "时间戳超出允许范围",
    codes.REPLAYED_REQUEST: "重复的请求",
    codes.SERVER_FAULT: "系统错误（附请求编号）",
}

PAGE_FIELDS = {
    "pageNum": {"type": "integer", "minimum": 1, "description": "当前页数"},
    "pageSize": {"type": "integer", "minimum": 1, "description": "每页显示信息数"},
    "total": {"type": "integer", "minimum": 0, "description": "总记录数"},
    "pages": {"type": "integer", "minimum": 0, "description": "总页数"},
    "isFirstPage": {"type": "boolean", "description": "是否第一页"},
    "isLastPage": {"type": "boolean", "description": "是否最后一页"},
}

EMPTY_RESULT = {"type": "string", "maxLength": 0}


# --- field helpers for the output serializers ---------------------------------------------------

MONEY_PATTERN = r"^\d+\.\d{2}$"
RATE_PATTERN = r"^\d+\.\d{4}$"
DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


def _optional(pattern: str) -> str:
    return f"^(?:{pattern[1:-1]})?$"


def text(help_text: str = "", **kwargs) -> serializers.CharField:
    return serializers.CharField(help_text=help_text, allow_blank=True, **kwargs)


def money(help_text: str, *, optional: bool = False) -> serializers.RegexField:
    """An amount as the API writes it: a string with two decimals (``"5000.00"``); "" when unset."""
    pattern = _optional(MONEY_PATTERN) if optional else MONEY_PATTERN
    return serializers.RegexField(pattern, help_text=f"{help_text}（元，两位小数的字符串）")


def rate(help_text: str, *, optional: bool = False) -> serializers.RegexField:
    pattern = _optional(RATE_PATTERN) if optional else RATE_PATTERN
    return serializers.RegexField(pattern, help_text=f"{help_text}（四位小数的字符串，如 0.3600）")


def digits(help_text: str, *, optional: bool = False) -> serializers.RegexField:
    return serializers.RegexField(r"^\d*$" if optional else r"^\d+$", help_text=help_text)


def choice(values, help_text: str, *, optional: bool = False) -> serializers.RegexField:
    """One of ``values`` (as a pattern, not an enum: drf-spectacular would hoist enums into
    components named after the field, colliding between serializers)."""
    alternatives = "|".join(re.escape(str(value)) for value in values)
    return serializers.RegexField(f"^(?:{alternatives}){'?' if optional else ''}$", help_text=help_text)


def flag(help_text: str) -> serializers.RegexField:
    return choice(["0", "1"], help_text)


def local_datetime(help_text: str, *, optional: bool = False) -> serializers.RegexField:
    pattern = _optional(DATETIME_PATTERN) if optional else DATETIME_PATTERN
    return serializers.RegexField(pattern, help_text=f"{help_text}（北京时间 yyyy-MM-dd HH:mm:ss）")


def local_date(help_text: str) -> serializers.RegexField:
    return serializers.RegexField(DATE_PATTERN, help_text=f"{help_text}（yyyy-MM-dd）")


def uuid_text(help_text: str) -> serializers.RegexField:
    return serializers.RegexField(UUID_PATTERN, help_text=help_text)


def described(field_class: type, schema: dict) -> type:
    """``field_class`` as is, described by ``schema`` (e.g. the values an input really accepts)."""
    return extend_schema_field(schema)(type(field_class.__name__, (field_class,), {}))


# --- the auto schema ------------------------------------------------------------------------------


class EnvelopeAutoSchema(AutoSchema):
    def get_serializer_name(self, serializer, direction):
        # Serializers nested in their view (``GotoRepayment.Input``) are named after the view.
        return type(serializer).__qualname__.replace(".", "")

    def get_tags(self):
        return [self.path.strip("/").split("/")[0]]

    def get_operation_id(self):
        return self.path.strip("/").rstrip("/").split("/")[-1]

    def get_summary(self):
        doc = super().get_description() or ""
        return doc.split("\n", 1)[0].strip() or None

    def get_description(self):
        doc = super().get_description() or ""
        table = "\n".join(f"| `{code}` | {meaning} |" for code, meaning in sorted(self._codes().items()))
        return f"{doc}\n\n| responseCode | 含义 |\n|---|---|\n{table}"

    def get_request_serializer(self):
        """One object: the input serializer's fields and the signature fields, nothing else.

        Inline rather than ``allOf`` of a component and the signature: a closed object
        (``additionalProperties: false``) cannot be combined that way. The server ignores
        unknown fields, but the app has no reason to send any (and floats are refused anywhere).
        """
        properties, required = {}, []
        serializer = getattr(self.view, "input_serializer", None)
        if serializer is not None:
            mapped = self._map_serializer(serializer(), "request")
            properties.update(mapped.get("properties", {}))
            required.extend(mapped.get("required", []))
        properties.update(SIGNATURE_FIELDS)
        required.extend(SIGNATURE_FIELDS)
        schema = {"type": "object", "properties": properties, "required": required, "additionalProperties": False}
        return {"application/json": schema}

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if body:
            body["required"] = True  # the signature fields always are
        return body

    def _map_basic_serializer(self, serializer, direction):
        # Exact objects both ways: a result field the description lacks is a mismatch, and a
        # request has only the fields described.
        schema = super()._map_basic_serializer(serializer, direction)
        schema["additionalProperties"] = False
        return schema

    def get_response_serializers(self):
        failure = self._failure_envelope()
        return {
            "200": OpenApiResponse(
                response={"oneOf": [self._success_envelope(), failure]},
                description="信封：exceptionFlag 0000 成功（带 resultSet），9999 失败（resultSet 为空）",
            ),
            "405": OpenApiResponse(response=failure, description="只接受 POST"),
            "413": OpenApiResponse(response=failure, description="请求报文过大"),
        }

    def _success_code(self) -> str:
        return getattr(self.view, "success_code", codes.OK)

    def _codes(self) -> dict:
        view = self.view
        found = {self._success_code(): getattr(view, "success_message", "")}
        found.update(PROTOCOL_CODES)
        if getattr(view, "login_required", False):
            found[codes.NOT_LOGGED_IN] = "未登录或登录已失效"
        found.update(getattr(view, "response_codes", {}) or {})
        return found

    def _result_schema(self) -> dict:
        view = self.view
        if getattr(view, "result_schema", None) is not None:
            return view.result_schema
        serializer = getattr(view, "result_serializer", None)
        if serializer is None:
            return EMPTY_RESULT
        if isinstance(serializer, serializers.ListSerializer):
            return {"type": "array", "items": self._result_component(serializer.child)}
        return self._result_component(serializer)

    def _result_component(self, serializer) -> dict:
        component = self.resolve_serializer(serializer, "response")
        return component.ref if component else {"type": "object"}

    def _envelope(self, *, flag: str, response_codes: list[str], result: dict, extra: dict | None = None) -> dict:
        properties = {
            "exceptionFlag": {"type": "string", "enum": [flag]},
            "responseCode": {"type": "string", "enum": response_codes},
            "responseMessage": {"type": "string"},
            **SIGNATURE_FIELDS,
            "resultSet": result,
            **(extra or {}),
        }
        return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}

    def _success_envelope(self) -> dict:
        result = self._result_schema()
        paged = getattr(self.view, "paged", False)
        return self._envelope(
            flag=codes.SUCCESS_FLAG,
            response_codes=[self._success_code()],
            result={"type": "array", "items": result} if paged else result,
            extra=PAGE_FIELDS if paged else None,
        )

    def _failure_envelope(self) -> dict:
        failures = sorted(code for code in self._codes() if code != self._success_code())
        return self._envelope(flag=codes.FAILURE_FLAG, response_codes=failures, result=EMPTY_RESULT)


def strip_optional_slash(endpoints, **kwargs):
    """PREPROCESSING_HOOK: describe ``/openApi/getCode`` (the seed's path), not ``.../getCode/``."""
    return [
        (path.rstrip("/") if path != "/" else path, path_regex, method, callback)
        for path, path_regex, method, callback in endpoints
        if not path.startswith("/api/schema")
    ]


def docs_page(view):
    """The OpenAPI description and its pages: public when ``API_DOCS_PUBLIC`` (default: with
    DEBUG), else for staff only, anonymous visitors going to the admin login (CONTRACT §11)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if settings.API_DOCS_PUBLIC or (request.user.is_active and request.user.is_staff):
            return view(request, *args, **kwargs)
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))

    return guarded
