"""The plugin kit: what every channel used to write itself, written once.

* :func:`sheet_columns` derives a bulk sheet's columns from a form's fields (labels may be
  overridden, column names renamed);
* :class:`FormSheet` reads each sheet row as one filled-in form: select cells by their label or
  value, lists split on ``,`` or ``;``, the row validated exactly like the form, errors reported
  under the column names the sheet uses, and the row's typed :class:`Submission` handed to the
  same function that makes the form's signals;
* :func:`indicator_field` is a (multi-valued) indicator field whose choices the platform fills
  with the catalogue in force, each labelled with its text;
* :func:`indicator_section` is the standard report section: signals per indicator in the period;
* :class:`ChannelPlugin` implements every hook from those declarations, so a partner's plugin is
  its forms, its sheets and one function that makes signals.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from datetime import date

import msgspec

from giamsat.channels import forms
from giamsat.channels.hookspecs import hookimpl
from giamsat.channels.structs import (
    BulkColumn,
    BulkFormat,
    ChannelContext,
    ChannelInfo,
    FieldError,
    FormField,
    FormSchema,
    ReportRequest,
    ReportSection,
    RowResult,
    SignalDraft,
    Slug,
    Submission,
)

#: Makes a submission's signals: the same function serves the form and every sheet row.
SignalMaker = Callable[[Submission], list[SignalDraft]]
#: An extra check of one raw sheet row (e.g. a name column that must match the cadre code).
RowCheck = Callable[[ChannelContext, Mapping[str, str]], list[FieldError]]

_LIST_SEPARATORS = re.compile(r"[;,\n]")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def _hint(spec: FormField) -> str:
    if spec.type in ("select", "multiselect") and spec.choices:
        hint = " / ".join(choice.label_vi for choice in spec.choices)
        return hint + ("; nhiều giá trị cách nhau bởi dấu ;" if spec.type == "multiselect" else "")
    if spec.type == "date":
        return "dd/mm/yyyy"
    if spec.type == "number" and spec.min_value is not None and spec.max_value is not None:
        return f"{spec.min_value:g}–{spec.max_value:g}"
    if spec.type == "indicator":
        return "mã tiêu chí" + ("; nhiều mã cách nhau bởi dấu ;" if spec.multiple else "")
    if spec.type == "cadre":
        return "mã cán bộ trong danh sách của đơn vị"
    return spec.help_vi


def sheet_columns(
    schema: FormSchema,
    *,
    names: Mapping[str, str] | None = None,
    labels: Mapping[str, tuple[str, str]] | None = None,
    skip: Collection[str] = (),
) -> list[BulkColumn]:
    """One column per field of ``schema`` (file fields and ``skip`` left out), in order.

    ``names`` renames a field's column (``{"cadre": "ma_can_bo"}``; by default the column is the
    field's name; fields sharing a column get it once); ``labels`` overrides its (Vietnamese,
    English) label.
    """
    names, labels = names or {}, labels or {}
    columns: list[BulkColumn] = []
    for spec in schema.fields:
        if spec.type == "file" or spec.name in skip:
            continue
        if any(column.name == names.get(spec.name, spec.name) for column in columns):
            continue
        label_vi, label_en = labels.get(spec.name, (spec.label_vi, spec.label_en))
        columns.append(
            BulkColumn(
                name=names.get(spec.name, spec.name),
                label_vi=label_vi,
                label_en=label_en,
                required=spec.required,
                help_vi=_hint(spec),
            )
        )
    return columns


class FormSheet(msgspec.Struct, frozen=True, kw_only=True):
    """A bulk sheet whose every row is one filled-in ``form``."""

    id: Slug
    channel: Slug
    label_vi: str
    label_en: str
    form: FormSchema
    #: field → column name, for columns not named like their field.
    names: dict[str, str] = {}
    #: field → (Vietnamese, English) column label, where it differs from the field's.
    labels: dict[str, tuple[str, str]] = {}
    #: Columns that are not fields (e.g. a name to check), shown after the fields' own.
    extra_columns: list[BulkColumn] = []
    #: Fields left out of the sheet (they arrive empty, so they must be optional).
    skip: frozenset[str] = frozenset()
    #: field → {cell text: choice value}, for the shorthands a sheet uses ({"x": "co", "": …}).
    aliases: dict[str, dict[str, str]] = {}

    def bulk_format(self) -> BulkFormat:
        """The sheet's layout, for ``channel_bulk_formats``."""
        columns = sheet_columns(self.form, names=self.names, labels=self.labels, skip=self.skip)
        received = any(
            f.name == "received_on" and f.type == "date" and f.name not in self.skip
            for f in self.form.fields
        )
        return BulkFormat(
            id=self.id,
            label_vi=self.label_vi,
            label_en=self.label_en,
            columns=columns + list(self.extra_columns),
            received_column=self.column("received_on") if received else "",
        )

    def column(self, field: str) -> str:
        """The sheet column of ``field``."""
        return self.names.get(field, field)

    def rows(
        self,
        context: ChannelContext,
        rows: list[dict[str, str]],
        received_on: date,
        make_signals: SignalMaker,
        *,
        check_row: RowCheck | None = None,
    ) -> list[RowResult]:
        """One RowResult per row, for ``channel_bulk_rows``: the row's signals, or its errors
        (one per column, under the column's name)."""
        validator = forms.FormValidator(self.form, context)  # compiled once per sheet
        columns = self._columns(rows)
        typed, problems = validator.check_columns(columns, len(rows))
        results = []
        for row, values, row_problems in zip(rows, typed, problems, strict=True):
            errors = [self._to_column(error) for error in row_problems]
            errors += check_row(context, row) if check_row else []
            if errors:
                results.append(RowResult(ok=False, errors=_first_per_column(errors)))
                continue
            submission = Submission(
                channel=self.channel,
                form_id=self.form.id,
                values=values,
                received_on=received_on,
                submitter_role="bulk import",
            )
            results.append(RowResult(ok=True, signals=make_signals(submission)))
        return results

    def _columns(self, rows: list[dict[str, str]]) -> dict[str, list[str | list[str]]]:
        """The rows as the form's raw values, field by field (each distinct cell read once)."""
        columns: dict[str, list[str | list[str]]] = {}
        for spec, column, aliases, choices in self._lookups():
            cells = [row.get(column, "") or "" for row in rows]
            known = {cell: self._cell_value(spec, aliases, choices, cell) for cell in set(cells)}
            columns[spec.name] = [known[cell] for cell in cells]
        return columns

    def _lookups(self) -> list[tuple[FormField, str, dict[str, str], dict[str, str]]]:
        """Per sheet field: its column, its aliases and its choices by folded text."""
        found = []
        for spec in self.form.fields:
            if spec.type == "file" or spec.name in self.skip:
                continue
            aliases = {_fold(k): v for k, v in self.aliases.get(spec.name, {}).items()}
            found.append((spec, self.column(spec.name), aliases, _choices_by_text(spec)))
        return found

    @staticmethod
    def _cell_value(
        spec: FormField, aliases: dict[str, str], choices: dict[str, str], cell: str
    ) -> str | list[str]:
        if forms.is_many(spec):
            items = [item for item in _LIST_SEPARATORS.split(cell) if item.strip()]
            return [_choice_of(spec, choices, item) for item in items]
        folded = _fold(cell)
        if folded in aliases:
            return aliases[folded]
        return _choice_of(spec, choices, cell, folded)

    def _to_column(self, error: FieldError) -> FieldError:
        return FieldError(self.column(error.field), error.message_vi, error.message_en)


