"""The OpenAPI description as the app generates it, and a check that a reply conforms to it.

Shared by the schema, fuzz and query-budget tests: a reply that the description does not
admit (a field missing, an extra one, a money value that is not a two-decimal string, a code
not in the endpoint's table) fails the test that received it.
"""

from functools import cache

import jsonschema
from drf_spectacular.generators import SchemaGenerator


@cache
def openapi_document() -> dict:
    """The document /api/schema/ serves (generated once per test run)."""
    return SchemaGenerator().get_schema(request=None, public=True)


def reply_schema(path: str, status: int = 200) -> dict:
    document = openapi_document()
    response = document["paths"][path]["post"]["responses"][str(status)]
    return {**response["content"]["application/json"]["schema"], "components": document["components"]}


def conformance_errors(path: str, body: dict, status: int = 200) -> list[str]:
    validator = jsonschema.Draft7Validator(reply_schema(path, status))
    errors = sorted(validator.iter_errors(body), key=lambda error: list(error.absolute_path))
    return [_describe(error) for error in errors]


def assert_conforms(path: str, body: dict, status: int = 200) -> None:
    errors = conformance_errors(path, body, status)
    assert not errors, f"{path} replied outside its description:\n" + "\n".join(errors)


def _describe(error: jsonschema.ValidationError) -> str:
    # ``oneOf`` failures hide the useful part in their context: show the closest branch's errors.
    details = [error.message]
    for sub in sorted(error.context or [], key=lambda e: len(e.absolute_path), reverse=True)[:5]:
        details.append(f"  at {'/'.join(map(str, sub.absolute_path))}: {sub.message[:200]}")
    return f"{'/'.join(map(str, error.absolute_path)) or '<reply>'}: " + "\n".join(details)
