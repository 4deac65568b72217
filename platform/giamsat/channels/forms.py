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
from collections.abc import Mapping, Sequence
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
    errors: list[FieldError] = []
    values: dict[str, FieldValue] = {}
    texts = {name: _first(value) for name, value in raw.items()}
    for spec in schema.fields:
        if spec.type == "file":
            errors.extend(_check_files(schema, spec, attachments))
            continue
        value, problem = _clean_field(spec, raw.get(spec.name), context)
        if problem is None and _is_empty(value) and _is_required(spec, texts):
            problem = ("Bắt buộc nhập", "required")
        if problem is not None:
            errors.append(FieldError(spec.name, *problem))
        values[spec.name] = value
    known = {spec.name for spec in schema.fields if spec.type == "file"}
    for attachment in attachments:
        if attachment.field not in known:
            errors.append(
                FieldError(attachment.field, "Biểu mẫu không nhận tệp ở đây", "no file expected")
            )
    if errors:
        raise SubmissionInvalid(errors)
    return values


Problem = tuple[str, str]


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
    dates = {spec.name for spec in schema.fields if spec.type == "date"}
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


def _is_required(spec: FormField, texts: Mapping[str, str]) -> bool:
    if spec.required:
        return True
    condition = spec.required_if
    return condition is not None and nfc(texts.get(condition.field, "")) == condition.value


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
