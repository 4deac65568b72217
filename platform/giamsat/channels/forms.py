"""Validating submissions against a FormSchema, and rendering a FormSchema as HTML.

Validation is the platform's job, not the plugin's: a channel only ever sees values
that passed here. Text is normalised to NFC (the rule engine compares bytes, so an
NFD "Phường" would match nothing), stripped and length-checked; every problem comes
back as a FieldError naming its field, all at once, so the form can be re-shown with
each message beside its input.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache

import jinja2
from markupsafe import Markup

from giamsat.channels.errors import SubmissionInvalid
from giamsat.channels.structs import (
    Attachment,
    ChannelContext,
    FieldError,
    FieldValue,
    FormField,
    FormSchema,
    SubmittedValue,
)

#: A posted form: one string per field, a list for multiselect.
RawValues = Mapping[str, str | Sequence[str]]

DEFAULT_MAX_LENGTH = {"text": 500, "textarea": 10_000, "cadre": 64}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


def nfc(text: str) -> str:
    """Return the text in Unicode NFC, stripped of surrounding whitespace."""
    return unicodedata.normalize("NFC", text).strip()


def validate(
    schema: FormSchema,
    raw: RawValues,
    attachments: Sequence[Attachment],
    context: ChannelContext,
) -> dict[str, FieldValue]:
    """Return the cleaned values of a posted form; raise SubmissionInvalid listing every error.

    Fields not in the schema are ignored (CSRF tokens and the like). Empty optional
    fields come back as None (an empty list for multiselect).
    """
    return FormValidator(schema, context).validate(raw, attachments)


Problem = tuple[str, str]
_REQUIRED: Problem = ("Bắt buộc nhập", "required")
_NO_FILE: Problem = ("Biểu mẫu không nhận tệp ở đây", "no file expected")
#: A raw value as a cache key: the text, the tuple of a list's texts, or None.
_Key = str | tuple[str, ...] | None


class _Field:
    """One non-file field, compiled: its spec, whether it is required (or on which field's
    value), and each distinct raw value's cleaned value and problem, computed once."""

    __slots__ = ("cache", "condition", "required", "sheet_cache", "spec")

    def __init__(self, spec: FormField) -> None:
        self.spec = spec
        self.required = spec.required
        self.condition = spec.required_if
        self.cache: dict[_Key, tuple[FieldValue, Problem | None]] = {}
        #: For :meth:`FormValidator.check_columns`: value, problem, typed value, emptiness.
        self.sheet_cache: dict[_Key, tuple[FieldValue, Problem | None, SubmittedValue, bool]] = {}


