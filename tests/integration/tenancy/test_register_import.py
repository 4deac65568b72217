"""The committee tree from the official register."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from giamsat.errors import Conflict, InvalidInput, NotFound
from giamsat.tenancy.levels import Level
from giamsat.tenancy.register import RegisterRowError, read_register
from giamsat.tenancy.repository import CommitteeRepository
from giamsat.tenancy.schemas import SuccessionRequest
from giamsat.tenancy.service import create_committee, import_units, record_succession
from giamsat.tenancy.tables import Committee
from tests.conftest import REGISTER

HN = "01,Thành phố Hà Nội,thành phố trung ương"
HEADER = (
    "province_code,province_name,province_type,district_code,district_name,district_type,"
    "commune_code,commune_name,commune_type\n"
)


async def test_hanoi_tree_has_the_2022_shape(db):
    # given the Hà Nội register imported by the session fixture
    repo = CommitteeRepository()
    # when we count, by level, the committees of the register under Hà Nội (other tests add
    # committees created by merges, which the register does not know)
    units = {u.code: u.level.value for u in read_register(REGISTER, "01")}
    rows = await Committee.select(Committee.code, Committee.level).where(
        Committee.code.is_in(list(units))
    )
    city = await repo.by_code("01")
    districts = sum(1 for r in rows if r["level"] == "district")
    communes = sum(1 for r in rows if r["level"] == "commune")
    # then 1 city, 30 districts, 579 communes, each at its register level, with official codes
    assert city is not None and city.name == "Thành phố Hà Nội" and city.level == "province"
    assert (districts, communes) == (30, 579)
    assert {r["code"]: r["level"] for r in rows} == units
    ba_dinh = await repo.by_code("001")
    assert ba_dinh is not None and ba_dinh.parent_code == "01" and ba_dinh.children == 14
    phuc_xa = await repo.by_code("00001")
    assert (
        phuc_xa is not None and phuc_xa.path == "/01/001/00001/" and phuc_xa.unit_type == "phường"
    )


async def test_reimport_is_idempotent(db):
    # given the tree already imported
    before = await Committee.count()
    # when the same register is imported again
    report = await import_units(read_register(REGISTER, "01"), with_central=False)
    # then nothing is created or changed
    assert (report.created, report.updated, report.unchanged) == (0, 0, 610)
    assert await Committee.count() == before


async def test_search_ignores_diacritics(db):
    # when searching without diacritics
    found = await CommitteeRepository().search("hoan kiem")
    # then the district Hoàn Kiếm is found
    assert "Quận Hoàn Kiếm" in [f.name for f in found]
    # and a search inside another subtree does not find it
    assert await CommitteeRepository().search("hoan kiem", within="/01/001/") == []


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        (
            HN + ",001,Quận Ba Đình,quận,1,Phường X,phường\n",
            2,
            "commune code",
        ),
        (
            HN + ",001,Quận Ba Đình,quận\n",
            2,
            "expected 9 columns",
        ),
        (HN + ",001,,quận,,,\n", 2, "needs a name"),
        (
            HN
            + ",001,Quận Ba Đình,quận,00001,Phường Phúc Xá,phường\n"
            + HN
            + ",001,Quận Ba Đình,quận,00001,Phường Phúc Xá,phường\n",
            3,
            "repeats line 2",
        ),
    ],
)
def test_malformed_register_rows_name_their_line(
    tmp_path: Path, body: str, line: int, fragment: str
):
    # given a register with one bad row
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    # when it is read, then the error names the line and the problem
    with pytest.raises(RegisterRowError) as info:
        read_register(path)
    assert info.value.line == line and fragment in info.value.message


def test_wrong_header_is_refused(tmp_path: Path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b,c\n", encoding="utf-8")
    with pytest.raises(RegisterRowError, match="header"):
        read_register(path)


async def test_merge_keeps_history_and_names_the_successor(db):
    # given two communes and a new committee created for the merged unit
    new = await create_committee("90001", "Xã Hợp Nhất", "xã", "250", Level.COMMUNE)
    # when they are merged into it from 2025-01-01
    ended = await record_succession(
        SuccessionRequest(
            kind="merge",
            predecessors=["08974", "08977"],
            successors=["90001"],
            effective_on=date(2025, 1, 1),
        )
    )
    # then both still exist, ended, pointing at the successor; nothing was deleted
    assert {e.code: e.successor_code for e in ended} == {"08974": "90001", "08977": "90001"}
    assert new.path == "/01/250/90001/"
    # and merging an ended committee again is refused
    with pytest.raises(Conflict):
        await record_succession(
            SuccessionRequest(
                kind="merge",
                predecessors=["08974"],
                successors=["90001"],
                effective_on=date(2025, 2, 1),
            )
        )


async def test_bad_successions_are_refused(db):
    with pytest.raises(NotFound):
        await record_succession(
            SuccessionRequest(
                kind="split",
                predecessors=["99999"],
                successors=["00001", "00004"],
                effective_on=date(2025, 1, 1),
            )
        )
    with pytest.raises(InvalidInput):
        await record_succession(
            SuccessionRequest(
                kind="split",
                predecessors=["00001"],
                successors=["00004"],
                effective_on=date(2025, 1, 1),
            )
        )
