"""OpenAPI 3 description of the signed-envelope endpoints (drf-spectacular).

Every ``ApiView`` is described from what it already declares: ``input_serializer`` (the
request fields, plus ``timestamp``/``nonce``/``sign``), ``result_serializer`` (the shape of
``resultSet``; ``paged`` adds the paging fields), ``result_schema`` (a raw schema for simple
results) and ``response_codes`` (the endpoint's own codes, beside the protocol's).
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

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
    "pageNum": {"type": "integer", "minimum": 1},
    "pageSize": {"type": "integer", "minimum": 1},
    "total": {"type": "integer", "minimum": 0},
    "pages": {"type": "integer", "minimum": 0},
    "isFirstPage": {"type": "boolean"},
    "isLastPage": {"type": "boolean"},
}

EMPTY_RESULT = {"type": "string", "maxLength": 0}


class EnvelopeAutoSchema(AutoSchema):
    def get_serializer_name(self, serializer, direction):
        # Serializers nested in their view (``GotoRepayment.Input``) are named after the view.
        return type(serializer).__qualname__.replace(".", "")

    def get_tags(self):
        return [self.path.strip("/").split("/")[0]]

    def get_operation_id(self):
        return self.path.strip("/").rstrip("/").split("/")[-1]

    def get_description(self):
        text = super().get_description() or ""
        table = "\n".join(f"| `{code}` | {meaning} |" for code, meaning in sorted(self._codes().items()))
        return f"{text}\n\n| responseCode | 含义 |\n|---|---|\n{table}"

    def get_request_serializer(self):
        schema = {"type": "object", "properties": dict(SIGNATURE_FIELDS), "required": list(SIGNATURE_FIELDS)}
        serializer = getattr(self.view, "input_serializer", None)
        if serializer is not None:
            component = self.resolve_serializer(serializer(), "request")
            if component:
                schema = {"allOf": [component.ref, schema]}
        return {"application/json": schema}

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if body:
            body["required"] = True  # the signature fields always are
        return body

    def get_response_serializers(self):
        envelope = self._envelope_schema()
        error = {k: v for k, v in envelope.items()}
        return {
            "200": OpenApiResponse(response=envelope, description="信封：exceptionFlag 0000 成功，9999 失败"),
            "405": OpenApiResponse(response=error, description="只接受 POST"),
            "413": OpenApiResponse(response=error, description="请求报文过大"),
        }

    def _codes(self) -> dict:
        view = self.view
        found = {getattr(view, "success_code", codes.OK): getattr(view, "success_message", "")}
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
        component = self.resolve_serializer(serializer(), "response")
        return component.ref if component else {"type": "object"}

    def _envelope_schema(self) -> dict:
        result = self._result_schema()
        paged = getattr(self.view, "paged", False)
        success_result = {"type": "array", "items": result} if paged else result
        properties = {
            "exceptionFlag": {"type": "string", "enum": [codes.SUCCESS_FLAG, codes.FAILURE_FLAG]},
            "responseCode": {"type": "string", "enum": sorted(self._codes())},
            "responseMessage": {"type": "string"},
            "timestamp": SIGNATURE_FIELDS["timestamp"],
            "nonce": SIGNATURE_FIELDS["nonce"],
            "sign": SIGNATURE_FIELDS["sign"],
            "resultSet": success_result if success_result == EMPTY_RESULT else {"anyOf": [success_result, EMPTY_RESULT]},
        }
        required = ["exceptionFlag", "responseCode", "responseMessage", "timestamp", "nonce", "sign", "resultSet"]
        if paged:
            properties.update(PAGE_FIELDS)
        return {"type": "object", "properties": properties, "required": required}


def strip_optional_slash(endpoints, **kwargs):
    """PREPROCESSING_HOOK: describe ``/openApi/getCode`` (the seed's path), not ``.../getCode/``."""
    return [
        (path.rstrip("/") if path != "/" else path, path_regex, method, callback)
        for path, path_regex, method, callback in endpoints
        if not path.startswith("/api/schema")
    ]
