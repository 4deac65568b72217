"""Journey 4 (2022 history, 2023 tree): a residence survey at Phường Trúc Bạch about a party
member who works at a district office stays at the member's commune. It is a finding on the
member's residence record, it appears in the member's year-end comment and in the commune's
list, and it opens no case anywhere: the district and the city see no case, and a sibling
commune and the district see no record."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
from pathlib import Path

import httpx
import time_machine
from openpyxl import load_workbook

from giamsat.cases.tables import Case
from giamsat.channels import ChannelRegistry
from giamsat.db.scope import system_scope
from giamsat.signals.tables import Signal
from tests.factories import Factory, csrf
from tests.integration.residence.conftest import (
    COMMUNE,
    DISTRICT,
    SIBLING,
    docx_text,
    prepared,
)

SURVEYED = dt.datetime(2022, 5, 9, 2, 0, tzinfo=dt.UTC)  # 09:00 in Hà Nội
YEAR_END = dt.datetime(2022, 12, 15, 2, 0, tzinfo=dt.UTC)
WORKPLACE = "Văn phòng Quận ủy Ba Đình"
WORKPLACE_ORG = "Chi bộ Văn phòng Quận ủy Ba Đình"


async def _register_member(staff: httpx.AsyncClient, code: str, name: str) -> None:
    made = await staff.post(
        f"/c/{COMMUNE}/cadres/new",
        data={
            "_csrf_token": csrf(staff),
            "code": code,
            "full_name": name,
            "position": "Chuyên viên",
            "position_kind": "party_member",
            "workplace": WORKPLACE,
            "residence_commune": COMMUNE,
            "managing_level": "district",
            "managing_committee": DISTRICT,
            "party_member": "on",
        },
    )
    assert made.status_code in (302, 303), made.text


async def _survey(staff: httpx.AsyncClient, code: str) -> None:
    form = await staff.get(f"/c/{COMMUNE}/intake/residence/survey")
    assert form.status_code == 200, form.text
    key = re.search(r'name="idempotency_key" value="(\d+)"', form.text)
    assert key is not None
    sent = await staff.post(
        f"/c/{COMMUNE}/intake/residence/survey",
        data={
            "_csrf_token": csrf(staff),
            "idempotency_key": key.group(1),
            "residential_group": "TDP 5",
            "cadre": code,
            "surveyed_on": "09/05/2022",
            "nct1": "tot",
            "nct3": "chua_tot",
            "comment": "Không dự họp chi bộ nơi cư trú",
        },
    )
    assert sent.status_code == 201, sent.text


async def _cases_named(client: httpx.AsyncClient, name: str) -> list[object]:
    listed = await client.get("/api/v1/cases", params={"limit": 500})
    assert listed.status_code == 200, listed.text
    return [c for c in listed.json() if name in str(c)]


async def test_a_residence_shortfall_stays_at_the_members_commune(
    factory: Factory, registry: ChannelRegistry, tmp_path: Path
) -> None:
    await prepared(tmp_path, registry)
    code, name = f"DV{uuid.uuid4().hex[:8].upper()}", "Lê Thị Cư Trú"
    staff, _ = await factory.page_client(COMMUNE)
    api, _ = await factory.api_client(COMMUNE)
    with time_machine.travel(SURVEYED, tick=False):
        # given a party member living in Trúc Bạch who works at the district Party office
        await _register_member(staff, code, name)
        # when the Front work committee's survey rates the member short on duty 3
        await _survey(staff, code)
        # then the commune's records list the member with that duty, this year by default
        listed = (await api.get("/api/v1/residence/records")).json()
    [mine] = [r for r in listed["records"] if r["cadre_code"] == code]
    assert (listed["year"], mine["short_duties"], mine["findings"]) == (2022, ["NCT3"], 1)
    member = mine["cadre_id"]
    # and the survey is decided under the pack, into no case
    async with system_scope():
        signal = await Signal.select().where(Signal.cadre == member).first()
        cases = await Case.count().where(Case.cadre == member)
    assert signal is not None and (signal["status"], signal["case_id"]) == ("evaluated", None)
    assert cases == 0
    # and the record holds the finding, with its source and date
    record = (await api.get(f"/api/v1/residence/records/{member}", params={"year": 2022})).json()
    [finding] = record["findings"]
    assert (finding["indicator"], finding["found_on"]) == ("NCT3", "2022-05-09")
    assert finding["source"] == "Phiếu khảo sát – Ban công tác Mặt trận TDP 5"
    assert [d["code"] for d in record["duties"]] == [f"NCT{i}" for i in range(1, 8)]
    page = await staff.get(f"/c/{COMMUNE}/residence/members/{member}?year=2022")
    assert page.status_code == 200 and name in page.text and "09/05/2022" in page.text
    assert "Phiếu khảo sát – Ban công tác Mặt trận TDP 5" in page.text

    # and the district and the city, which manage and oversee the member, see no case
    for above in (DISTRICT, "01"):
        client, _ = await factory.api_client(above)
        assert await _cases_named(client, name) == []
    # and a sibling commune and the district see no record: as if it did not exist
    for other in (SIBLING, DISTRICT):
        client, _ = await factory.api_client(other)
        theirs = await client.get(f"/api/v1/residence/records/{member}", params={"year": 2022})
        nowhere = await client.get("/api/v1/residence/records/2000000000", params={"year": 2022})
        assert theirs.status_code == 404 and theirs.json() == nowhere.json()
        assert code not in (await client.get("/api/v1/residence/records?year=2022")).text
        comment = await client.get(f"/api/v1/residence/records/{member}/comment?year=2022")
        assert comment.status_code == 404
    sibling_page, _ = await factory.page_client(SIBLING)
    assert (await sibling_page.get(f"/c/{SIBLING}/residence/members/{member}")).status_code == 404
    assert (await sibling_page.get(f"/c/{COMMUNE}/residence/")).status_code == 403

    with time_machine.travel(YEAR_END, tick=False):
        # when, at the year's end, the commune's staff give their assessment on the page
        kept = await staff.post(
            f"/c/{COMMUNE}/residence/members/{member}?year=2022",
            data={
                "_csrf_token": csrf(staff),
                "duty-NCT1": "met",
                "duty-NCT3": "short",
                "result": "hoan_thanh",
                "residence_party_cell": "Chi bộ Tổ dân phố số 5",
                "workplace_party_org": WORKPLACE_ORG,
                "comment": "Cần tham gia đầy đủ sinh hoạt.",
            },
        )
        assert kept.status_code in (302, 303), kept.text
        shown = await staff.get(kept.headers["location"])
        # and download the member's year-end comment and the commune's list
        word = await api.get(f"/api/v1/residence/records/{member}/comment", params={"year": 2022})
        listing = await staff.get(f"/c/{COMMUNE}/residence/list?format=docx&year=2022")
        sheet = await api.get("/api/v1/residence/list/xlsx", params={"year": 2022})
    assert "Hoàn thành nhiệm vụ" in shown.text and WORKPLACE_ORG in shown.text
    # then the comment is the administrative document for the workplace party organisation
    assert word.status_code == 200 and "attachment" in word.headers["content-disposition"]
    text = docx_text(word.content)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHIẾU NHẬN XÉT",
        "ngày 15 tháng 12 năm 2022",
        f"Kính gửi: {WORKPLACE_ORG}",
        f"Họ và tên: {name}",
        f"Nơi công tác: {WORKPLACE}",
        "Chi bộ nơi cư trú: Chi bộ Tổ dân phố số 5",
        "Phường Trúc Bạch",
        "Tham gia đầy đủ, nghiêm túc các cuộc họp định kỳ",
        "Chưa thực hiện tốt",
        "09/5/2022",
        "Phiếu khảo sát – Ban công tác Mặt trận TDP 5",
        "Kết quả: Hoàn thành nhiệm vụ",
        "Nơi nhận:",
        "TM. BAN THƯỜNG TRỰC",
    ):
        assert expected in text, expected
    assert "NCT3" in text and "hoan_thanh" not in text and "short" not in text
    # and the commune's list carries the member, as Word and as a sheet named in Vietnamese
    assert listing.status_code == 200
    assert name in docx_text(listing.content) and WORKPLACE_ORG in docx_text(listing.content)
    book = load_workbook(io.BytesIO(sheet.content))
    assert book.sheetnames == ["Nhận xét 2022"]
    rows = [
        [str(c) for c in row if c is not None] for row in book.active.iter_rows(values_only=True)
    ]
    assert "Phường Trúc Bạch" in rows[0][0] and "2022" in rows[0][0]
    assert [name, WORKPLACE, WORKPLACE_ORG, "NCT3", "1", "Hoàn thành nhiệm vụ"] in [
        r[1:] for r in rows
    ]

    # and a user working in English gets the same comment with English headings
    await api.get("/language", params={"to": "en"})
    english = await api.get(f"/api/v1/residence/records/{member}/comment", params={"year": 2022})
    words = docx_text(english.content)
    assert "SOCIALIST REPUBLIC OF VIETNAM" in words and "COMMENT" in words
    assert f"Full name: {name}" in words and "PHIẾU NHẬN XÉT" not in words