def cadre_name_check(name_column: str, code_column: str) -> RowCheck:
    """A row check: when ``name_column`` is filled, it must be the name of the cadre whose code
    is in ``code_column`` (catches a code typed on the wrong line)."""

    def check(context: ChannelContext, row: Mapping[str, str]) -> list[FieldError]:
        name = row.get(name_column, "").strip()
        cadre = context.find_cadre(row.get(code_column, "").strip())
        if not name or cadre is None or _fold(cadre.full_name) == _fold(name):
            return []
        return [
            FieldError(
                name_column,
                f"Họ tên không khớp mã ({cadre.full_name})",
                "the name does not match the code",
            )
        ]

    return check


def _choices_by_text(spec: FormField) -> dict[str, str]:
    """A choice's value by its folded value or either label (the first choice wins)."""
    found: dict[str, str] = {}
    for choice in spec.choices:
        for text in (choice.value, choice.label_vi, choice.label_en):
            found.setdefault(_fold(text), choice.value)
    return found


def _choice_of(spec: FormField, choices: dict[str, str], cell: str, folded: str | None = None
               ) -> str:  # fmt: skip
    """:func:`_choice_value` through a sheet's precomputed :func:`_choices_by_text`."""
    value = choices.get(_fold(cell) if folded is None else folded)
    if value is not None:
        return value
    return cell.strip().upper() if spec.type == "indicator" else cell


