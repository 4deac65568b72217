"""Staff lists and API lists are paged the same way: limit/offset/total inside the caller's scope.

Each test gives a commune of Huyện Thanh Trì 60 cases or cadres and a sibling commune a few
(the session's database is shared, so each test has its own pair). Every page, total and
export holds exactly the commune's own rows, never the sibling's. The clock is frozen on
Wednesday 26/02/2025, two working days after the first case's due date (24/02/2025).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from piccolo.engine.base import Engine

from giamsat.cadres import service as cadres
from giamsat.db.engine import current_engine
from tests.factories import Factory
from tests.integration.calendar.conftest import frozen_on
from tests.integration.cases.conftest import context_for, new_case

OWN, SIBLING = "00643", "00646"  # Xã Tân Triều, Xã Thanh Liệt
PAGE_OWN, PAGE_SIBLING = "00649", "00652"  # Xã Tả Thanh Oai, Xã Hữu Hoà
EXPORT_OWN, EXPORT_SIBLING = "00655", "00658"  # Xã Tam Hiệp, Xã Tứ Hiệp
CADRE_OWN, CADRE_SIBLING = "00661", "00664"  # Xã Yên Mỹ, Xã Vĩnh Quỳnh
TODAY = dt.date(2025, 2, 26)
FIRST_RECEIVED = dt.date(2025, 1, 20)  # due 24/02/2025 (20 working days, Tết in between)


@pytest.fixture
def today() -> Iterator[None]:
    with frozen_on(TODAY):
        yield


async def _cases(owner: str, count: int) -> list[tuple[int, str]]:
    made = []
    for n in range(count):
        case = await new_case(owner, received=FIRST_RECEIVED + dt.timedelta(days=n))
        made.append((case.id, case.number))
    return made


async def _cadres(owner: str, count: int) -> list[str]:
    tag = uuid.uuid4().hex[:6].upper()
    codes = [f"PG{tag}{n:03d}" for n in range(count)]
    rows = [f"{c},Nguyễn Văn Thử {n:03d},Cán bộ,cán bộ,UBND xã,,xã/phường,,có"
            for n, c in enumerate(codes)]  # fmt: skip
    header = "Mã,Họ tên,Chức vụ,Loại,Nơi công tác,Xã cư trú,Cấp quản lý,Đơn vị quản lý,Đảng viên"
    data = ("\n".join([header, *rows]) + "\n").encode("utf-8")
    report = await cadres.import_cadres(await context_for(owner), "ds.csv", data)
    assert report.accepted, report
    return codes


async def _every(api: httpx.AsyncClient, path: str, limit: int, **params: Any) -> list[Any]:
    """Every item of an API list, page by page by offset until total."""
    items: list[Any] = []
    while True:
        page = (await api.get(path, params={**params, "limit": limit, "offset": len(items)})).json()
        assert (page["limit"], page["offset"]) == (limit, len(items))
        items.extend(page["items"])
        if not page["items"] or len(items) >= page["total"]:
            return items


def _rows(html: str) -> list[str]:
    body = html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', body, re.S)


def _sheet(content: bytes) -> tuple[str, list[list[Any]]]:
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    return sheet.title, [list(r) for r in sheet.iter_rows(values_only=True)]


class QueryCounter:
    """Every SQL statement the app sends while it is on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, engine: Engine) -> None:
        self.statements: list[str] = []
        original = type(engine).run_querystring

        async def counted(this: Engine, querystring: Any, in_pool: bool = True) -> Any:
            self.statements.append(str(querystring))
            return await original(this, querystring, in_pool)

        monkeypatch.setattr(type(engine), "run_querystring", counted)

    def on(self, table: str) -> list[str]:
        return [s for s in self.statements if f'FROM "{table}"' in s]


