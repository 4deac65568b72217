"""A TypeScript client generated from the served document by openapi-typescript, and the
partner's journey written against it (typescript/journey.ts), type-check with ``tsc``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from tests.contract.conftest import Served

HERE = Path(__file__).parent
BIN = HERE / "node_modules" / ".bin"


def test_journey_type_checks_against_the_generated_types(served: Served) -> None:
    if not (BIN / "tsc").exists() or not (BIN / "openapi-typescript").exists():
        pytest.skip("the npm tools are not installed: run `make contract-tools` (needs npm)")
    # given the types generated from the served document
    generated = HERE / "generated"
    generated.mkdir(exist_ok=True)
    document = generated / "openapi.json"
    document.write_bytes(httpx.get(f"{served.base_url}/api/v1/schema/openapi.json").content)
    made = subprocess.run(
        # a property with a default may be left out of a request (the API fills it in)
        [str(BIN / "openapi-typescript"), str(document), "-o", str(generated / "schema.d.ts"),
         "--default-non-nullable=false"],
        capture_output=True, text=True, timeout=300, check=False, cwd=HERE,
    )  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    # when tsc checks the journey against them
    checked = subprocess.run(
        [str(BIN / "tsc"), "-p", str(HERE / "typescript" / "tsconfig.json")],
        capture_output=True, text=True, timeout=300, check=False, cwd=HERE,
    )  # fmt: skip
    # then every call, body and answer is typed (an intake body typed `never` would fail)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "[key: string]: string | number" in _intake_body(generated / "schema.d.ts")


def _intake_body(types: Path) -> str:
    """The request body type of the intake form operation."""
    text = types.read_text(encoding="utf-8")
    start = text.index("requestBody", text.index("    ApiV1IntakeChannelFormSubmit: {"))
    return text[start : text.index("responses", start)]
