"""Read a plan workbook edited in Excel or LibreOffice back into the pack's YAML files.

Everything or nothing: a renamed or extra sheet, an altered header, or any cell that cannot
be read refuses the whole workbook, each problem named by sheet, row and column. The files
that come out are then validated like any pack; :meth:`ImportedPack.place` puts the
problems that validation finds back onto the cells they came from.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any

import msgspec
import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from giamsat.rulepacks import vocabulary as vocab
from giamsat.rulepacks.errors import PackError
from giamsat.rulepacks.model import Actions
from giamsat.rulepacks.tables import (
    CONDITION_COLUMNS,
    Alternative,
    TableRule,
    condition_items,
    read_other,
    to_rule,
)
from giamsat.rulepacks.wording import date_message
from giamsat.rulepacks.workbook import VOCABULARIES, CellError, WorkbookInvalid
from giamsat.rulepacks.workbook_layout import (
    CHANNELS,
    CLOCKS,
    EXAMPLES,
    FIRST_DATA_ROW,
    HEADER_ROW,
    INDICATOR_RULES,
    INDICATORS,
    LEGAL_BASES,
    LEVELS,
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
from giamsat.rulepacks.writer import dump_files
from giamsat.rulepacks.yamlsrc import PathKey, YamlDoc, parse_yaml
from giamsat.web.i18n import N_, Word, in_both


class _Refused(Exception):
    """A cell refused: the message (an English catalogue id) and its ``params``."""

    def __init__(self, message: str, **params: object) -> None:
        self.vi, self.en = in_both(message, **params)
        super().__init__(self.en)


def _split(text: str) -> list[str]:
    parts = text.replace("\n", LIST_SEPARATOR).split(LIST_SEPARATOR)
    return [p.strip() for p in parts if p.strip()]


def _squash(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


class _RulePlace(msgspec.Struct):
    row: int
    alt_rows: list[int]
    alt_keys: list[list[str]]


class ImportedPack(msgspec.Struct):
    """The files a workbook holds, and where each item of them came from."""

    files: dict[str, str]
    rows: dict[str, list[int]]
    rules: dict[str, list[_RulePlace]]

    def place(self, error: PackError) -> CellError:
        """The cell a validation problem of the imported files belongs to."""
        name = error.file.rsplit("/", 1)[-1]
        doc = parse_yaml(self.files.get(name, ""), name)
        path = path_at(doc, error.line) if isinstance(doc, YamlDoc) else ()
        sheet, row, key = self._where(name, path)
        layout = next((s for s in SHEETS if s.name == sheet), None)
        col, header = None, None
        if layout is not None and key is not None:
            keys = [c.key for c in layout.columns]
            if key in keys:
                col, header = keys.index(key) + 1, layout.columns[keys.index(key)].header
        if layout in (PLAN, REPORTING):
            col, header = 2, "Giá trị"
        return CellError(
            sheet=sheet,
            row=row,
            column=get_column_letter(col) if col else None,
            header=header,
            message_vi=error.text("vi"),
            message_en=error.text("en"),
        )

    def _where(self, name: str, path: PathKey) -> tuple[str, int | None, str | None]:
        head = path[0] if path else None
        index = path[1] if len(path) > 1 and isinstance(path[1], int) else None
        if name == "pack.yaml":
            if len(path) > 2 and path[1] == "legal_bases" and isinstance(path[2], int):
                rows = self.rows[LEGAL_BASES.name]
                key = str(path[3]) if len(path) > 3 else None
                return LEGAL_BASES.name, rows[path[2]] if path[2] < len(rows) else None, key
            keys = [c.key.split(".")[0] for c in PLAN_ROWS]
            field = str(path[1]) if len(path) > 1 else None
            row = FIRST_DATA_ROW + keys.index(field) if field in keys else None
            return PLAN.name, row, "value"
        if name == "indicators.yaml":
            return self._listed(INDICATORS, index, path)
        if name == "examples.yaml":
            return self._listed(EXAMPLES, index, path)
        if head in ("indicator_rules", "routing_rules") and index is not None:
            return self._rule(str(head), index, path)
        sections = {"levels": LEVELS, "clocks": CLOCKS, "channels": CHANNELS}
        if head in sections:
            return self._listed(sections[str(head)], index, path)
        if head == "reporting":
            keys = [c.key for c in REPORTING_ROWS]
            field = str(path[1]) if len(path) > 1 else None
            row = FIRST_DATA_ROW + keys.index(field) if field in keys else None
            return REPORTING.name, row, "value"
        return INDICATOR_RULES.name, None, None

    def _listed(
        self, layout: SheetLayout, index: int | None, path: PathKey
    ) -> tuple[str, int | None, str | None]:
        rows = self.rows.get(layout.name, [])
        row = rows[index] if index is not None and index < len(rows) else None
        key = str(path[2]) if len(path) > 2 else None
        if layout is CHANNELS:
            key = "channel"
        return layout.name, row, key

    def _rule(self, section: str, index: int, path: PathKey) -> tuple[str, int | None, str | None]:
        layout = INDICATOR_RULES if section == "indicator_rules" else ROUTING_RULES
        places = self.rules.get(section, [])
        if index >= len(places):
            return layout.name, None, None
        place = places[index]
        rest = path[2:]
        if rest[:1] == ("then",):
            return layout.name, place.row, str(rest[1]) if len(rest) > 1 else None
        if rest[:1] == ("when",):
            alt, item = alt_item(rest[1:], len(place.alt_rows))
            keys = place.alt_keys[alt] if alt < len(place.alt_keys) else []
            key = keys[item] if item is not None and item < len(keys) else None
            return layout.name, place.alt_rows[alt] if alt < len(place.alt_rows) else None, key
        return layout.name, place.row, str(rest[0]) if rest else "id"


def alt_item(rest: PathKey, alternatives: int) -> tuple[int, int | None]:
    """Which row (alternative) and which atom of it a path inside ``when`` points at."""
    alt, item = 0, None
    if alternatives > 1 and rest[:1] == ("any",) and len(rest) > 1 and isinstance(rest[1], int):
        alt, rest = rest[1], rest[2:]
    if rest[:1] == ("all",) and len(rest) > 1 and isinstance(rest[1], int):
        item = rest[1]
    elif not rest:
        item = 0
    return alt, item


def path_at(doc: YamlDoc, line: int) -> PathKey:
    """The deepest path that starts on ``line``."""
    found: PathKey = ()
    for path, at in doc.lines.items():
        if at == line and len(path) > len(found):
            found = path
    return found


class _Reader:
    """Reads one workbook, collecting every refusal with its place."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.errors: list[CellError] = []
        self.levels: dict[str, str] = {}
        self.clocks: dict[str, str] = {}
        self.rows: dict[str, list[int]] = {}

    def fail(
        self, where: tuple[str, int | None, int | None], message: str, **params: object
    ) -> None:
        """Refuse a cell (or row, or sheet): ``message`` is its English catalogue id."""
        self.refuse(where, *in_both(message, **params))

    def refuse(self, where: tuple[str, int | None, int | None], vi: str, en: str) -> None:
        sheet, row, col = where
        layout = next((s for s in SHEETS if s.name == sheet), None)
        header = None
        if layout is not None and col is not None and col <= len(layout.columns):
            header = layout.columns[col - 1].header
        self.errors.append(
            CellError(
                sheet=sheet,
                row=row,
                column=get_column_letter(col) if col else None,
                header=header,
                message_vi=vi,
                message_en=en,
            )
        )

    # -- cells --

    def value(self, raw: Any, column: Column, where: tuple[str, int, int]) -> Any:
        text = "" if raw is None else str(raw).strip()
        if not text:
            if column.required:
                self.fail(where, N_("this cell may not be empty"))
            return None
        try:
            return self._convert(raw, text, column.kind)
        except _Refused as refused:
            self.refuse(where, refused.vi, refused.en)
            return None

    def _convert(self, raw: Any, text: str, kind: str) -> Any:
        if kind == "int":
            return _whole(raw, text)
        if kind == "date":
            return _date(raw, text)
        if kind.startswith("words:"):
            return self._word(kind[6:], text)
        if kind.startswith("words-list:"):
            return [self._word(kind[11:], part) for part in _split(text)]
        if kind == "codes":
            return _split(text)
        if kind == "level":
            return _named(self.levels, text, N_("level"))
        if kind == "levels":
            return [_named(self.levels, part, N_("level")) for part in _split(text)]
        if kind == "clocks":
            return [_named(self.clocks, part, N_("time limit")) for part in _split(text)]
        if kind in ("yaml", "condition"):
            try:
                return yaml.safe_load(text) if kind == "yaml" else read_other(text)
            except yaml.YAMLError as exc:
                raise _Refused(N_("cannot be read: %(problem)s"), problem=str(exc)) from None
        return text

    def _word(self, vocabulary: str, text: str) -> Any:
        words = VOCABULARIES[vocabulary]
        code = vocab.code_for(words, text)
        if code is None:
            if vocabulary == "channels":
                return text  # a partner's channel, known by its code
            allowed = "; ".join(vocab.words_of(words))
            raise _Refused(
                N_("'%(text)s' is not one of the choices (%(allowed)s)"),
                text=text,
                allowed=allowed,
            )
        return code == "true" if vocabulary == "yes_no" else code

    # -- sheets --

    def check_shape(self) -> None:
        expected = [layout.name for layout in SHEETS]
        present = [name for name in self.book.sheetnames if name != LISTS]
        for name in present:
            if name not in expected:
                self.fail(
                    (name, None, None),
                    N_("this sheet is not part of the plan workbook (remove it)"),
                )
        for name in expected:
            if name not in present:
                self.fail((name, None, None), N_("this sheet is missing"))
        for layout in SHEETS:
            if layout.name in present:
                self._check_headers(layout)

    def _check_headers(self, layout: SheetLayout) -> None:
        sheet = self.book[layout.name]
        for c in range(1, max(sheet.max_column, len(layout.columns)) + 1):
            found = _squash(sheet.cell(row=HEADER_ROW, column=c).value)
            wanted = layout.columns[c - 1].header if c <= len(layout.columns) else ""
            if found == wanted:
                continue
            if wanted:
                vi, en = in_both(
                    N_("the header must be “%(wanted)s”, found “%(found)s”"),
                    wanted=wanted,
                    found=found,
                )
            else:
                vi, en = in_both(N_("extra column “%(found)s” (remove it)"), found=found)
            self.errors.append(
                CellError(
                    sheet=layout.name,
                    row=HEADER_ROW,
                    column=get_column_letter(c),
                    message_vi=vi,
                    message_en=en,
                )
            )

    def names(self, layout: SheetLayout, code_col: int, title_col: int) -> dict[str, str]:
        """Codes and names a sheet defines (levels, clocks), before the others are read."""
        sheet = self.book[layout.name]
        names: dict[str, str] = {}
        for r in range(FIRST_DATA_ROW, sheet.max_row + 1):
            code = _squash(sheet.cell(row=r, column=code_col).value)
            if code:
                names[code] = _squash(sheet.cell(row=r, column=title_col).value) or code
        return names

    def table(self, layout: SheetLayout) -> list[tuple[int, dict[str, Any]]]:
        sheet = self.book[layout.name]
        rows: list[tuple[int, dict[str, Any]]] = []
        for r in range(FIRST_DATA_ROW, sheet.max_row + 1):
            raw = [sheet.cell(row=r, column=c).value for c in range(1, len(layout.columns) + 1)]
            if all(_squash(v) == "" for v in raw):
                continue
            values = {
                col.key: self.value(v, col, (layout.name, r, c))
                for c, (col, v) in enumerate(zip(layout.columns, raw, strict=True), 1)
            }
            rows.append((r, values))
        self.rows[layout.name] = [r for r, _ in rows]
        return rows

    def items(self, layout: SheetLayout) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in values.items() if v is not None} for _, values in self.table(layout)
        ]

    def key_values(
        self, layout: SheetLayout, rows: tuple[Column, ...], *, optional: bool = False
    ) -> dict[str, Any]:
        """The values of ``rows`` found by their labels; a missing row is an error unless
        ``optional``."""
        sheet = self.book[layout.name]
        found = {
            _squash(sheet.cell(row=r, column=1).value): r
            for r in range(FIRST_DATA_ROW, sheet.max_row + 1)
        }
        out: dict[str, Any] = {}
        for column in rows:
            r = found.get(column.header)
            if r is None and optional:
                continue
            if r is None:
                self.fail(
                    (layout.name, None, 1),
                    N_("the row “%(header)s” is missing"),
                    header=column.header,
                )
                continue
            raw = sheet.cell(row=r, column=2).value
            value = self.value(raw, column, (layout.name, r, 2))
            if value is not None or column.required:
                out[column.key] = value
        return out

    def rules(
        self, layout: SheetLayout, routing: bool
    ) -> tuple[list[dict[str, Any]], list[_RulePlace]]:
        keys = [c.key for c in layout.columns]
        tables: dict[str, TableRule] = {}
        places: dict[str, _RulePlace] = {}
        for r, values in self.table(layout):
            rule_id = values["id"]
            if rule_id is None:
                continue
            alt = _alternative(values)
            if not condition_items(alt):
                self.fail((layout.name, r, 1), N_("this row has no condition"))
                continue
            if alt.within_days is not None and alt.at_least is None:
                self.fail(
                    (layout.name, r, keys.index("at_least") + 1),
                    N_("a window in days needs a number of signals"),
                )
            if rule_id in tables:
                old = tables[rule_id]
                tables[rule_id] = msgspec.structs.replace(
                    old, alternatives=[*old.alternatives, alt]
                )
                places[rule_id].alt_rows.append(r)
            else:
                then = self._then(layout, r, values, routing)
                tables[rule_id] = TableRule(
                    id=rule_id,
                    title_vi=values.get("title_vi") or "",
                    title_en=values.get("title_en") or "",
                    alternatives=[alt],
                    then=then,
                )
                places[rule_id] = _RulePlace(row=r, alt_rows=[r], alt_keys=[])
            places[rule_id].alt_keys.append([key for key, _ in condition_items(alt)])
        out: list[dict[str, Any]] = []
        for table in tables.values():
            rule = to_rule(table)
            outcome = {
                k: v
                for k, v in msgspec.to_builtins(rule.then).items()
                if v not in (None, [], False)
            }
            out.append(
                {
                    "id": rule.id,
                    "title_vi": rule.title_vi,
                    "title_en": rule.title_en,
                    "when": rule.when,
                    "then": outcome,
                }
            )
        return out, list(places.values())

    def _then(self, layout: SheetLayout, r: int, values: dict[str, Any], routing: bool) -> Actions:
        for key in ("title_vi", "title_en"):
            if not values.get(key):
                self.fail(
                    (layout.name, r, [c.key for c in layout.columns].index(key) + 1),
                    N_("the rule's first row needs its name"),
                )
        if routing:
            return Actions(route_to=values.get("route_to"))
        acts = Actions(
            open_case=values.get("open_case"),
            add_findings=values.get("add_findings") or [],
            record_signal_indicators=bool(values.get("record_signal_indicators")),
            start_clocks=values.get("start_clocks") or [],
            propose_delegation=bool(values.get("propose_delegation")),
            record_at_residence=values.get("record_at_residence") or [],
        )
        if acts == Actions():
            self.fail(
                (layout.name, r, 1),
                N_("the rule has no outcome (open a case, record indicators, a time limit…)"),
            )
        return acts