class FormValidator:
    """A form's validation compiled once for a context: what :func:`validate` checks, with each
    field's checks resolved ahead and each distinct value of a field cleaned only once, so a
    sheet of thousands of rows (whose cells repeat: dates, years, marks, units) costs a
    dictionary look-up per cell. The values and errors are exactly :func:`validate`'s."""

    def __init__(self, schema: FormSchema, context: ChannelContext) -> None:
        self.schema = schema
        self.context = context
        self._fields = [_Field(spec) for spec in schema.fields if spec.type != "file"]
        self._files = [spec for spec in schema.fields if spec.type == "file"]
        self._file_names = {spec.name for spec in self._files}
        self._dates = frozenset(spec.name for spec in schema.fields if spec.type == "date")

    def check(
        self, raw: RawValues, attachments: Sequence[Attachment] = ()
    ) -> tuple[dict[str, FieldValue], list[FieldError]]:
        """The cleaned values and every error, in the schema's field order."""
        errors: list[FieldError] = []
        values: dict[str, FieldValue] = {}
        fields = iter(self._fields)
        for spec in self.schema.fields:
            if spec.type == "file":
                errors.extend(_check_files(self.schema, spec, attachments))
                continue
            field = next(fields)
            given = raw.get(spec.name)
            key: _Key = given if given is None or isinstance(given, str) else tuple(given)
            cleaned = field.cache.get(key)
            if cleaned is None:
                cleaned = field.cache[key] = _clean_field(spec, given, self.context)
            value, problem = cleaned
            if isinstance(value, list):
                value = list(value)  # each row its own list: a plugin may change it
            if problem is None and _is_empty(value) and self._required(field, raw):
                problem = _REQUIRED
            if problem is not None:
                errors.append(FieldError(spec.name, *problem))
            values[spec.name] = value
        for attachment in attachments:
            if attachment.field not in self._file_names:
                errors.append(FieldError(attachment.field, *_NO_FILE))
        return values, errors

    def validate(
        self, raw: RawValues, attachments: Sequence[Attachment] = ()
    ) -> dict[str, FieldValue]:
        """:func:`validate` with this compiled form."""
        values, errors = self.check(raw, attachments)
        if errors:
            raise SubmissionInvalid(errors)
        return values

    def typed(self, values: Mapping[str, FieldValue]) -> dict[str, SubmittedValue]:
        """:func:`typed` with this compiled form."""
        return _typed_values(self._dates, values)

    def check_columns(
        self, columns: Mapping[str, Sequence[str | Sequence[str]]], count: int
    ) -> tuple[list[dict[str, SubmittedValue]], list[list[FieldError]]]:
        """``count`` rows at once, given column by column (``columns[name][i]`` is row ``i``'s
        raw value of the field; a field left out is empty in every row): each row's typed
        values, as :func:`typed` gives them, and its errors, the very ones :meth:`check` finds
        for that row without attachments (a sheet has none), in the same order.

        Each field is one pass over its column: each distinct value is cleaned once, the
        rows are looked up in C, and rows are visited one by one only for a field that has a
        problem or an empty value that may be required."""
        errors: list[list[FieldError]] = [[] for _ in range(count)]
        names: list[str] = []
        typed_columns: list[list[SubmittedValue]] = []
        fields = iter(self._fields)
        for spec in self.schema.fields:
            if spec.type == "file":
                for error in _check_files(self.schema, spec, ()):
                    for row_errors in errors:
                        row_errors.append(error)
                continue
            field = next(fields)
            given = columns.get(spec.name)
            raws: Sequence[str | Sequence[str] | None] = (
                given if given is not None else [None] * count
            )
            keys = [r if r.__class__ is str or r is None else tuple(r) for r in raws]
            cache = field.sheet_cache
            for key in set(keys).difference(cache):
                cache[key] = self._entry(spec, key)
            hits = [cache[key] for key in keys]
            if any(entry[1] is not None for entry in cache.values()):
                for row_errors, entry in zip(errors, hits, strict=True):
                    if entry[1] is not None:
                        row_errors.append(FieldError(spec.name, *entry[1]))
            if (field.required or field.condition) and any(
                entry[1] is None and entry[3] for entry in cache.values()
            ):
                needed = self._required_rows(field, columns, count)
                for row_errors, entry, required in zip(errors, hits, needed, strict=True):
                    if entry[1] is None and entry[3] and required:
                        row_errors.append(FieldError(spec.name, *_REQUIRED))
            names.append(spec.name)
            if is_many(spec):  # each row its own list
                typed_columns.append([list(entry[2]) for entry in hits])  # type: ignore[arg-type]
            else:
                typed_columns.append([entry[2] for entry in hits])
        if not names:
            return [{} for _ in range(count)], errors
        values = [dict(zip(names, row, strict=True)) for row in zip(*typed_columns, strict=True)]
        return values, errors

    def _entry(
        self, spec: FormField, raw: str | Sequence[str] | None
    ) -> tuple[FieldValue, Problem | None, SubmittedValue, bool]:
        """A raw value's cleaned value, problem, typed value and emptiness."""
        value, problem = _clean_field(spec, raw, self.context)
        typed_value: SubmittedValue = value
        if problem is None and spec.name in self._dates and isinstance(value, str):
            typed_value = date.fromisoformat(value)
        return value, problem, typed_value, _is_empty(value)

    @staticmethod
    def _required_rows(
        field: _Field, columns: Mapping[str, Sequence[str | Sequence[str]]], count: int
    ) -> list[bool]:
        """Per row, whether the field is required (always, or by the other field's value)."""
        condition = field.condition
        if field.required or condition is None:
            return [field.required] * count
        given = columns.get(condition.field)
        if given is None:
            return [nfc("") == condition.value] * count
        met: dict[_Key, bool] = {}
        needed = []
        for raw in given:
            key: _Key = raw if raw is None or raw.__class__ is str else tuple(raw)
            hit = met.get(key)
            if hit is None:
                hit = met[key] = nfc(_first(raw)) == condition.value
            needed.append(hit)
        return needed

    @staticmethod
    def _required(field: _Field, raw: RawValues) -> bool:
        if field.required:
            return True
        condition = field.condition
        return condition is not None and nfc(_first(raw.get(condition.field))) == condition.value


def _clean_field(
    spec: FormField, raw: str | Sequence[str] | None, context: ChannelContext
) -> tuple[FieldValue, Problem | None]:
    if spec.type == "multiselect" or is_many(spec):
        items = list(dict.fromkeys(nfc(item) for item in _many(raw) if nfc(item)))
        if spec.type == "indicator":
            allowed = indicator_choices(spec, context)
        else:
            allowed = {choice.value for choice in spec.choices}
        bad = [item for item in items if item not in allowed]
        if bad:
            return items, (f"Giá trị không hợp lệ: {', '.join(bad)}", "not one of the choices")
        return items, None
    text = nfc(_first(raw))
    if not text:
        return None, None
    limit = spec.max_length or DEFAULT_MAX_LENGTH.get(spec.type)
    if limit is not None and len(text) > limit:
        return text, (f"Dài quá {limit} ký tự", f"longer than {limit} characters")
    return _typed(spec, text, context)