def _choice_value(spec: FormField, cell: str) -> str:
    """A choice's value for a cell holding its value or either label (any case)."""
    folded = _fold(cell)
    for choice in spec.choices:
        if folded in {_fold(choice.value), _fold(choice.label_vi), _fold(choice.label_en)}:
            return choice.value
    return cell.strip().upper() if spec.type == "indicator" else cell


def _first_per_column(errors: list[FieldError]) -> list[FieldError]:
    first: dict[str, FieldError] = {}
    for error in errors:
        first.setdefault(error.field, error)
    return list(first.values())


def indicator_field(
    name: str,
    label_vi: str = "Biểu hiện, tiêu chí",
    label_en: str = "Indicators",
    *,
    multiple: bool = True,
    required: bool = False,
) -> FormField:
    """An indicator field offering the catalogue in force, each code with its text (the platform
    fills the choices per committee and year); ``multiple`` lets several be chosen."""
    return FormField(
        name=name,
        label_vi=label_vi,
        label_en=label_en,
        type="indicator",
        multiple=multiple,
        required=required,
    )


def indicator_section(
    context: ChannelContext,
    request: ReportRequest,
    title_vi: str,
    title_en: str,
    *,
    codes: Collection[str] = (),
) -> ReportSection:
    """The standard section: the period's signals and, per indicator, how many named it.

    ``codes`` lists the indicators to show even when no signal named them (e.g. a channel's own
    manifestations); any other indicator named in the period is added after them.
    """
    counted = Counter(code for signal in request.signals for code in signal.indicator_codes)
    shown = list(dict.fromkeys([*codes, *sorted(counted)]))
    cadres = {s.cadre_code for s in request.signals if s.cadre_code}
    start, end = f"{request.period_start:%d/%m/%Y}", f"{request.period_end:%d/%m/%Y}"
    signals = len(request.signals)
    paragraph_vi = (
        f"Từ {start} đến {end}: {signals} phản ánh, đánh giá về {len(cadres)} cán bộ, đảng viên."
    )
    paragraph_en = (
        f"From {start} to {end}: {signals} signals about {len(cadres)} cadres and party members."
    )
    entries = {code: context.indicator(code) for code in shown}
    return ReportSection(
        title_vi=title_vi,
        title_en=title_en,
        paragraphs=[paragraph_vi],
        paragraphs_en=[paragraph_en],
        table_header=["Mã", "Biểu hiện, tiêu chí", "Số phản ánh"],
        table_header_en=["Code", "Indicator", "Signals"],
        table_rows=[[code, entries[code].text_vi or code, str(counted[code])] for code in shown],
        table_rows_en=[
            [code, entries[code].text_en or entries[code].text_vi or code, str(counted[code])]
            for code in shown
        ],
    )


class ChannelPlugin:
    """A whole channel plugin from declarations; name the instance as the entry point's object.

    ``make_signals`` turns one submission (a form post or a sheet row) into signals; ``sheets``
    are the bulk sheets (each mirroring a form); with a ``report_title`` the channel adds the
    standard per-indicator section to period reports (``report_codes`` always listed).
    """

    def __init__(
        self,
        info: ChannelInfo,
        forms: list[FormSchema],
        make_signals: SignalMaker,
        *,
        sheets: list[FormSheet] | None = None,
        report_title: tuple[str, str] | None = None,
        report_codes: Collection[str] = (),
    ) -> None:
        self.info, self.forms, self.make_signals = info, forms, make_signals
        self.sheets = {sheet.id: sheet for sheet in sheets or []}
        self.report_title, self.report_codes = report_title, report_codes

    @hookimpl
    def channel_info(self) -> ChannelInfo:
        return self.info

    @hookimpl
    def channel_forms(self) -> list[FormSchema]:
        return list(self.forms)

    @hookimpl
    def channel_signals(self, submission: Submission) -> list[SignalDraft]:
        return self.make_signals(submission)

    @hookimpl
    def channel_bulk_formats(self) -> list[BulkFormat]:
        return [sheet.bulk_format() for sheet in self.sheets.values()]

    @hookimpl
    def channel_bulk_rows(
        self, context: ChannelContext, format: str, rows: list[dict[str, str]], received_on: date
    ) -> list[RowResult]:
        return self.sheets[format].rows(context, rows, received_on, self.make_signals)

    @hookimpl
    def channel_report_sections(
        self, context: ChannelContext, request: ReportRequest
    ) -> list[ReportSection]:
        if self.report_title is None:
            return []
        vi, en = self.report_title
        return [indicator_section(context, request, vi, en, codes=self.report_codes)]
