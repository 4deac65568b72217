"""Journey 4: a residence survey at a ward about a party member who works at an office of a
higher level stays at the member's ward. It is a finding on the member's residence record, it
appears in the member's year-end comment and in the ward's list, and it opens no case anywhere:
the levels above see no case, and a sibling ward (and, in 2026, another province) see no record.

Run in the 2022 history (the 2023 tree: Phường Trúc Bạch, a member working at the district
Party office of Quận Ba Đình) and in the 2026 tree (Phường Ba Đình, code 00004 since 1 July
2025, a member working at a department of the city)."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
from pathlib import Path

import httpx
import msgspec
import time_machine
from openpyxl import load_workbook

from giamsat.cases.tables import Case
from giamsat.channels import ChannelRegistry
from giamsat.db.scope import system_scope
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import context_for_committee
from tests.conftest import Database
from tests.factories import Factory, csrf
from tests.integration.intake.conftest import enable
from tests.integration.residence.conftest import COMMUNE, DISTRICT, SIBLING, docx_text, prepared
from tests.tree2026 import CITY, OTHER_COMMUNE, WARD
from tests.tree2026 import SIBLING as SIBLING_2026


class Story(msgspec.Struct, frozen=True, kw_only=True):
    """One tree's version of the journey."""

    ward: str
    ward_name: str
    managing_level: str
    managing_committee: str
    workplace: str
    workplace_org: str
    above: tuple[str, ...]  #: committees that manage or oversee the member: no case there
    others: tuple[str, ...]  #: committees beside it: no record there
    surveyed: dt.datetime
    year_end: dt.datetime

    @property
    def year(self) -> int:
        return self.surveyed.year

    def day(self, value: dt.datetime) -> dt.date:
        return (value + dt.timedelta(hours=7)).date()


HISTORY = Story(
    ward=COMMUNE, ward_name="Phường Trúc Bạch", managing_level="district",
    managing_committee=DISTRICT, workplace="Văn phòng Quận ủy Ba Đình",
    workplace_org="Chi bộ Văn phòng Quận ủy Ba Đình", above=(DISTRICT, "01"),
    others=(SIBLING, DISTRICT), surveyed=dt.datetime(2022, 5, 9, 2, 0, tzinfo=dt.UTC),
    year_end=dt.datetime(2022, 12, 15, 2, 0, tzinfo=dt.UTC),
)  # fmt: skip
TODAY = Story(
    ward=WARD, ward_name="Phường Ba Đình", managing_level="province",
    managing_committee=CITY, workplace="Sở Nội vụ thành phố Hà Nội",
    workplace_org="Đảng bộ Sở Nội vụ thành phố Hà Nội", above=(CITY,),
    others=(SIBLING_2026, OTHER_COMMUNE), surveyed=dt.datetime(2026, 5, 11, 2, 0, tzinfo=dt.UTC),
    year_end=dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC),
)  # fmt: skip


async def _register_member(staff: httpx.AsyncClient, story: Story, code: str, name: str) -> None:
    made = await staff.post(f"/c/{story.ward}/cadres/new", data={
        "_csrf_token": csrf(staff), "code": code, "full_name": name, "position": "Chuyên viên",
        "position_kind": "party_member", "workplace": story.workplace,
        "residence_commune": story.ward, "managing_level": story.managing_level,
        "managing_committee": story.managing_committee, "party_member": "on",
    })  # fmt: skip
    assert made.status_code in (302, 303), made.text


async def _survey(staff: httpx.AsyncClient, story: Story, code: str) -> None:
    form = await staff.get(f"/c/{story.ward}/intake/residence/survey")
    assert form.status_code == 200, form.text
    key = re.search(r'name="idempotency_key" value="(\d+)"', form.text)
    assert key is not None
    sent = await staff.post(f"/c/{story.ward}/intake/residence/survey", data={
        "_csrf_token": csrf(staff), "idempotency_key": key.group(1),
        "residential_group": "TDP 5", "cadre": code,
        "surveyed_on": story.day(story.surveyed).strftime("%d/%m/%Y"),
        "nct1": "tot", "nct3": "chua_tot", "comment": "Không dự họp chi bộ nơi cư trú",
    })  # fmt: skip
    assert sent.status_code == 201, sent.text


async def _cases_named(client: httpx.AsyncClient, name: str) -> list[object]:
    listed = await client.get("/api/v1/cases", params={"limit": 500})
    assert listed.status_code == 200, listed.text
    return [c for c in listed.json() if name in str(c)]


async def _nothing_elsewhere(factory: Factory, story: Story, member: int, code: str) -> None:
    """No case above the ward; no record beside it (404 as for an id that exists nowhere)."""
    name = "Lê Thị Cư Trú"
    for above in story.above:
        client, _ = await factory.api_client(above)
        assert await _cases_named(client, name) == [], above
    year = {"year": story.year}
    for other in story.others:
        client, _ = await factory.api_client(other)
        theirs = await client.get(f"/api/v1/residence/records/{member}", params=year)
        nowhere = await client.get("/api/v1/residence/records/2000000000", params=year)
        assert theirs.status_code == 404 and theirs.json() == nowhere.json(), other
        assert code not in (await client.get("/api/v1/residence/records", params=year)).text
        comment = await client.get(f"/api/v1/residence/records/{member}/comment", params=year)
        assert comment.status_code == 404
    page, _ = await factory.page_client(story.others[0])
    assert (await page.get(f"/c/{story.others[0]}/residence/members/{member}")).status_code == 404
    assert (await page.get(f"/c/{story.ward}/residence/")).status_code == 403