def _typed(
    spec: FormField, text: str, context: ChannelContext
) -> tuple[FieldValue, Problem | None]:
    if spec.type == "select":
        if text not in {choice.value for choice in spec.choices}:
            return text, ("Giá trị không nằm trong danh sách", "not one of the choices")
    elif spec.type == "date":
        parsed = parse_date(text)
        if parsed is None:
            return text, ("Ngày không hợp lệ (dd/mm/yyyy)", "not a date (dd/mm/yyyy)")
        return parsed.isoformat(), None
    elif spec.type == "number":
        return _number(spec, text)
    elif spec.type == "cadre":
        if context.find_cadre(text) is None:
            return text, ("Không tìm thấy cán bộ có mã này", "no cadre with this code")
    elif spec.type == "indicator" and text not in indicator_choices(spec, context):
        source = f" ({context.indicator_source})" if context.indicator_source else ""
        return text, (
            f"Mã tiêu chí không có trong danh mục{source}",
            f"not an indicator code{source}",
        )
    return text, None


def is_many(spec: FormField) -> bool:
    """Whether the field takes a list: a multiselect or a multi-valued indicator field."""
    return spec.type == "multiselect" or (spec.type == "indicator" and spec.multiple)


def typed(schema: FormSchema, values: Mapping[str, FieldValue]) -> dict[str, SubmittedValue]:
    """Validated values as a plugin receives them: a date field's ISO text as a ``date``."""
    return _typed_values({spec.name for spec in schema.fields if spec.type == "date"}, values)


def _typed_values(
    dates: Collection[str], values: Mapping[str, FieldValue]
) -> dict[str, SubmittedValue]:
    result: dict[str, SubmittedValue] = {}
    for name, value in values.items():
        is_date = name in dates and isinstance(value, str)
        result[name] = date.fromisoformat(value) if is_date and isinstance(value, str) else value
    return result


def indicator_choices(spec: FormField, context: ChannelContext) -> set[str]:
    """The codes an indicator field accepts: the catalogue in force (the committee's rule pack),
    narrowed to the channel's own choices when it lists some; a channel without choices takes
    every code of the catalogue, so a new year's indicator needs no plugin change."""
    catalogue = set(context.indicator_codes)
    own = {choice.value for choice in spec.choices}
    if not own:
        return catalogue
    return own & catalogue if catalogue else own


def _number(spec: FormField, text: str) -> tuple[FieldValue, Problem | None]:
    if not re.fullmatch(r"-?\d+([.,]\d+)?", text):
        return text, ("Phải là số", "not a number")
    parsed = float(text.replace(",", "."))
    number: int | float = int(parsed) if parsed.is_integer() else parsed
    if spec.min_value is not None and number < spec.min_value:
        return number, (f"Nhỏ hơn {spec.min_value:g}", f"less than {spec.min_value:g}")
    if spec.max_value is not None and number > spec.max_value:
        return number, (f"Lớn hơn {spec.max_value:g}", f"greater than {spec.max_value:g}")
    return number, None


def _check_files(
    schema: FormSchema, spec: FormField, attachments: Sequence[Attachment]
) -> list[FieldError]:
    limits = schema.attachments
    mine = [a for a in attachments if a.field == spec.name]
    errors: list[FieldError] = []
    if spec.required and not mine:
        errors.append(FieldError(spec.name, "Bắt buộc đính kèm tệp", "a file is required"))
    if len(mine) > limits.max_files:
        errors.append(
            FieldError(spec.name, f"Tối đa {limits.max_files} tệp", f"at most {limits.max_files}")
        )
    for item in mine:
        if item.size > limits.max_bytes_per_file:
            mib = limits.max_bytes_per_file / (1024 * 1024)
            errors.append(
                FieldError(
                    spec.name,
                    f"Tệp {item.filename} lớn hơn {mib:g} MB",
                    f"{item.filename} is larger than {mib:g} MiB",
                )
            )
        if item.content_type not in limits.content_types:
            errors.append(
                FieldError(
                    spec.name,
                    f"Loại tệp {item.content_type} không được nhận",
                    f"file type {item.content_type} not accepted",
                )
            )
    return errors


def _is_empty(value: FieldValue) -> bool:
    return value is None or value == [] or value == ""


def _first(raw: str | Sequence[str] | None) -> str:
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw
    return raw[0] if raw else ""


def _many(raw: str | Sequence[str] | None) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return raw.split(",") if raw else []
    return list(raw)


def parse_date(text: str) -> date | None:
    """A date typed as year-month-day or day/month/year; None when it is not one."""
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


# -- rendering -------------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """One autoescaping environment per process; it holds templates, never tenant data."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("giamsat.channels", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_fields(
    schema: FormSchema,
    values: Mapping[str, FieldValue] | None = None,
    errors: Sequence[FieldError] = (),
    language: str = "vi",
) -> Markup:
    """Return the form's fields as escaped HTML in one language: the channel's English words
    when ``language`` is English and it has them, else its Vietnamese ones.

    Pass the values and errors of a failed submission to re-show the form with each
    message next to its field. The surrounding ``<form>`` and CSRF token belong to
    the page template, so that this stays usable inside any layout.
    """
    by_field: dict[str, list[FieldError]] = {}
    for error in errors:
        by_field.setdefault(error.field, []).append(error)
    template = _environment().get_template("form_fields.html.j2")
    html = template.render(schema=schema, values=values or {}, errors=by_field, en=language == "en")
    return Markup(html)  # noqa: S704 - produced by an autoescaping environment
