"""Rebuild the 2025 registers and their successor tables from ``vietnamadminunits`` 1.0.4.

A maintainer's tool, never run by the application: ``pip download vietnamadminunits==1.0.4
--no-deps``, unzip the wheel, then ``python tenants/register/sources/extract_vietnamadminunits.py
UNZIPPED_DIR``. It reads the package's ``data/dataset.db`` (tables ``admin_units_legacy``: the
register of 1 January 2025, and ``admin_units``: the register of 1 July 2025) and
``data/converter_2025.json`` (the official conversion between them), plus our 2023 register, and
writes the CSV files beside ``tenants/register/README.md``. Every output row says how it was
derived (the ``derived_from`` column).
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
COLUMNS = [
    "province_code", "province_name", "province_type", "district_code", "district_name",
    "district_type", "commune_code", "commune_name", "commune_type",
]  # fmt: skip
SUCCESSOR_COLUMNS = [
    "level", "from_code", "from_name", "to_code", "to_name", "default", "derived_from",
]  # fmt: skip


def key(name: str) -> str:
    """The package's key: lower case, no diacritics, letters and digits only."""
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d")).lower()
    return "".join(c for c in text if c.isascii() and c.isalnum())


def province_type(name: str) -> str:
    return "thành phố trung ương" if name.startswith("Thành phố") else "tỉnh"


def lower_type(value: str | None) -> str:
    return (value or "").lower()


def write(name: str, columns: list[str], rows: list[list[str]]) -> None:
    with (HERE / name).open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(columns)
        out.writerows(rows)
    print(f"{name}: {len(rows)} rows")


def main(package_dir: Path) -> None:
    db = sqlite3.connect(package_dir / "vietnamadminunits" / "data" / "dataset.db")
    db.row_factory = sqlite3.Row
    legacy = [dict(r) for r in db.execute("SELECT * FROM admin_units_legacy")]
    current = [dict(r) for r in db.execute("SELECT * FROM admin_units")]
    converter = json.loads(
        (package_dir / "vietnamadminunits" / "data" / "converter_2025.json").read_text("utf-8")
    )
    legacy.sort(key=lambda r: (r["provinceCode"], r["districtCode"], r["wardCode"] or ""))
    current.sort(key=lambda r: (r["provinceCode"], r["wardCode"]))
    write("vn-admin-units-2025-01.csv", COLUMNS, [
        [r["provinceCode"], r["province"], province_type(r["province"]), r["districtCode"],
         r["district"], lower_type(r["districtType"]), r["wardCode"] or "", r["ward"] or "",
         lower_type(r["wardType"])]
        for r in legacy
    ])  # fmt: skip
    write("vn-admin-units-2025-07.csv", COLUMNS, [
        [r["provinceCode"], r["province"], province_type(r["province"]), "", "", "",
         r["wardCode"], r["ward"], lower_type(r["wardType"])]
        for r in current
    ])  # fmt: skip
    write("successors-2025-01-to-2025-07.csv", SUCCESSOR_COLUMNS, conversion(legacy, current, converter))
    register_2023 = list(csv.DictReader((HERE / "vn-admin-units-2023.csv").open(encoding="utf-8")))
    write("successors-2023-to-2025-01.csv", SUCCESSOR_COLUMNS, former_names(register_2023, legacy))


def conversion(legacy: list[dict], current: list[dict], converter: dict) -> list[list[str]]:
    new_province = {r["provinceKey"]: r for r in current}
    new_ward = {(r["provinceKey"], r["wardKey"]): r for r in current}
    old_by_key = {f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}": r for r in legacy}
    old_province = {r["provinceKey"]: r for r in legacy}
    rows: list[list[str]] = []
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        to = new_province[new_key]
        for old_key in old_keys:
            was = old_province[old_key]
            rows.append(["province", was["provinceCode"], was["province"], to["provinceCode"],
                         to["province"], "1", "converter_2025.json DICT_PROVINCE"])  # fmt: skip
    for province_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            to = new_ward[(province_key, ward_key)]
            for old_key in old_keys:
                was = old_by_key[old_key]
                if not was["wardCode"]:  # a district without communes (Hoàng Sa, Bạch Long Vĩ…)
                    rows.append(["district", was["districtCode"], was["district"], to["wardCode"],
                                 to["ward"], "1", "converter_2025.json DICT_PROVINCE_WARD_NO_DIVIDED "
                                 "(a district without communes)"])  # fmt: skip
                    continue
                rows.append(["commune", was["wardCode"], was["ward"], to["wardCode"], to["ward"],
                             "1", "converter_2025.json DICT_PROVINCE_WARD_NO_DIVIDED (whole)"])  # fmt: skip
    for province_key, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in olds.items():
            was = old_by_key[old_key]
            for part in parts:
                to = new_ward[(province_key, part["newWardKey"])]
                rows.append(["commune", was["wardCode"], was["ward"], to["wardCode"], to["ward"],
                             "1" if part["isDefaultNewWard"] else "0",
                             "converter_2025.json DICT_PROVINCE_WARD_DIVIDED (divided)"])  # fmt: skip
    rows.sort(key=lambda r: (["province", "district", "commune"].index(r[0]), r[1], r[5] != "1", r[3]))
    return rows


def former_names(register_2023: list[dict], legacy: list[dict]) -> list[list[str]]:
    """Each 2023 commune missing from 2025-01 → the 2025-01 commune whose keywords hold its name."""
    codes_2025 = {r["wardCode"] for r in legacy if r["wardCode"]}
    by_keyword: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in legacy:
        if r["wardCode"]:
            for word in json.loads(r["wardKeywords"] or "[]"):
                by_keyword[(r["provinceCode"], word)].append(r)
    rows: list[list[str]] = []
    district_codes_2025 = {r["districtCode"] for r in legacy}
    district_successors: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for old in register_2023:
        if not old["commune_code"]:
            continue
        if old["commune_code"] in codes_2025:
            new = next(r for r in legacy if r["wardCode"] == old["commune_code"])
            district_successors[old["district_code"]][new["districtCode"]] += 1
            continue
        found = by_keyword.get((old["province_code"], key(old["commune_name"])), [])
        found = list({r["wardCode"]: r for r in found}.values())
        how = "former name in 2025-01 keywords, unique in the province"
        if len(found) > 1:
            found = [r for r in found if r["districtCode"] == old["district_code"]]
            how = "former name in 2025-01 keywords, several in the province; same district"
        if len(found) != 1:
            rows.append(["commune", old["commune_code"], old["commune_name"], "", "", "1",
                         "no match in 2025-01 keywords: an administrator names the successor"])  # fmt: skip
            continue
        new = found[0]
        district_successors[old["district_code"]][new["districtCode"]] += 1
        rows.append(["commune", old["commune_code"], old["commune_name"], new["wardCode"],
                     new["ward"], "1", how])  # fmt: skip
    names = {r["districtCode"]: r["district"] for r in legacy}
    old_names = {r["district_code"]: r["district_name"] for r in register_2023}
    for district, targets in sorted(district_successors.items()):
        if district in district_codes_2025 or not targets:
            continue
        to = max(targets, key=lambda code: targets[code])
        rows.append(["district", district, old_names[district], to, names[to], "1",
                     "the 2025-01 district that holds most of its communes"])  # fmt: skip
    rows.sort(key=lambda r: (r[0] != "district", r[1]))
    return rows


if __name__ == "__main__":
    main(Path(sys.argv[1]))
