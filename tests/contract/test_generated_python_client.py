"""A partner's journey through a Python client generated from the served document by
openapi-python-client: no hand-written HTTP.

It logs in, pages through committees and cases, reads the indicator catalogue and a channel's
forms, submits a report with an idempotency key and retries it, follows it to its case, and
downloads an export.
"""

from __future__ import annotations

import datetime as dt
import importlib
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from giamsat.reports.plan import load_plan
from tests.contract.conftest import DISTRICT, PASSWORD, USERNAME, Served

HERE = Path(__file__).parent
GENERATOR = str(Path(sys.executable).with_name("openapi-python-client"))


@pytest.fixture(scope="module")
def client_package(served: Served, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The client generated from the served document, importable as ``giamsat_client``."""
    root = tmp_path_factory.mktemp("python-client")
    document = root / "openapi.json"
    document.write_bytes(httpx.get(f"{served.base_url}/api/v1/schema/openapi.json").content)
    config = HERE / "python-client.yaml"
    done = subprocess.run(
        [GENERATOR, "generate", "--path", str(document), "--meta", "none",
         "--output-path", str(root / "giamsat_client"), "--config", str(config)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING" not in done.stdout, done.stdout  # every operation and response generated
    sys.path.insert(0, str(root))
    try:
        yield "giamsat_client"
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.startswith("giamsat_client")]:
            del sys.modules[name]


def _op(package: str, name: str) -> ModuleType:
    return importlib.import_module(f"{package}.api.{name}")


def _model(package: str, name: str) -> Any:
    return getattr(importlib.import_module(f"{package}.models"), name)


def _every(read: Any) -> list[Any]:
    """Every item of a list, page after page by ``offset`` until ``total`` is reached."""
    items: list[Any] = []
    while True:
        page = read(len(items))
        items.extend(page.items)
        if not page.items or len(items) >= page.total:
            return items


def test_partner_journey_through_the_generated_client(client_package: str, served: Served) -> None:
    pkg = client_package
    client_mod = importlib.import_module(f"{pkg}.client")
    anonymous = client_mod.Client(base_url=served.base_url, raise_on_unexpected_status=True)
    # given a partner who logs in with the generated client
    login = _op(pkg, "auth.api_v1_auth_login_login").sync(
        client=anonymous,
        body=_model(pkg, "LoginRequest")(committee=DISTRICT, username=USERNAME, password=PASSWORD),
    )
    api = client_mod.AuthenticatedClient(
        base_url=served.base_url, token=login.token, raise_on_unexpected_status=True
    )
    # when they page through the committees of their district and through its cases
    search = _op(pkg, "committees.api_v1_committees_search")
    first = search.sync(client=api, q="phuong", limit=5)
    communes = _every(lambda offset: search.sync(client=api, q="phuong", limit=5, offset=offset))
    assert 0 < len(first.items) <= 5 < first.total == len(communes), first
    assert all(c.path.startswith("/01/002/") for c in communes)
    assert len({c.id for c in communes}) == first.total  # no committee twice, none left out
    # and read the indicator catalogue and the workplace channel's forms
    catalogue = _op(pkg, "intake.api_v1_indicators_indicators").sync(client=api)
    codes = {item.code for item in catalogue.items}
    assert "DD7" in codes, codes
    forms = _op(pkg, "intake.api_v1_channels_forms_forms").sync(channel="workplace", client=api)
    report = next(f for f in forms.items if f.id == "report")
    assert {"cadre", "indicator", "union", "content"} <= {f.name for f in report.fields}
    # and register a cadre, then submit a report about them with an idempotency key, twice
    code = f"DT{uuid.uuid4().hex[:8].upper()}"
    cadre = _model(pkg, "CadreCreate")(
        code=code, full_name="Nguyễn Văn Đối Tác",
        managing_level=_model(pkg, "CadreCreateManagingLevel")("district"),
    )  # fmt: skip
    _op(pkg, "cadres.api_v1_cadres_create").sync(client=api, body=cadre)
    values = _model(pkg, "ApiV1IntakeChannelFormSubmitJsonBody")()
    values.additional_properties.update({
        "cadre": code, "indicator": "DD7", "union": "Công đoàn quận",
        "content": "Báo cáo của đối tác qua ứng dụng",
    })  # fmt: skip
    submit = _op(pkg, "intake.api_v1_intake_channel_form_submit")
    key = f"partner-{uuid.uuid4().hex}"
    first = submit.sync_detailed(channel="workplace", form="report", client=api, body=values,
                                 idempotency_key=key)  # fmt: skip
    again = submit.sync_detailed(channel="workplace", form="report", client=api, body=values,
                                 idempotency_key=key)  # fmt: skip
    # then the retry replays the first answer with its own status, and creates nothing
    assert (int(first.status_code), int(again.status_code)) == (201, 200)
    assert again.parsed.replayed is True
    assert again.parsed.signal_ids == first.parsed.signal_ids
    # and the result names the case the report went to, which the partner can open
    route = first.parsed.routes[0]
    assert route.case_id, route
    shown = _op(pkg, "cases.api_v1_cases_case_id_show").sync(case_id=route.case_id, client=api)
    # (in full when the district handles it, its status when the plan sent it up)
    seen = shown.case if shown.case else shown.status
    assert seen.number == route.case_number, shown
    # and paging through the cases one by one gives the whole list, with the new case in it
    index = _op(pkg, "cases.api_v1_cases_index")
    everything = index.sync(client=api, limit=500)
    assert route.case_id in [c.id for c in everything.items]
    assert everything.total == len(everything.items)
    one_by_one = _every(lambda offset: index.sync(client=api, limit=1, offset=offset))
    assert [c.id for c in one_by_one] == [c.id for c in everything.items]
    # and the cases list downloads as a workbook, like a report's export
    cases_sheet = _op(pkg, "cases.api_v1_cases_export_xlsx_export").sync(client=api)
    assert cases_sheet.payload.read(2) == b"PK"
    # and an export downloads as a file
    period = load_plan().current_period(dt.date.today()).id
    export = _op(pkg, "reports.api_v1_reports_period_export_xlsx_export_xlsx")
    sheet = export.sync(period=period, client=api)
    assert sheet.payload.read(2) == b"PK"  # an xlsx is a zip archive
