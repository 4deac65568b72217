"""schemathesis over every operation of the served document, anonymous and as a district
officer, on PostgreSQL: no server error, and every answer as the document describes it.

Each operation gets a bounded number of generated requests; every failure of every operation is
collected and reported together.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.contract.conftest import Served

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
#: Generated requests per operation and caller: enough to reach the refusals, bounded for CI.
EXAMPLES = 8
#: Operations a shared token must not be sent to (it would end the session for the rest).
ENDS_SESSION = frozenset({("POST", "/api/v1/auth/logout")})


def _fuzz(served: Served, headers: dict[str, str]) -> tuple[int, list[str]]:
    schema = schemathesis.openapi.from_url(f"{served.base_url}/api/v1/schema/openapi.json")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if headers and (operation.method.upper(), operation.path) in ENDS_SESSION:
            continue
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def run(case: Any) -> None:
            response = case.call(base_url=served.base_url, headers=headers, timeout=60)
            try:
                case.validate_response(response, checks=CHECKS)
            except Exception as exc:  # a check's failure: keep it and go on
                label = f"{case.operation.method.upper()} {case.operation.path}"
                failures.append(f"{label}: {exc}"[:2000])

        run()
    return operations, failures


@pytest.mark.slow
def test_anonymous_callers_get_documented_answers(served: Served) -> None:
    # given every operation of the served document, called without a token
    operations, failures = _fuzz(served, {})
    # then there was no server error and every answer matched the document
    assert operations > 70
    assert failures == [], "\n\n".join(dict.fromkeys(failures))


@pytest.mark.slow
def test_a_district_officer_gets_documented_answers(served: Served) -> None:
    # given every operation, called by an officer of Quận Hoàn Kiếm with generated values
    operations, failures = _fuzz(served, {"Authorization": f"Bearer {served.token()}"})
    # then there was no server error and every answer matched the document
    assert operations > 70
    assert failures == [], "\n\n".join(dict.fromkeys(failures))
