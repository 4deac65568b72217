"""A city's staff read every problem of a pack at once, in Vietnamese first, at its line;
no date they can type crashes the check; a pack copied from last year and not fully edited
is flagged without being refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from giamsat.cli.rules import group
from giamsat.rulepacks import pack_warnings, validate_pack

ROOT = Path(__file__).resolve().parents[3]
PACK_2022 = ROOT / "rules" / "2022-ha-noi"
MALFORMED = sorted(p for p in (Path(__file__).parent / "malformed").iterdir() if p.is_dir())


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(PACK_2022, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_impossible_date_is_an_error_at_its_line_not_a_crash(tmp_path: Path) -> None:
    # given a reporting deadline with month 20
    pack = _copy(tmp_path)
    _edit(pack / "rules.yaml", "deadline: 2022-11-25", "deadline: 2022-20-11")
    # when validated through the CLI
    result = CliRunner().invoke(group, ["validate", str(pack)])
    # then it is refused at the deadline's line, in Vietnamese, without a traceback
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    line = _line_of(pack / "rules.yaml", "deadline: 2022-20-11")
    assert f"rules.yaml:{line}: reporting: '2022-20-11' không phải là một ngày có thật" in (
        result.output
    )
    assert "không có tháng 20" in result.output
    assert "Traceback" not in result.output


def test_day_month_year_date_is_explained_with_the_form_to_write(tmp_path: Path) -> None:
    # given a date written the way Vietnamese documents write it
    pack = _copy(tmp_path)
    _edit(pack / "rules.yaml", "deadline: 2022-11-25", "deadline: 25/11/2022")
    # when validated
    errors = validate_pack(pack)
    # then the message names the form to write, in Vietnamese and in English
    (error,) = errors
    assert (
        error.text("vi") == "ngày phải viết dạng 2022-11-25 (năm-tháng-ngày), không phải 25/11/2022"
    )
    assert "2022-11-25 (year-month-day)" in error.text("en")
    assert error.rule_id == "reporting"


def test_every_problem_of_one_item_is_reported_at_once(tmp_path: Path) -> None:
    # given a plan with three problems in the same section
    pack = _copy(tmp_path)
    _edit(pack / "pack.yaml", "  year: 2022", '  year: "hai nghìn"\n  owner: ai')
    _edit(pack / "pack.yaml", "effective_from: 2022-01-01", "effective_from: 2022-13-01")
    # when validated
    errors = validate_pack(pack)
    # then all three are listed, each at its own line
    messages = {(e.line, e.text("vi")) for e in errors}
    year = _line_of(pack / "pack.yaml", 'year: "hai nghìn"')
    owner = _line_of(pack / "pack.yaml", "owner: ai")
    start = _line_of(pack / "pack.yaml", "effective_from: 2022-13-01")
    assert (year, "phải là một số nguyên, ở đây là một đoạn chữ") in messages
    assert any(line == owner and "'owner'" in text for line, text in messages)
    assert any(line == start and "không có tháng 13" in text for line, text in messages)


@pytest.mark.parametrize("fixture", MALFORMED, ids=lambda p: p.name)
def test_every_malformed_pack_is_explained_in_vietnamese(fixture: Path) -> None:
    # given a malformed pack / when validated
    errors = validate_pack(fixture)
    # then every problem has a Vietnamese message of its own
    assert errors
    for error in errors:
        assert error.message_vi, error.render("en")
        assert error.message_vi != error.message


def test_pack_copied_from_last_year_is_warned_not_refused(tmp_path: Path) -> None:
    # given the 2022 pack relabelled 2024, its deadline and examples left in 2022
    pack = _copy(tmp_path)
    for old, new in (
        ("  year: 2022", "  year: 2024"),
        ("effective_from: 2022-01-01", "effective_from: 2024-01-01"),
        ("effective_to: 2022-12-31", "effective_to: 2024-12-31"),
    ):
        _edit(pack / "pack.yaml", old, new)
    # when validated
    errors = validate_pack(pack)
    warnings = pack_warnings(pack)
    # then it may be published, but the deadline and the examples are named as stale
    assert errors == []
    assert all(w.warning for w in warnings)
    texts = [w.text("vi") for w in warnings]
    assert "hạn báo cáo 25/11/2022 không thuộc năm của kế hoạch (2024)" in texts
    stale = [w for w in warnings if w.file.endswith("examples.yaml")]
    assert len(stale) == 1 and "ví dụ ghi ngày của năm 2022" in stale[0].text("vi")
    result = CliRunner().invoke(group, ["validate", str(pack)])
    assert result.exit_code == 0
    assert "cảnh báo:" in result.output


@pytest.mark.parametrize("name", ["2022-ha-noi", "2023-ha-noi"])
def test_shipped_packs_have_no_warnings(name: str) -> None:
    # given a shipped pack / when checked for leftovers / then there are none
    assert pack_warnings(ROOT / "rules" / name) == []


def test_a_control_character_is_a_located_error_not_a_crash(tmp_path: Path) -> None:
    # given a pack whose plan name holds a C1 control character (pasted from a document)
    pack = _copy(tmp_path)
    _edit(pack / "pack.yaml", "  year: 2022", "  year: 2022\n  # note \x9c")
    # when validated / then it is refused as a YAML problem with a Vietnamese message
    (error,) = validate_pack(pack)
    assert error.file.endswith("pack.yaml") and "ký tự lạ" in error.text("vi")
