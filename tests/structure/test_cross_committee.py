"""A user of Phường Phúc Tân (00037, Hoàn Kiếm) asking for Ba Đình's (001) rows gets 403/404.

Every ``/c/{code}/…`` GET page and every ``/api/v1/…`` GET route that takes a committee code or
an id is walked from the real app; the path values are real ids of Ba Đình's rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from litestar import Litestar

from giamsat.reports.plan import load_plan
from tests.factories import Factory
from tests.structure.ba_dinh import BA_DINH, BaDinhRows
from tests.structure.routes import RouteCall, fill

OWN = "00037"
#: Path parameters that name no row of anyone's (a channel, a form, a file format, a document
#: kind, a reporting period): every other parameter must get a Ba Đình value below.
NOT_IDS = frozenset(
    {"channel", "form", "fmt", "name", "period", "section", "part", "rule_id", "plugin", "key"}
)


def _ba_dinh_values(rows: BaDinhRows, call: RouteCall) -> dict[str, object]:
    item = rows.feedback_id if "/feedback/" in call.template else rows.recommendation_id
    return {
        "code": BA_DINH, "committee": BA_DINH, "child": BA_DINH, "case_id": rows.case_id,
        "delegation_id": rows.delegation_id, "item_id": item, "signal": rows.signal_id,
        "request_id": rows.disclosure_id, "cadre": rows.cadre, "draft": rows.draft_id,
        "submission_id": rows.submission_id, "signal_id": rows.signal_id,
        "attachment_id": rows.attachment_id, "cadre_id": rows.cadre_id,
        "version_id": rows.version_id, "job_id": rows.job_id, "section": "indicator_rules",
        "part": "plan",
        "rule_id": "corruption-signal",
        "period": load_plan().current_period(dt.date.today()).id,
    }  # fmt: skip


def _urls(rows: BaDinhRows, call: RouteCall) -> list[str]:
    """Ba Đình's URL, and for a page with ids also the user's own code with Ba Đình's ids."""
    values = _ba_dinh_values(rows, call)
    unmapped = [p for p in call.params if p not in values and p not in NOT_IDS]
    assert unmapped == [], f"{call}: give {unmapped} a Ba Đình value in this test"
    urls = [fill(call, values)]
    if "code" in call.params and len(call.params) > 1:
        urls.append(fill(call, values | {"code": OWN}))
    return urls


async def test_other_committee_gets_nothing_of_ba_dinh(
    factory: Factory,
    app: Litestar,
    routes: list[RouteCall],
    rows_of: Callable[[str], Awaitable[BaDinhRows]],
) -> None:
    # given real rows of Ba Đình (removed afterwards), and an administrator of Phúc Tân on the
    # pages and the API
    rows = await rows_of(BA_DINH)
    page, _ = await factory.page_client(OWN, "admin")
    api, _ = await factory.api_client(OWN, "admin")
    gets = [c for c in routes if c.method == "GET" and not c.is_public]
    targeted = [c for c in gets if set(c.params) - NOT_IDS]
    assert len(targeted) > 10, "the walk found too few routes that take a code or an id"
    leaks: list[str] = []
    # when they ask every such route for Ba Đình's committee or rows
    for call in targeted:
        for url in _urls(rows, call):
            resp = await (api if call.is_api else page).get(url)
            # then each answer is 403 or 404
            if resp.status_code not in (403, 404):
                leaks.append(f"{call}: GET {url} -> {resp.status_code}")
    # and none of their own lists or pages shows anything that only Ba Đình's rows hold
    for call in gets:
        resp = await (api if call.is_api else page).get(fill(call, {"code": OWN}))
        leaks += [f"{call} shows {m!r}" for m in rows.markers if m in resp.text]
    assert leaks == [], "\n".join(leaks)
    # and Ba Đình's own staff do see their case (the ids are real)
    own, _ = await factory.api_client(BA_DINH, "admin")
    assert (await own.get(f"/api/v1/cases/{rows.case_id}")).status_code == 200
