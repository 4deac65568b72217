"""The plan as a workbook: every shipped pack survives export → edit nothing → import with the
same meaning; a workbook edited wrongly is refused as a whole, each problem at its cell."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from giamsat.rulepacks.conditions import parse_condition
from giamsat.rulepacks.loader import read_pack
from giamsat.rulepacks.tables import meaning
from giamsat.rulepacks.workbook import CellError, WorkbookInvalid, export_workbook
from giamsat.rulepacks.workbook_import import read_plan_workbook
from giamsat.rulepacks.writer import pack_files

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = sorted(p for p in (ROOT / "rules").iterdir() if (p / "pack.yaml").is_file())


def _exported(pack_dir: Path) -> bytes:
    loaded = read_pack(pack_dir)
    return export_workbook(loaded.pack, loaded.fields)


def _reimported(data: bytes, tmp_path: Path) -> Path:
    imported = read_plan_workbook(data)
    folder = tmp_path / "imported"
    folder.mkdir()
    for name, text in imported.files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("pack_dir", SHIPPED, ids=lambda p: p.name)
def test_round_trip_of_a_shipped_pack_is_lossless(pack_dir: Path, tmp_path: Path) -> None:
    # given a shipped pack exported as a workbook
    data = _exported(pack_dir)
    # when the workbook is imported unchanged
    before, after = read_pack(pack_dir), read_pack(_reimported(data, tmp_path))
    # then the plan, catalogue, levels, channels, clocks, reporting, the triage reminder and the
    # examples are equal
    old, new = before.pack, after.pack
    assert new.plan == old.plan
    assert new.indicators == old.indicators
    assert new.examples == old.examples
    for part in ("levels", "channels", "clocks", "reporting", "triage_working_days"):
        assert getattr(new.rules, part) == getattr(old.rules, part), part
    # and every rule keeps its name, its outcome and the meaning of its condition
    for section in ("indicator_rules", "routing_rules"):
        olds, news = getattr(old.rules, section), getattr(new.rules, section)
        assert [r.id for r in news] == [r.id for r in olds]
        for o, n in zip(olds, news, strict=True):
            assert (n.title_vi, n.title_en, n.then) == (o.title_vi, o.title_en, o.then)
            assert meaning(parse_condition(n.when, after.fields)) == meaning(
                parse_condition(o.when, before.fields)
            ), o.id


def test_workbook_speaks_words_not_codes() -> None:
    # given the 2022 pack's workbook
    book = load_workbook(io.BytesIO(_exported(ROOT / "rules" / "2022-ha-noi")))
    # then the sheets have Vietnamese names and the rule cells carry words staff use
    assert "Quy tắc biểu hiện" in book.sheetnames and "Phân cấp" in book.sheetnames
    rules = book["Quy tắc biểu hiện"]
    cells = {str(c.value) for row in rules.iter_rows(min_row=3) for c in row if c.value}
    assert "Cao" in cells and "Có" in cells
    assert "Cấp ủy cùng cấp trả lời bằng văn bản" in cells
    assert not {"high", "normal", "true", "answer", "workplace"} & cells
    routing = book["Phân cấp"]
    targets = {str(r[-1].value) for r in routing.iter_rows(min_row=3)}
    assert targets == {"Trung ương", "Thành phố", "Quận, huyện, thị xã", "Xã, phường, thị trấn"}
    assert book["Danh sách chọn"].sheet_state == "hidden"


# -- twenty wrong edits, each refused at its cell ----------------------------------------------

Edit = Callable[[Workbook], None]


def _find(book: Workbook, sheet: str, header: str) -> int:
    return next(c.column for c in book[sheet][2] if c.value == header)


def _row_of(book: Workbook, sheet: str, first_cell: str) -> int:
    return next(r[0].row for r in book[sheet].iter_rows(min_row=3) if r[0].value == first_cell)


def _set(sheet: str, first_cell: str, header: str, value: object) -> Edit:
    def edit(book: Workbook) -> None:
        row = _row_of(book, sheet, first_cell)
        book[sheet].cell(row=row, column=_find(book, sheet, header)).value = value

    return edit


def _plan_value(label: str, value: object) -> Edit:
    def edit(book: Workbook) -> None:
        book["Kế hoạch"].cell(row=_row_of(book, "Kế hoạch", label), column=2).value = value

    return edit


def _rename_header(book: Workbook) -> None:
    book["Thời hạn"].cell(row=2, column=4, value="Ngày")


def _extra_sheet(book: Workbook) -> None:
    book.create_sheet("Ghi chú")


def _missing_sheet(book: Workbook) -> None:
    del book["Ví dụ"]


def _extra_column(book: Workbook) -> None:
    sheet = book["Kênh"]
    sheet.cell(row=2, column=2, value="Ghi chú")


def _clear_conditions(book: Workbook) -> None:
    sheet = "Quy tắc biểu hiện"
    row = _row_of(book, sheet, "asset-declaration")
    for header in ("Biểu hiện (bất kỳ mã nào)",):
        book[sheet].cell(row=row, column=_find(book, sheet, header)).value = None


def _clear_outcome(book: Workbook) -> None:
    sheet = "Quy tắc biểu hiện"
    row = _row_of(book, sheet, "asset-declaration")
    for header in ("Mở vụ việc, mức ưu tiên", "Ghi nhận biểu hiện", "Bắt đầu thời hạn"):
        book[sheet].cell(row=row, column=_find(book, sheet, header)).value = None


def _window_without_count(book: Workbook) -> None:
    sheet = "Quy tắc biểu hiện"
    row = _row_of(book, sheet, "asset-declaration")
    book[sheet].cell(row=row, column=_find(book, sheet, "Trong vòng (ngày)"), value=30)


RULES = "Quy tắc biểu hiện"
CASES: list[tuple[str, Edit, str, str | None, str]] = [
    ("renamed header", _rename_header, "Thời hạn", "D", "tiêu đề cột phải là"),
    ("extra sheet", _extra_sheet, "Ghi chú", None, "không thuộc mẫu kế hoạch"),
    ("missing sheet", _missing_sheet, "Ví dụ", None, "thiếu trang tính"),
    ("extra column", _extra_column, "Kênh", "B", "cột thừa"),
    (
        "month 20",
        _plan_value("Hiệu lực từ ngày", "2022-20-11"),
        "Kế hoạch",
        "B",
        "không có tháng 20",
    ),
    (
        "day/month/year",
        _plan_value("Hiệu lực đến ngày", "31/12/2022"),
        "Kế hoạch",
        "B",
        "ngày phải viết dạng 2022-12-31",
    ),
    (
        "year in words",
        _plan_value("Năm", "hai nghìn"),
        "Kế hoạch",
        "B",
        "không phải là một số nguyên",
    ),
    ("empty plan id", _plan_value("Mã kế hoạch", None), "Kế hoạch", "B", "không được để trống"),
    (
        "unknown priority",
        _set(RULES, "corruption-signal", "Mở vụ việc, mức ưu tiên", "Khẩn"),
        RULES,
        None,
        "không có trong danh sách chọn",
    ),
    (
        "unknown yes/no",
        _set(RULES, "corruption-signal", "Đề xuất lập đoàn giám sát", "Có lẽ"),
        RULES,
        None,
        "không có trong danh sách chọn",
    ),
    (
        "unknown clock",
        _set(RULES, "asset-declaration", "Bắt đầu thời hạn", "Trả lời nhanh"),
        RULES,
        None,
        "thời hạn 'Trả lời nhanh' chưa có",
    ),
    (
        "unknown level",
        _set("Phân cấp", "route-city", "Chuyển đến cấp", "Phường"),
        "Phân cấp",
        None,
        "cấp 'Phường' chưa có",
    ),
    (
        "days in words",
        _set("Thời hạn", "answer", "Số ngày làm việc", "hai mươi"),
        "Thời hạn",
        "D",
        "không phải là một số nguyên",
    ),
    (
        "empty indicator text",
        _set("Danh mục biểu hiện", "DD1", "Nội dung (tiếng Việt)", None),
        "Danh mục biểu hiện",
        "C",
        "không được để trống",
    ),
    ("rule without condition", _clear_conditions, RULES, "A", "chưa có điều kiện nào"),
    ("rule without outcome", _clear_outcome, RULES, "A", "chưa có kết quả nào"),
    ("window without count", _window_without_count, RULES, None, "ít nhất bao nhiêu thông tin"),
    (
        "unknown finding code",
        _set(RULES, "asset-declaration", "Ghi nhận biểu hiện", "DD99"),
        RULES,
        None,
        "mã biểu hiện 'DD99' không có trong danh mục",
    ),
    (
        "unknown code in condition",
        _set(RULES, "asset-declaration", "Biểu hiện (bất kỳ mã nào)", "DD33"),
        RULES,
        None,
        "mã biểu hiện 'DD33' không có trong gói quy tắc",
    ),
    (
        "broken other condition",
        _set(RULES, "asset-declaration", "Điều kiện khác", "subject.party_card == true"),
        RULES,
        None,
        "điều kiện dùng trường 'subject.party_card'",
    ),
    (
        "failing example",
        _set(RULES, "corruption-signal", "Mở vụ việc, mức ưu tiên", "Thấp"),
        "Ví dụ",
        None,
        "ví dụ không cho kết quả như đã ghi",
    ),
]


@pytest.mark.parametrize(
    ("edit", "sheet", "column", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_wrong_edit_is_refused_at_its_cell(
    edit: Edit, sheet: str, column: str | None, message: str
) -> None:
    # given the 2022 workbook edited wrongly in one place
    book = load_workbook(io.BytesIO(_exported(ROOT / "rules" / "2022-ha-noi")))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    # when it is imported
    with pytest.raises(WorkbookInvalid) as refused:
        read_plan_workbook(out.getvalue())
    # then the refusal names the sheet (and column) with a Vietnamese message
    errors: list[CellError] = refused.value.errors
    hits = [e for e in errors if e.sheet == sheet and message in e.message_vi]
    assert hits, [e.render() for e in errors]
    if column is not None:
        assert any(e.column == column for e in hits), [e.render() for e in hits]
    assert all(e.row is not None for e in hits if e.sheet not in ("Ghi chú", "Ví dụ") or e.row)


def test_edited_cell_points_at_its_own_column_and_row() -> None:
    # given an unknown finding code typed into one rule's outcome
    book = load_workbook(io.BytesIO(_exported(ROOT / "rules" / "2022-ha-noi")))
    _set(RULES, "asset-declaration", "Ghi nhận biểu hiện", "DD99")(book)
    row = _row_of(book, RULES, "asset-declaration")
    column = _find(book, RULES, "Ghi nhận biểu hiện")
    out = io.BytesIO()
    book.save(out)
    # when imported / then the error is at that very cell
    with pytest.raises(WorkbookInvalid) as refused:
        read_plan_workbook(out.getvalue())
    (error,) = refused.value.errors
    assert (error.row, error.header) == (row, "Ghi nhận biểu hiện")
    assert error.column == book[RULES].cell(row=row, column=column).column_letter


def test_a_file_that_is_not_a_workbook_is_refused() -> None:
    with pytest.raises(WorkbookInvalid) as refused:
        read_plan_workbook(b"plan:\n  id: x\n")
    assert "không phải là bảng tính" in refused.value.errors[0].message_vi


def test_cli_round_trip_and_refusal(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from giamsat.cli.rules import group

    runner = CliRunner()
    # given the 2023 pack exported through the CLI
    book = tmp_path / "2023.xlsx"
    done = runner.invoke(group, ["export-workbook", str(ROOT / "rules" / "2023-ha-noi"), str(book)])
    assert done.exit_code == 0, done.output
    # when it is imported into a new folder, then that folder validates
    folder = tmp_path / "back"
    back = runner.invoke(group, ["import-workbook", str(book), str(folder)])
    assert back.exit_code == 0, back.output
    assert runner.invoke(group, ["validate", str(folder)]).exit_code == 0
    # and a spoilt workbook is refused, naming the cell, with no folder written
    spoilt = load_workbook(book)
    spoilt["Thời hạn"].cell(row=3, column=4).value = "hai mươi"
    spoilt.save(tmp_path / "spoilt.xlsx")
    refused = runner.invoke(
        group, ["import-workbook", str(tmp_path / "spoilt.xlsx"), str(tmp_path / "x")]
    )
    assert refused.exit_code == 1
    assert "trang “Thời hạn”, dòng 3, cột D (Số ngày làm việc)" in refused.output
    assert not (tmp_path / "x").exists()


def test_a_workbook_without_the_triage_row_imports_without_a_reminder(tmp_path: Path) -> None:
    # given the 2026 pack's workbook with the triage reminder's row taken out (a workbook made
    # before the setting existed)
    book = load_workbook(io.BytesIO(_exported(ROOT / "rules" / "2026-ha-noi")))
    sheet = book["Kế hoạch"]
    row = next(r for r in range(1, sheet.max_row + 1)
               if str(sheet.cell(row=r, column=1).value).startswith("Nhắc phân loại"))  # fmt: skip
    sheet.delete_rows(row)
    edited = io.BytesIO()
    book.save(edited)
    # when it is imported
    pack = read_pack(_reimported(edited.getvalue(), tmp_path)).pack
    # then it is read, with no reminder set
    assert pack.rules.triage_working_days is None


def test_the_plan_editor_keeps_the_triage_reminder() -> None:
    # given the 2026 pack, which reminds after 7 working days
    pack = read_pack(ROOT / "rules" / "2026-ha-noi").pack
    assert pack.rules.triage_working_days == 7
    # when the editor writes its files back
    files = pack_files(pack)
    # then the setting is in rules.yaml
    assert "triage_working_days: 7" in files["rules.yaml"]