def _alternative(values: dict[str, Any]) -> Alternative:
    cells = {f: values[f] for f, kind in CONDITION_COLUMNS if kind != "bool" and values.get(f)}
    return Alternative(
        cells=cells,
        party_member=values.get("subject.is_party_member"),
        at_least=values.get("at_least"),
        within_days=values.get("within_days"),
        other=values.get("other"),
    )


def _whole(raw: Any, text: str) -> int:
    if isinstance(raw, bool):
        raise _Refused(N_("'%(text)s' is not a whole number"), text=text)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if text.isdigit():
        return int(text)
    raise _Refused(N_("'%(text)s' is not a whole number"), text=text)


def _date(raw: Any, text: str) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        message, params = date_message(text)
        raise _Refused(message, **params) from None


def _named(names: dict[str, str], text: str, what: str) -> str:
    wanted = _squash(text).casefold()
    for code, title in names.items():
        if wanted in (code.casefold(), title.casefold()):
            return code
    known = "; ".join(names.values())
    raise _Refused(
        N_("no %(what)s '%(text)s' (known: %(known)s)"), what=Word(what), text=text, known=known
    )


def import_workbook(data: bytes) -> ImportedPack:
    """The pack files a workbook holds; :class:`WorkbookInvalid` names every wrong cell."""
    try:
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise WorkbookInvalid(
            [CellError.worded("-", N_("the file is not an Excel workbook (.xlsx)"))]
        ) from None
    reader = _Reader(book)
    reader.check_shape()
    if reader.errors:
        raise WorkbookInvalid(reader.errors)
    reader.levels = reader.names(LEVELS, code_col=1, title_col=3)
    reader.clocks = reader.names(CLOCKS, code_col=1, title_col=2)
    plan = reader.key_values(PLAN, PLAN_ROWS)
    settings = reader.key_values(PLAN, SETTING_ROWS, optional=True)
    reporting = reader.key_values(REPORTING, REPORTING_ROWS)
    bases = reader.items(LEGAL_BASES)
    indicators = reader.items(INDICATORS)
    levels = [{"parent": None, **lvl} for lvl in reader.items(LEVELS)]
    channels = [c["channel"] for c in reader.items(CHANNELS) if "channel" in c]
    clocks = reader.items(CLOCKS)
    indicator_rules, indicator_places = reader.rules(INDICATOR_RULES, routing=False)
    routing_rules, routing_places = reader.rules(ROUTING_RULES, routing=True)
    examples = reader.items(EXAMPLES)
    if reader.errors:
        raise WorkbookInvalid(reader.errors)
    plan_data = {
        "id": plan["id"],
        "name": {"vi": plan["name.vi"], "en": plan["name.en"]},
        **{k: plan[k] for k in ("year", "issuing_committee", "effective_from", "effective_to")},
        "legal_bases": bases,
    }
    rules_data = {
        "levels": levels,
        "channels": channels,
        "clocks": clocks,
        "indicator_rules": indicator_rules,
        "routing_rules": routing_rules,
        "reporting": reporting,
        **settings,
    }
    files = dump_files(plan_data, indicators, rules_data, examples)
    return ImportedPack(
        files=files,
        rows=reader.rows,
        rules={"indicator_rules": indicator_places, "routing_rules": routing_places},
    )


def read_plan_workbook(data: bytes) -> ImportedPack:
    """A workbook's pack, validated like any pack; every problem placed on its cell.

    Raises :class:`WorkbookInvalid` when a cell cannot be read or the pack it makes would be
    refused; nothing is returned (or kept) then.
    """
    from giamsat.rulepacks.api import validate_pack

    imported = import_workbook(data)
    with tempfile.TemporaryDirectory(prefix="giamsat-workbook-") as folder:
        root = Path(folder)
        for name, text in imported.files.items():
            (root / name).write_text(text, encoding="utf-8")
        problems = validate_pack(root)
    if problems:
        raise WorkbookInvalid([imported.place(p) for p in problems])
    return imported
