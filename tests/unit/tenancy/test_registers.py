"""The shipped registers: the counts of each date, and bad register files refused by line."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from giamsat.tenancy.levels import Level
from giamsat.tenancy.register import REGISTER_FOLDER, REGISTERS, RegisterRowError, read_register
from giamsat.tenancy.reorganisation import SUCCESSOR_TABLES

HEADER = (
    "province_code,province_name,province_type,district_code,district_name,district_type,"
    "commune_code,commune_name,commune_type\n"
)
HN = "01,Thành phố Hà Nội,thành phố trung ương"


def _levels(register_id: str, province: str | None = None) -> Counter[Level]:
    return Counter(u.level for u in read_register(REGISTERS[register_id].path, province))


def test_the_2023_register_is_as_before():
    assert _levels("2023") == {Level.PROVINCE: 63, Level.DISTRICT: 705, Level.COMMUNE: 10598}
    assert _levels("2023", "01") == {Level.PROVINCE: 1, Level.DISTRICT: 30, Level.COMMUNE: 579}


def test_the_register_of_1_january_2025():
    # 10,040 rows: 10,035 communes and 5 districts without communes (Hoàng Sa, Trường Sa…)
    assert _levels("2025-01") == {Level.PROVINCE: 63, Level.DISTRICT: 696, Level.COMMUNE: 10035}
    assert _levels("2025-01", "01") == {Level.PROVINCE: 1, Level.DISTRICT: 30, Level.COMMUNE: 526}


def test_the_two_level_register_of_1_july_2025():
    assert _levels("2025-07") == {Level.PROVINCE: 34, Level.COMMUNE: 3321}
    hanoi = read_register(REGISTERS["2025-07"].path, "01")
    kinds = Counter(u.unit_type for u in hanoi if u.level is Level.COMMUNE)
    assert kinds == {"phường": 51, "xã": 75}
    ba_dinh = next(u for u in hanoi if u.code == "00004")
    assert (ba_dinh.name, ba_dinh.parent_code) == ("Phường Ba Đình", "01")


def test_each_successor_row_says_how_it_was_derived():
    # given the shipped successor tables
    for name in SUCCESSOR_TABLES.values():
        with (REGISTER_FOLDER / name).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        # then every row names its derivation
        assert rows and all(r["derived_from"] for r in rows)
    with (REGISTER_FOLDER / SUCCESSOR_TABLES["2025-01"]).open(encoding="utf-8") as handle:
        merged = [r for r in csv.DictReader(handle) if r["level"] == "commune"]
    how = Counter(r["derived_from"] for r in merged)
    # and 566 merged communes: 499 unique in the province, 63 by district, 4 for an administrator
    assert len(merged) == 566
    assert how["former name in 2025-01 keywords, unique in the province"] == 499
    assert how["former name in 2025-01 keywords, several in the province; same district"] == 63
    assert sum(1 for r in merged if not r["to_code"]) == 4


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        (
            HN + ",,,,00001,Phường Phúc Xá,phường\n" + HN + ",,,,00001,Phường Phúc Xá,phường\n",
            3,
            "commune 00001 repeats line 2 (duplicate code)",
        ),
        (",,,001,Quận Ba Đình,quận,00001,Phường Phúc Xá,phường\n", 2, "00001: missing parent"),
        (HN + ",,,,00001,Phường Phúc Xá,khu phố\n", 2, "commune 00001: unknown unit type"),
    ],
)
def test_bad_register_files_are_refused_naming_line_and_code(
    tmp_path: Path, body: str, line: int, fragment: str
):
    # given a register file with one bad row
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    # when it is read, then nothing is returned and the error names the line and the code
    with pytest.raises(RegisterRowError) as info:
        read_register(path)
    assert info.value.line == line and fragment in info.value.message
