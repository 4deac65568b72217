"""The OpenAPI document as a partner builds a client from it.

litestar writes the operations from the handlers (docstrings as descriptions, structs as
schemas). :func:`complete` adds what it cannot know: every refusal has the one error shape of
``giamsat.web.errors`` (litestar would document its own 400 shape, which the API never sends),
with ``Allow`` on 405 and ``Retry-After`` on 429, and a file download is a binary string. The
document is served by :class:`DocumentPlugin` at ``/api/v1/schema/openapi.json``.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from typing import Any

import msgspec
from litestar import Request
from litestar.openapi.plugins import JsonRenderPlugin

_METHODS = ("get", "put", "post", "delete", "patch")
DESCRIPTION = (
    "The API of giamsat for partner organisations and committees' own tools. Log in with "
    "POST /api/v1/auth/login and send the token as `Authorization: Bearer …`. Everything is "
    "scoped to the caller's committee and the committees below it; an id of another committee "
    "is answered as if it did not exist.\n\n"
    "Every list answers one shape: `{items, limit, offset, total}`, the items from `offset` "
    "(at most `limit`) and the `total` that match the filters in the caller's scope. Every "
    "list takes `limit` (1–500, 50 by default) and `offset` (0 by default); the next page "
    "starts at `offset + limit` until it reaches `total`. A value outside these bounds, or "
    "not a number, is a 400."
)
#: A page of a list, as every list schema describes it (see giamsat.db.paging).
PAGE_DESCRIPTION = (
    "A page of a list: `items` from `offset` (at most `limit`) of `total` items in all."
)
_GENERIC_PAGE = re.compile(r"^Page_(?:[A-Za-z_][A-Za-z0-9_]*\.)*([A-Za-z0-9_]+)_$")
#: What each group of operations is about (the tags of the controllers).
TAGS: dict[str, str] = {
    "auth": "Logging in and out.",
    "committees": "The committee tree (Ủy ban MTTQ): the caller's place in it and its subtree.",
    "cadres": "The register of heads, key officials, cadres and party members.",
    "calendar": "The official working-day calendar's overrides.",
    "cases": "Cases (vụ việc): status, history, transfers, clocks.",
    "intake": "Channels: their forms, bulk formats and the signals sent through them.",
    "portal": "Citizens' reports as staff handle them: replies and identity disclosures.",
    "delegations": "Supervision delegations (đoàn giám sát) and their five documents.",
    "recommendations": "Recommendations (kiến nghị) and their answers.",
    "feedback": "Feedback (góp ý) to party committees and cadres.",
    "plans": "The yearly plan (rule pack) in force, its validation, simulation and additions.",
    "reports": "Periodic reports, their submissions up the tree, exports.",
    "work queue": "What the caller's committee should do next.",
    "residence": "Residence records (hồ sơ nơi cư trú) of the party members living in the "
    "caller's commune, and their year-end comments.",
}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every refusal of the API: a stable code, a message for people, and the "
    "field or header at fault when there is one.",
    "required": ["error", "message"],
    "properties": {
        "error": {
            "type": "string",
            "description": "invalid_request, invalid_input, not_authenticated, "
            "permission_denied, not_found, conflict, too_many_requests, …",
        },
        "message": {"type": "string"},
        "field": {"type": "string"},
        "detail": {"description": "What the request's decoder found wrong, when it did."},
        "errors": {
            "type": "array",
            "description": "A refused submission's field errors (field, message_vi, message_en).",
            "items": {"type": "object"},
        },
        "rows": {
            "type": "array",
            "description": "A refused sheet's report of every row (line, ok, errors).",
            "items": {"type": "object"},
        },
    },
}
#: Every status the API refuses with, and what it means.
REFUSALS: dict[str, str] = {
    "400": "The request cannot be read: a malformed body, a value of the wrong type or range.",
    "401": "No valid bearer token (log in with POST /api/v1/auth/login).",
    "403": "The caller's role may not do this.",
    "404": "Nothing with this id or code in the caller's scope.",
    "405": "The path does not take this method; Allow lists those it takes.",
    "409": "The thing is not in a state that allows this (the message says what is missing).",
    "422": "A value breaks a rule (the message and field say which).",
    "429": "Too many requests; try again after Retry-After seconds.",
}
_HEADERS: dict[str, dict[str, Any]] = {
    "405": {"Allow": {"description": "The methods the path takes.", "schema": {"type": "string"}}},
    "429": {
        "Retry-After": {
            "description": "Seconds to wait before trying again.",
            "schema": {"type": "integer"},
        }
    },
}


_VALUE = {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"},
                   {"type": "array", "items": {"type": "string"}}, {"type": "null"}]}  # fmt: skip
#: Bodies the handlers read themselves (a channel's fields are the plugin's, not a struct).
REQUEST_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/api/v1/intake/{channel}/{form}"): {
        "required": True,
        "description": "The form's fields, named as GET /api/v1/channels/{channel}/forms lists "
        "them: JSON (field → value), or multipart/form-data with the files of its file fields.",
        "content": {
            "application/json": {"schema": {"type": "object", "additionalProperties": _VALUE}},
            "multipart/form-data": {
                "schema": {"type": "object", "additionalProperties": {"type": "string"}}
            },
        },
    },
    ("post", "/api/v1/intake/{channel}/bulk/{fmt}"): {
        "required": True,
        "description": "The sheet (xlsx or csv) in the field ``file``, laid out as GET "
        "/api/v1/channels/{channel}/bulk-formats describes the format.",
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    },
}
#: Operations that may answer 202: the work goes on in a job the answer names.
ACCEPTED_AS_JOB: dict[tuple[str, str], str] = {
    ("post", "/api/v1/intake/{channel}/bulk/{fmt}"): "A sheet of more rows than the server's "
    "sheet_job_rows: every row kept, decided afterwards by the job named in job_id and job_url "
    "(also in Location), with its state and counts in job and the number of signals kept in "
    "signals (no rows, signal_ids or routes); follow it with GET /api/v1/decision-jobs/{job_id}, "
    "each signal's outcome with GET /api/v1/submissions/{submission_id}.",
}
IDEMPOTENCY_KEY: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Makes a retry safe: the same key and body answer with the first answer "
    "and create nothing (intake: 200 with replayed true; elsewhere the first status, with "
    "Idempotent-Replayed: true); the same key with another body is a 422.",
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:-]{8,128}$"},
}


def _refusal(status: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": REFUSALS[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if status in _HEADERS:
        response["headers"] = _HEADERS[status]
    return response


def _binary(responses: dict[str, Any]) -> None:
    """A success whose media type is not JSON is a file: a binary string."""
    for status, response in responses.items():
        if not status.startswith("2"):
            continue
        for media_type, body in response.get("content", {}).items():
            if "json" not in media_type and body.get("schema", {}).get("type") == "string":
                body["schema"] = {"type": "string", "format": "binary"}


def _renamed(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            k: (names.get(v, v) if k == "$ref" and isinstance(v, str) else _renamed(v, names))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_renamed(v, names) for v in node]
    return node


def _name_pages(spec: dict[str, Any]) -> dict[str, Any]:
    """litestar names ``Page[CaseListItem]`` after its module path; a client wants
    ``CaseListItemPage``, described as the one paging shape."""
    schemas = spec.get("components", {}).get("schemas", {})
    renames: dict[str, str] = {}
    for name in list(schemas):
        found = _GENERIC_PAGE.match(name)
        if found:
            renames[name] = f"{found.group(1)}Page"
    if not renames:
        return spec
    refs = {f"#/components/schemas/{old}": f"#/components/schemas/{new}"
            for old, new in renames.items()}  # fmt: skip
    spec = _renamed(spec, refs)
    schemas = spec["components"]["schemas"]
    for old, new in renames.items():
        schema = schemas.pop(old)
        schema["title"] = new
        schema["description"] = PAGE_DESCRIPTION
        for field, text in _PAGE_FIELDS.items():
            schema["properties"][field]["description"] = text
        schemas[new] = schema
    return spec


_PAGE_FIELDS = {
    "items": "The items of this page, in the list's order.",
    "limit": "The most items a page holds, as asked (1–500).",
    "offset": "How many items come before this page.",
    "total": "How many items match in all, across every page.",
}


def complete(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of litestar's document with the error shape, refusals and file types added."""
    spec = _name_pages(copy.deepcopy(spec))
    spec["info"].setdefault("description", DESCRIPTION)
    used = {t for item in spec.get("paths", {}).values() for m in _METHODS
            for t in item.get(m, {}).get("tags", [])}  # fmt: skip
    spec["tags"] = [{"name": t, "description": TAGS.get(t, t)} for t in sorted(used)]
    components = spec.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    components["responses"] = {f"Refusal{s}": _refusal(s) for s in REFUSALS}
    for path, item in spec.get("paths", {}).items():
        for method in _METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            if method == "post" and "201" in responses:  # see giamsat.web.idempotency
                operation.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
            body = REQUEST_BODIES.get((method, path))
            if body is not None:
                operation["requestBody"] = body
                if "201" in responses:
                    replay = "The first answer to this Idempotency-Key, again (replayed: true)."
                    responses["200"] = {**responses["201"], "description": replay}
            accepted = ACCEPTED_AS_JOB.get((method, path))
            if accepted is not None and "201" in responses:
                location = {"description": "The job's status URL.", "schema": {"type": "string"}}
                responses["202"] = {**responses["201"], "description": accepted,
                                    "headers": {"Location": location}}  # fmt: skip
            _binary(responses)
            for status in REFUSALS:
                responses[status] = {"$ref": f"#/components/responses/Refusal{status}"}
    return spec


class DocumentPlugin(JsonRenderPlugin):
    """Serves :func:`complete`'s document as ``openapi.json`` (computed once per app)."""

    def __init__(self) -> None:
        super().__init__(path="/openapi.json")
        self._rendered: bytes | None = None

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        if self._rendered is None:
            self._rendered = msgspec.json.encode(complete(openapi_schema))
        return self._rendered


def document(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """The completed document of the app serving ``request`` (for the reference page)."""
    return complete(request.app.openapi_schema.to_schema())


def dump() -> str:
    """The document as ``make openapi`` writes it to ``docs/openapi.json`` (the drift test
    compares the served one with it)."""
    from giamsat.settings import Settings
    from giamsat.web.app import create_app

    settings = Settings(secret_key="only-builds-the-document")  # noqa: S106 - never serves
    app = create_app(settings, manage_database=False)
    spec = complete(app.openapi_schema.to_schema())
    return json.dumps(spec, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    sys.stdout.write(dump())
