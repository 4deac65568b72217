"""A plan as an Excel workbook: one sheet per table, words instead of codes.

``export_workbook`` writes a validated pack; :mod:`giamsat.rulepacks.workbook_import` reads
an edited workbook back. The YAML folder stays the canonical form.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import msgspec
import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from giamsat.rulepacks import vocabulary as vocab
from giamsat.rulepacks.model import RulePack
from giamsat.rulepacks.tables import (
    TableRule,
    other_text,
    to_table,
)
from giamsat.rulepacks.workbook_layout import (
    EXAMPLES,
    FIRST_DATA_ROW,
    HEADER_ROW,
    INDICATOR_RULES,
    LIST_SEPARATOR,
    LISTS,
    PLAN,
    PLAN_ROWS,
    REPORTING,
    REPORTING_ROWS,
    ROUTING_RULES,
    SETTING_ROWS,
    SHEETS,
    Column,
    SheetLayout,
)
from giamsat.web.i18n import N_, Translator, in_both

VOCABULARIES = vocab.TABLES
_TITLE_FONT = Font(bold=True, size=13)
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="A50E1C")


class CellError(msgspec.Struct, frozen=True, kw_only=True):
    """A refused cell (or sheet, or header), named as the person editing the workbook sees it."""

    sheet: str
    row: int | None = None
    column: str | None = None
    header: str | None = None
    message_vi: str
    message_en: str

    @classmethod
    def worded(cls, sheet: str, message: str, **params: object) -> CellError:
        """A problem of ``sheet`` worded in the catalogue (``message``: its English id)."""
        vi, en = in_both(message, **params)
        return cls(sheet=sheet, message_vi=vi, message_en=en)

    def render(self, language: str = "vi") -> str:
        tr = Translator(language)
        where = [tr.gettext(N_("sheet “%(sheet)s”"), sheet=self.sheet)]
        if self.row is not None:
            where.append(tr.gettext(N_("row %(row)s"), row=self.row))
        if self.column is not None:
            label = f"{self.column} ({self.header})" if self.header else self.column
            where.append(tr.gettext(N_("column %(column)s"), column=label))
        message = self.message_vi if language == "vi" else self.message_en
        return f"{', '.join(where)}: {message}"


class WorkbookInvalid(ValueError):
    """The workbook was refused; ``errors`` names every wrong sheet, header and cell."""

    def __init__(self, errors: list[CellError]) -> None:
        self.errors = errors
        super().__init__("\n".join(e.render("en") for e in errors))


# -- export ----------------------------------------------------------------------------------


class _Words:
    """Codes to the words a sheet shows, for the pack at hand (its levels and clocks too)."""

    def __init__(self, pack: RulePack) -> None:
        self.levels = {lvl.code: lvl.title_vi for lvl in pack.rules.levels}
        self.clocks = {c.id: c.title_vi for c in pack.rules.clocks}

    def cell(self, column: Column, value: Any) -> Any:
        if value is None or value == [] or value == "":
            return None
        kind = column.kind
        if kind.startswith("words:"):
            key = "true" if value is True else "false" if value is False else str(value)
            return vocab.word(VOCABULARIES[kind[6:]], key)
        if kind.startswith("words-list:"):
            words = VOCABULARIES[kind[11:]]
            return f"{LIST_SEPARATOR} ".join(vocab.word(words, str(v)) for v in value)
        if kind == "codes":
            return f"{LIST_SEPARATOR} ".join(str(v) for v in value)
        if kind == "level":
            return self.levels.get(str(value), str(value))
        if kind == "levels":
            return f"{LIST_SEPARATOR} ".join(self.levels.get(str(v), str(v)) for v in value)
        if kind == "clocks":
            return f"{LIST_SEPARATOR} ".join(self.clocks.get(str(v), str(v)) for v in value)
        if kind == "yaml":
            return _flow(value)
        if kind == "condition":
            return other_text(value)
        if kind == "date" and isinstance(value, dt.date):
            return value
        return value


def _flow(value: Any) -> str:
    plain = msgspec.to_builtins(value)
    return str(yaml.safe_dump(plain, default_flow_style=True, allow_unicode=True, width=10_000))


def _sheet(book: Workbook, layout: SheetLayout) -> Worksheet:
    sheet = book.create_sheet(layout.name)
    sheet.cell(row=1, column=1, value=layout.title).font = _TITLE_FONT
    for i, column in enumerate(layout.columns, 1):
        cell = sheet.cell(row=HEADER_ROW, column=i, value=column.header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(i)].width = 14 if column.kind == "int" else 28
    sheet.freeze_panes = sheet.cell(row=FIRST_DATA_ROW, column=1)
    return sheet


def _rows(sheet: Worksheet, layout: SheetLayout, words: _Words, rows: list[dict[str, Any]]) -> None:
    for r, values in enumerate(rows, FIRST_DATA_ROW):
        for c, column in enumerate(layout.columns, 1):
            cell = sheet.cell(row=r, column=c, value=words.cell(column, values.get(column.key)))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.kind == "date":
                cell.number_format = "yyyy-mm-dd"


def _key_values(
    sheet: Worksheet,
    rows: tuple[Column, ...],
    words: _Words,
    data: Any,
    first: int = FIRST_DATA_ROW,
) -> None:
    for r, column in enumerate(rows, first):
        value = data
        for part in column.key.split("."):
            value = getattr(value, part)
        sheet.cell(row=r, column=1, value=column.header)
        cell = sheet.cell(row=r, column=2, value=words.cell(column, value))
        if column.kind == "date":
            cell.number_format = "yyyy-mm-dd"


def _rule_rows(tables: list[TableRule], with_route: bool) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for table in tables:
        for n, alt in enumerate(table.alternatives):
            row: dict[str, Any] = {"id": table.id, **alt.cells}
            row.update(
                {
                    "subject.is_party_member": alt.party_member,
                    "at_least": alt.at_least,
                    "within_days": alt.within_days,
                    "other": alt.other,
                }
            )
            if n == 0:
                row.update(title_vi=table.title_vi, title_en=table.title_en)
                acts = table.then
                if with_route:
                    row["route_to"] = acts.route_to
                else:
                    row.update(
                        open_case=acts.open_case,
                        add_findings=acts.add_findings,
                        record_signal_indicators=acts.record_signal_indicators or None,
                        start_clocks=acts.start_clocks,
                        propose_delegation=acts.propose_delegation or None,
                        record_at_residence=acts.record_at_residence,
                    )
            rows.append(row)
    return rows


def _lists(book: Workbook, pack: RulePack) -> dict[str, str]:
    """A hidden sheet of the words each single-choice column may take; returns ranges."""
    sheet = book.create_sheet(LISTS)
    choices = {
        "words:priorities": vocab.words_of(vocab.PRIORITIES),
        "words:yes_no": vocab.words_of(vocab.YES_NO),
        "words:on_overdue": vocab.words_of(vocab.ON_OVERDUE),
        "level": [lvl.title_vi for lvl in pack.rules.levels],
    }
    ranges: dict[str, str] = {}
    for c, (kind, values) in enumerate(choices.items(), 1):
        letter = get_column_letter(c)
        sheet.cell(row=1, column=c, value=kind)
        for r, value in enumerate(values, 2):
            sheet.cell(row=r, column=c, value=value)
        ranges[kind] = f"'{LISTS}'!${letter}$2:${letter}${len(values) + 1}"
    sheet.sheet_state = "hidden"
    return ranges


def _validations(sheet: Worksheet, layout: SheetLayout, ranges: dict[str, str]) -> None:
    for c, column in enumerate(layout.columns, 1):
        letter = get_column_letter(c)
        if column.kind in ranges:
            check = DataValidation(
                type="list", formula1=f"={ranges[column.kind]}", allow_blank=True
            )
            check.error = "Chọn một giá trị trong danh sách"
            check.errorTitle = column.header
        elif column.kind == "int":
            check = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
            check.error = "Nhập một số nguyên"
        else:
            continue
        check.add(f"{letter}{FIRST_DATA_ROW}:{letter}1000")
        sheet.add_data_validation(check)


def export_workbook(pack: RulePack, fields: dict[str, Any]) -> bytes:
    """The pack as a workbook (``fields``: the pack's condition fields, from the loader)."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    words = _Words(pack)
    sheets = {layout.name: _sheet(book, layout) for layout in SHEETS}
    plan, rules = pack.plan, pack.rules
    _key_values(sheets[PLAN.name], PLAN_ROWS, words, plan)
    below_plan = FIRST_DATA_ROW + len(PLAN_ROWS)
    _key_values(sheets[PLAN.name], SETTING_ROWS, words, rules, first=below_plan)
    _key_values(sheets[REPORTING.name], REPORTING_ROWS, words, rules.reporting)
    layouts = {layout.name: layout for layout in SHEETS}

    def fill(name: str, rows: list[dict[str, Any]]) -> None:
        _rows(sheets[name], layouts[name], words, rows)

    fill("Căn cứ", [msgspec.to_builtins(b) | {"issued_on": b.issued_on} for b in plan.legal_bases])
    fill("Danh mục biểu hiện", [msgspec.structs.asdict(i) for i in pack.indicators])
    fill("Cấp Mặt trận", [msgspec.structs.asdict(lvl) for lvl in rules.levels])
    fill("Kênh", [{"channel": c} for c in rules.channels])
    fill("Thời hạn", [msgspec.structs.asdict(c) for c in rules.clocks])
    fill(
        INDICATOR_RULES.name,
        _rule_rows([to_table(r, fields) for r in rules.indicator_rules], False),
    )
    fill(ROUTING_RULES.name, _rule_rows([to_table(r, fields) for r in rules.routing_rules], True))
    fill(
        EXAMPLES.name,
        [
            {"id": e.id, "title_vi": e.title_vi, "facts": e.facts, "expect": _expect(e)}
            for e in pack.examples
        ],
    )
    ranges = _lists(book, pack)
    for layout in SHEETS:
        if layout not in (PLAN, REPORTING):
            _validations(sheets[layout.name], layout, ranges)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _expect(example: Any) -> dict[str, Any]:
    return {k: v for k, v in msgspec.to_builtins(example.expect).items() if v is not None}