async def _journey(factory: Factory, story: Story) -> None:
    code, name = f"DV{uuid.uuid4().hex[:8].upper()}", "Lê Thị Cư Trú"
    staff, _ = await factory.page_client(story.ward)
    api, _ = await factory.api_client(story.ward)
    with time_machine.travel(story.surveyed, tick=False):
        # given a party member living in the ward who works at an office of a higher level
        await _register_member(staff, story, code, name)
        # when the Front work committee's survey rates the member short on duty 3
        await _survey(staff, story, code)
        # then the ward's records list the member with that duty, this year by default
        listed = (await api.get("/api/v1/residence/records")).json()
    [mine] = [r for r in listed["records"] if r["cadre_code"] == code]
    assert (listed["year"], mine["short_duties"], mine["findings"]) == (story.year, ["NCT3"], 1)
    member = mine["cadre_id"]
    # and the survey is decided under the pack, into no case
    async with system_scope():
        signal = await Signal.select().where(Signal.cadre == member).first()
        cases = await Case.count().where(Case.cadre == member)
    assert signal is not None and (signal["status"], signal["case_id"]) == ("evaluated", None)
    assert signal["pack_version"] and cases == 0
    # and the record holds the finding, with its source and date
    year = {"year": story.year}
    record = (await api.get(f"/api/v1/residence/records/{member}", params=year)).json()
    [finding] = record["findings"]
    surveyed = story.day(story.surveyed)
    assert (finding["indicator"], finding["found_on"]) == ("NCT3", surveyed.isoformat())
    assert finding["source"] == "Phiếu khảo sát – Ban công tác Mặt trận TDP 5"
    assert [d["code"] for d in record["duties"]] == [f"NCT{i}" for i in range(1, 8)]
    page = await staff.get(f"/c/{story.ward}/residence/members/{member}", params=year)
    assert page.status_code == 200 and name in page.text
    assert surveyed.strftime("%d/%m/%Y") in page.text
    assert "Phiếu khảo sát – Ban công tác Mặt trận TDP 5" in page.text
    # and no committee above sees a case, and none beside sees the record
    await _nothing_elsewhere(factory, story, member, code)

    with time_machine.travel(story.year_end, tick=False):
        # when, at the year's end, the ward's staff give their assessment on the page
        kept = await staff.post(
            f"/c/{story.ward}/residence/members/{member}",
            params=year,
            data={"_csrf_token": csrf(staff), "duty-NCT1": "met", "duty-NCT3": "short",
                  "result": "hoan_thanh", "residence_party_cell": "Chi bộ Tổ dân phố số 5",
                  "workplace_party_org": story.workplace_org,
                  "comment": "Cần tham gia đầy đủ sinh hoạt."},
        )  # fmt: skip
        assert kept.status_code in (302, 303), kept.text
        shown = await staff.get(kept.headers["location"])
        # and download the member's year-end comment and the ward's list
        word = await api.get(f"/api/v1/residence/records/{member}/comment", params=year)
        listing = await staff.get(
            f"/c/{story.ward}/residence/list", params={"format": "docx"} | year
        )
        sheet = await api.get("/api/v1/residence/list/xlsx", params=year)
    assert "Hoàn thành nhiệm vụ" in shown.text and story.workplace_org in shown.text
    # then the comment is the administrative document for the workplace party organisation
    assert word.status_code == 200 and "attachment" in word.headers["content-disposition"]
    text = docx_text(word.content)
    issued = story.day(story.year_end)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "PHIẾU NHẬN XÉT",
        f"Hà Nội, ngày {issued.day:02d} tháng {issued.month} năm {story.year}",
        f"Kính gửi: {story.workplace_org}", f"Họ và tên: {name}",
        f"Nơi công tác: {story.workplace}", "Chi bộ nơi cư trú: Chi bộ Tổ dân phố số 5",
        story.ward_name.upper(), "Tham gia đầy đủ, nghiêm túc các cuộc họp định kỳ",
        "Chưa thực hiện tốt", f"{surveyed.day:02d}/{surveyed.month}/{story.year}",
        "Phiếu khảo sát – Ban công tác Mặt trận TDP 5", "Kết quả: Hoàn thành nhiệm vụ",
        "Nơi nhận:", "TM. BAN THƯỜNG TRỰC",
    ):  # fmt: skip
        assert expected in text, expected
    assert "NCT3" in text and "hoan_thanh" not in text and "short" not in text
    # and the ward's list carries the member, as Word and as a sheet named in Vietnamese
    assert listing.status_code == 200
    assert name in docx_text(listing.content) and story.workplace_org in docx_text(listing.content)
    book = load_workbook(io.BytesIO(sheet.content))
    assert book.sheetnames == [f"Nhận xét {story.year}"]
    rows = [[str(c) for c in r if c is not None] for r in book.active.iter_rows(values_only=True)]
    assert story.ward_name in rows[0][0] and str(story.year) in rows[0][0]
    wanted = [name, story.workplace, story.workplace_org, "NCT3", "1", "Hoàn thành nhiệm vụ"]
    assert wanted in [r[1:] for r in rows]

    # and a user working in English gets the same comment with English headings
    await api.get("/language", params={"to": "en"})
    english = await api.get(f"/api/v1/residence/records/{member}/comment", params=year)
    words = docx_text(english.content)
    assert "SOCIALIST REPUBLIC OF VIETNAM" in words and "COMMENT" in words
    assert f"Full name: {name}" in words and "PHIẾU NHẬN XÉT" not in words


async def test_in_the_2022_history(
    factory: Factory, registry: ChannelRegistry, tmp_path: Path
) -> None:
    await prepared(tmp_path, registry)
    await _journey(factory, HISTORY)


async def test_in_the_2026_tree(tree2026: Database, registry: ChannelRegistry) -> None:
    tree2026.bind()
    await enable(await context_for_committee(WARD), registry, "residence")  # the ward in force
    await _journey(Factory(tree2026), TODAY)
