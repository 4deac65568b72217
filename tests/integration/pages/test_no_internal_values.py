"""No internal value reaches a page: statuses, roles, levels and history actions show by name.

Renders the pages a commune officer uses (in Vietnamese, the default) and fails on any stored
enumeration value in the text a person reads.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

from giamsat.accounts.roles import Role
from giamsat.cases.deadlines import today_in_vietnam
from giamsat.cases.statuses import Status
from giamsat.reports.labels import STATUS_LABELS as REPORT_STATUSES
from giamsat.rulepacks.vocabulary import CHANNELS
from giamsat.tenancy.levels import Level
from giamsat.web.labels import HISTORY_ACTIONS, STEPS
from tests.integration.cases.conftest import new_case

INTERNAL = sorted(
    {s.value for s in Status}
    | {r.value for r in Role}
    | {lv.value for lv in Level}
    | set(HISTORY_ACTIONS)
    | set(CHANNELS)
    | set(STEPS)
    | set(REPORT_STATUSES),
    key=len,
    reverse=True,
)
PATTERN = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, INTERNAL)) + r")(?![\w/.-])")


class _Text(HTMLParser):
    """The text a person reads: no markup, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _readable(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


async def test_pages_show_names_not_stored_values(db, factory):
    # given a ward (00064) with an overdue case that has history, and its officer
    case = await new_case("00064", received=today_in_vietnam() - dt.timedelta(days=60))
    client, _ = await factory.page_client("00064")
    pages = [
        "/c/00064/",
        "/c/00064/tree",
        "/c/00064/cases",
        "/c/00064/cases?view=overdue",
        f"/c/00064/cases/{case.id}",
        "/c/00064/reports",
        "/c/00064/password",
        "/c/00064/cadres/",
        "/c/00064/delegations/",
        "/c/00064/recommendations/",
        "/c/00064/intake/",
        "/c/00064/portal/",
        "/login",
        "/no-such-page",
    ]
    found: dict[str, list[str]] = {}
    # when each page is rendered
    for path in pages:
        resp = await client.get(path)
        assert resp.status_code in (200, 404), (path, resp.status_code)
        # then its readable text holds no stored enumeration value
        hits = sorted(set(PATTERN.findall(_readable(resp.text))))
        if hits:
            found[path] = hits
    assert found == {}