async def test_cases_are_paged_by_offset_and_total_in_the_api_never_the_siblings(
    db: object, factory: Factory, today: None
) -> None:
    # given 60 cases of Tân Triều and 3 of its sibling Thanh Liệt
    mine = await _cases(OWN, 60)
    theirs = await _cases(SIBLING, 3)
    api, _ = await factory.api_client(OWN)
    # when a partner asks for the first page and then pages through by offset
    first = (await api.get("/api/v1/cases", params={"limit": 25})).json()
    every = await _every(api, "/api/v1/cases", 25)
    # then the page holds 25 of 60, the total counts only Tân Triều's, and paging gives all
    assert (len(first["items"]), first["limit"], first["offset"]) == (25, 25, 0)
    assert first["total"] == 60 == len(every)
    assert sorted(c["id"] for c in every) == sorted(i for i, _ in mine)
    assert not {c["id"] for c in every} & {i for i, _ in theirs}
    # and the earliest due date comes first; a committee name, not only its code, is given
    assert [c["id"] for c in every[:3]] == [i for i, _ in mine[:3]]
    assert every[0]["committee_name"] == "Xã Tân Triều"
    # and a sort puts the latest received first, with the same total
    latest = (await api.get("/api/v1/cases", params={"sort": "-received_on", "limit": 5})).json()
    assert latest["items"][0]["id"] == mine[-1][0] and latest["total"] == 60
    # and an offset past the end is an empty page with the total, not an error
    past = (await api.get("/api/v1/cases", params={"offset": 1000})).json()
    assert (past["items"], past["total"]) == ([], 60)
    # and the sibling's own list counts its 3 cases only
    sibling, _ = await factory.api_client(SIBLING)
    assert (await sibling.get("/api/v1/cases")).json()["total"] == 3


async def test_bad_paging_values_are_400_with_the_one_error_shape(
    db: object, factory: Factory
) -> None:
    # given a commune officer on the API
    api, _ = await factory.api_client(OWN)
    # when a list is asked with values outside the bounds, or not numbers
    asked = [
        ("/api/v1/cases", {"limit": 0}), ("/api/v1/cases", {"limit": 501}),
        ("/api/v1/cadres", {"offset": -1}), ("/api/v1/delegations", {"limit": "many"}),
        ("/api/v1/feedback", {"offset": 2**40}), ("/api/v1/cases", {"sort": "title"}),
        ("/api/v1/committees/00643/children", {"limit": -5}),
    ]  # fmt: skip
    answers = [await api.get(path, params=params) for path, params in asked]
    # then each is a 400 with an error code and a message
    assert [r.status_code for r in answers] == [400] * len(asked), [r.text for r in answers]
    assert all({"error", "message"} <= set(r.json()) for r in answers)


async def test_every_api_list_answers_the_one_page_shape(db: object, factory: Factory) -> None:
    # given a commune administrator
    api, _ = await factory.api_client(OWN, "admin")
    # when every list of the API is asked for with limit and offset
    lists = ["/api/v1/cases", "/api/v1/cadres", "/api/v1/committees?q=xa",
             "/api/v1/committees/00643/children", "/api/v1/users", "/api/v1/delegations",
             "/api/v1/feedback", "/api/v1/recommendations", "/api/v1/portal/reports",
             "/api/v1/triage", "/api/v1/calendar/overrides", "/api/v1/calendar/years",
             "/api/v1/channels", "/api/v1/submissions"]  # fmt: skip
    shapes = {}
    for path in lists:
        where, _, q = path.partition("?q=")
        resp = await api.get(where, params={"limit": 2, "offset": 0} | ({"q": q} if q else {}))
        assert resp.status_code == 200, (path, resp.text)
        body = resp.json()
        shapes[path] = (tuple(sorted(body)), body["limit"], body["offset"], len(body["items"]) <= 2)
    # then every one answers items, limit, offset and total
    assert set(shapes.values()) == {(("items", "limit", "offset", "total"), 2, 0, True)}


