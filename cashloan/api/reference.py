"""The endpoint catalogue of docs/API.md, written from the OpenAPI description.

Each endpoint's request fields, ``resultSet`` fields and response codes come from what its view
declares (the same source as ``/api/schema/``), so the integrators' document cannot drift
from the server: ``python manage.py api_reference --write`` rewrites the section between the
markers, and a test fails while it is out of date.
"""

import re
from pathlib import Path

from django.conf import settings
from django.urls import resolve

BEGIN = "<!-- endpoint catalogue: written by `python manage.py api_reference --write` -->"
END = "<!-- end of endpoint catalogue -->"
SIGNATURE_FIELDS = {"timestamp", "nonce", "sign"}
ENVELOPE_FIELDS = {"exceptionFlag", "responseCode", "responseMessage", "resultSet"} | SIGNATURE_FIELDS


def document_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "API.md"


def catalogue() -> str:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    operations = sorted(((_section(item["post"]), path, item["post"]) for path, item in schema["paths"].items()))
    lines = [BEGIN, ""]
    for _, path, operation in operations:
        lines += _endpoint(path, operation, components)
    return "\n".join([*lines, END])


def write_catalogue(document: Path) -> None:
    text = document.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    document.write_text(text[:start] + catalogue() + text[end:], encoding="utf-8")


def current_catalogue(document: Path) -> str:
    text = document.read_text(encoding="utf-8")
    return text[text.index(BEGIN):text.index(END) + len(END)]


def _section(operation: dict) -> int:
    return int(re.match(r"§(\d+)", operation["summary"]).group(1))


def _endpoint(path: str, operation: dict, components: dict) -> list[str]:
    view = resolve(path).func.view_class
    summary, codes = operation["description"].split("\n\n| responseCode", 1)
    request = operation["requestBody"]["content"]["application/json"]["schema"]
    success = operation["responses"]["200"]["content"]["application/json"]["schema"]["oneOf"][0]
    facts = ["登录：需要" if view.login_required else "登录：不需要"]
    if view.paged:
        facts.append("分页：pageNum、pageSize、total、pages、isFirstPage、isLastPage 与 resultSet 并列")
    lines = [f"### {path}", "", _one_line(summary), "", "；".join(facts) + "。", ""]
    lines += _fields_table("请求字段（另加 timestamp、nonce、sign）", request, components, skip=SIGNATURE_FIELDS)
    lines += _result_lines(success["properties"]["resultSet"], components)
    lines += ["| responseCode" + codes.rstrip(), ""]
    return lines


def _fields_table(title: str, schema: dict, components: dict, *, skip=frozenset()) -> list[str]:
    schema = _resolved(schema, components)
    properties = {name: value for name, value in schema.get("properties", {}).items() if name not in skip}
    if not properties:
        return [f"{title}：无。", ""]
    required = set(schema.get("required", []))
    lines = [f"{title}：", "", "| 字段 | 类型 | 必填 | 说明 |", "|---|---|---|---|"]
    for name, field in properties.items():
        lines.append(f"| `{name}` | {_type(field, components)} | {'是' if name in required else '否'} | {_describe(field)} |")
    return [*lines, ""]


def _result_lines(result: dict, components: dict) -> list[str]:
    result = _resolved(result, components)
    if result.get("maxLength") == 0:
        return ["resultSet：空字符串。", ""]
    if result.get("type") == "array":
        return _fields_table("resultSet：列表，每项", result["items"], components)
    if result.get("type") == "object" or "properties" in result:
        return _fields_table("resultSet", result, components)
    return [f"resultSet：{_type(result, components)}{'，' + _describe(result) if _describe(result) else ''}。", ""]


def _resolved(schema: dict, components: dict) -> dict:
    if "$ref" in schema:
        return components[schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolved(schema["allOf"][0], components)
    return schema


def _type(field: dict, components: dict) -> str:
    field = _resolved(field, components)
    if "oneOf" in field:
        return " 或 ".join(_type(option, components) for option in field["oneOf"])
    kind = field.get("type", "object")
    if kind == "array":
        item = _resolved(field.get("items", {}), components)
        inner = ", ".join(f"`{name}`" for name in item.get("properties", {})) or _type(item, components)
        return f"列表（{inner}）"
    if kind == "object" and field.get("properties"):
        return "对象（" + ", ".join(f"`{name}`" for name in field["properties"]) + "）"
    return kind + ("，可为 null" if field.get("nullable") else "")


def _describe(field: dict) -> str:
    description = field.get("description", "")
    # DRF describes a choice as "* `1` - 1 * `2` - 2": the values are listed below anyway
    parts = [_one_line(description)] if description and not description.startswith("* `") else []
    if "enum" in field:
        values = [value for value in field["enum"] if value is not None]
        parts.append("取值 " + " / ".join(f"`{value}`" if value != "" else "空" for value in values))
    if "pattern" in field:
        parts.append(f"格式 `{field['pattern']}`")
    if "maxLength" in field:
        parts.append(f"最长 {field['maxLength']}")
    if "minimum" in field and "maximum" in field:
        parts.append(f"范围 {field['minimum']}–{field['maximum']}")
    elif "minimum" in field:
        parts.append(f"至少 {field['minimum']}")
    return "；".join(parts).replace("|", "\\|")


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("``", "`")
