"""A browsable API reference rendered on the server from the OpenAPI document.

The network these servers run on is often closed, so the reference must not load a UI from a
CDN: this page reads ``app.openapi_schema`` and lists every operation with its parameters,
request body and responses. The raw document stays at ``/api/v1/schema/openapi.json``.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from giamsat.web.openapi import document
from giamsat.web.rendering import page

_METHODS = ("get", "post", "put", "patch", "delete")


def _ref_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"list[{_ref_name(schema.get('items', {}))}]"
    if "oneOf" in schema or "anyOf" in schema:
        return " | ".join(_ref_name(s) for s in schema.get("oneOf", schema.get("anyOf", [])))
    return str(schema.get("type", "object"))


def _response_type(response: dict[str, Any]) -> str:
    content: dict[str, Any] = response.get("content", {})
    first: dict[str, Any] = next(iter(content.values()), {})
    return _ref_name(first.get("schema", {}))


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per operation, sorted by path, with what a caller needs to know."""
    found: list[dict[str, Any]] = []
    for path, item in sorted(spec.get("paths", {}).items()):
        for method in _METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = op.get("requestBody", {}).get("content", {})
            found.append({
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "tags": op.get("tags", []),
                "parameters": [
                    {"name": p["name"], "in": p["in"], "required": p.get("required", False),
                     "type": _ref_name(p.get("schema", {}))}
                    for p in op.get("parameters", [])
                ],
                "body": [_ref_name(c.get("schema", {})) for c in body.values()],
                "responses": {code: _response_type(r)
                              for code, r in op.get("responses", {}).items()},
            })  # fmt: skip
    return found


class ApiDocs(Controller):
    include_in_schema = False

    @get("/api/v1/docs")
    async def docs(self, request: Request[Any, Any, Any]) -> Template:
        spec = document(request)
        schemas = spec.get("components", {}).get("schemas", {})
        return page(request, "api_docs.html", info=spec.get("info", {}),
                    operations=operations(spec), schemas=schemas)  # fmt: skip