async def test_case_list_page_is_paged_sorted_tagged_and_cheap(
    db: object, factory: Factory, today: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given 60 received cases of Tân Triều and 3 of its sibling
    mine = await _cases(PAGE_OWN, 60)
    theirs = await _cases(PAGE_SIBLING, 3)
    page, _ = await factory.page_client(PAGE_OWN)
    counter = QueryCounter(monkeypatch, current_engine())
    # when the officer opens the cases list
    listing = await page.get(f"/c/{PAGE_OWN}/cases/")
    # then 50 rows show, earliest due first, with the count and GOV.UK pagination to page 2
    assert listing.status_code == 200
    rows = _rows(listing.text)
    assert len(rows) == 50 and mine[0][1] in rows[0] and mine[1][1] in rows[1]
    assert "Hiển thị 1–50 trên 60" in listing.text
    assert 'class="govuk-pagination"' in listing.text and 'href="?page=2"' in listing.text
    # and the first case, due 24/02/2025, is overdue by two working days (25 and 26/02)
    assert "24/02/2025" in rows[0] and "Quá hạn 2 ngày làm việc" in rows[0]
    # and the committee handling each case is named, not coded
    assert "Xã Tả Thanh Oai" in rows[0]
    # and the page read its rows and their total in one statement on the cases table
    assert len(counter.on("supervision_case")) == 1, counter.on("supervision_case")
    # and the sibling's cases are on no page
    second = await page.get(f"/c/{PAGE_OWN}/cases/", params={"page": 2})
    numbers = " ".join(_rows(listing.text) + _rows(second.text))
    assert len(_rows(second.text)) == 10
    assert all(n in numbers for _, n in mine) and not any(n in numbers for _, n in theirs)
    # when it is filtered by status and sorted by due date descending, then moved to page 2
    filtered = await page.get(f"/c/{PAGE_OWN}/cases/", params={"status": "received"})
    due_link = re.search(r'href="(\?[^"]*sort=-due_on[^"]*)"', filtered.text)
    assert due_link is not None and "status=received" in due_link.group(1)
    descending = await page.get(f"/c/{PAGE_OWN}/cases/{due_link.group(1).replace('&amp;', '&')}")
    assert mine[-1][1] in _rows(descending.text)[0]
    next_link = re.search(r'href="(\?[^"]*page=2[^"]*)" rel="next"', descending.text)
    # then the next page keeps the filter and the order
    assert next_link is not None
    assert "status=received" in next_link.group(1) and "sort=-due_on" in next_link.group(1)


async def test_case_export_holds_exactly_the_filtered_rows_under_a_title_block(
    db: object, factory: Factory, today: None
) -> None:
    # given 60 cases of Tân Triều, one of them moved on to verifying, and 3 of the sibling
    mine = await _cases(EXPORT_OWN, 60)
    theirs = await _cases(EXPORT_SIBLING, 3)
    page, _ = await factory.page_client(EXPORT_OWN)
    api, _ = await factory.api_client(EXPORT_OWN)
    moved = await api.post(f"/api/v1/cases/{mine[5][0]}/status", json={"status": "verifying"})
    assert moved.status_code == 200, moved.text
    # when the officer downloads the list filtered on "received" (the link on the list)
    listing = await page.get(f"/c/{EXPORT_OWN}/cases/", params={"status": "received"})
    link = re.search(r'href="(export\.xlsx[^"]*)"', listing.text)
    assert link is not None and "status=received" in link.group(1)
    download = await page.get(f"/c/{EXPORT_OWN}/cases/{link.group(1).replace('&amp;', '&')}")
    # then the workbook is named in Vietnamese and opens with its title block
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in download.headers["content-disposition"]
    title, cells = _sheet(download.content)
    assert title == "Vụ việc"
    assert cells[0][0] == "Ủy ban MTTQ Việt Nam Xã Tam Hiệp"
    assert cells[1][0] == "DANH SÁCH VỤ VIỆC"
    assert cells[2][0] == "Trạng thái: Đã tiếp nhận"
    assert cells[3][0] == "Lập ngày 26 tháng 02 năm 2025"
    # and it holds the 59 received cases of every page, none of the sibling's, no stored value
    header = cells.index(next(r for r in cells if r[0] == "STT"))
    rows = [r for r in cells[header + 1 :] if isinstance(r[0], int)]
    numbers = {r[1] for r in rows}
    assert numbers == {n for i, n in mine if i != mine[5][0]}
    assert not numbers & {n for _, n in theirs}
    assert {r[4] for r in rows} == {"Đã tiếp nhận"}
    flat = {str(v) for r in cells for v in r if v is not None}
    assert not flat & {"received", "verifying", "full", "status", "True", "False"}
    # and dates are date cells shown the Vietnamese way
    workbook = load_workbook(io.BytesIO(download.content))
    received = workbook.worksheets[0].cell(row=header + 2, column=6)
    assert received.value.date() == FIRST_RECEIVED and received.number_format == "dd/mm/yyyy"
    # and the sibling's export through the API holds its 3 cases only
    sibling, _ = await factory.api_client(EXPORT_SIBLING)
    theirs_sheet = await sibling.get("/api/v1/cases/export.xlsx")
    assert theirs_sheet.status_code == 200
    _, their_cells = _sheet(theirs_sheet.content)
    their_numbers = {r[1] for r in their_cells if r and isinstance(r[0], int)}
    assert their_numbers == {n for _, n in theirs}


async def test_cadre_list_is_paged_filtered_and_exported_without_the_siblings(
    db: object, factory: Factory, today: None
) -> None:
    # given 60 cadres in Tân Triều's register and 2 in its sibling's
    mine = await _cadres(CADRE_OWN, 60)
    theirs = await _cadres(CADRE_SIBLING, 2)
    page, _ = await factory.page_client(CADRE_OWN)
    api, _ = await factory.api_client(CADRE_OWN)
    # when the register is listed through the API and on the page, searched for the batch
    query = "nguyen van thu"
    every = await _every(api, "/api/v1/cadres", 20, q=query)
    listing = await page.get(f"/c/{CADRE_OWN}/cadres/", params={"q": query, "sort": "code"})
    # then the API pages give all 60 and only them, and the page shows 50 of 60 by code
    assert sorted(c["code"] for c in every if c["code"] in mine + theirs) == mine
    assert "Hiển thị 1–50 trên" in listing.text
    rows = _rows(listing.text)
    assert len(rows) == 50 and mine[0] in rows[0] and "Đảng ủy xã, phường quản lý" in rows[0]
    assert not any(code in listing.text for code in theirs)
    # when the officer downloads the register as filtered
    link = re.search(r'href="(export\.xlsx[^"]*)"', listing.text)
    assert link is not None and "q=nguyen" in link.group(1)
    download = await page.get(f"/c/{CADRE_OWN}/cadres/{link.group(1).replace('&amp;', '&')}")
    title, cells = _sheet(download.content)
    # then the sheet holds every one of the 60 (all pages), under its title block
    assert title == "Cán bộ, đảng viên"
    assert cells[0][0] == "Ủy ban MTTQ Việt Nam Xã Yên Mỹ"
    assert cells[2][0] == "Tên hoặc mã: nguyen van thu"
    codes = [r[1] for r in cells if r and isinstance(r[0], int)]
    assert [c for c in codes if c in mine] == mine and not set(codes) & set(theirs)
    labels = {r[6] for r in cells if r and isinstance(r[0], int)}
    assert labels == {"Đảng ủy xã, phường quản lý"}


async def test_a_page_or_an_order_the_links_never_carry_is_a_clear_400(
    db: object, factory: Factory
) -> None:
    # given a commune officer on the staff lists
    page, _ = await factory.page_client(OWN)
    base = f"/c/{OWN}"
    lists = ["cases/", "cadres/", "recommendations/", "delegations/", "feedback/", "portal/",
             "submissions/"]  # fmt: skip
    # when a list is asked for a page below 1 or not a number
    bad_pages = [
        await page.get(f"{base}/{path}", params={"page": value})
        for path in lists
        for value in ("-1", "0", "x", "²")
    ]
    # and for an order its column headers never offer
    bad_orders = [
        await page.get(f"{base}/{path}", params={"sort": "title"})
        for path in ("cadres/", "recommendations/", "cadres/export.xlsx")
    ]
    # then each is a 400 page saying what is wrong in plain words
    assert [r.status_code for r in bad_pages] == [400] * len(bad_pages)
    assert all("Danh sách không có trang này" in r.text for r in bad_pages)
    assert [r.status_code for r in bad_orders] == [400] * len(bad_orders)
    assert all("không sắp xếp được" in r.text for r in bad_orders[:2])
    # and a page past the end, or a listed order, is an answer, not an error
    past = await page.get(f"{base}/cadres/", params={"page": "999", "sort": "-code"})
    assert past.status_code == 200 and "Không có mục nào." in past.text
