"""Form validation points at the faulty field; rendering escapes and shows both languages."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from giamsat.channels import (
    Attachment,
    AttachmentLimits,
    ChannelContext,
    Choice,
    FieldError,
    FormField,
    FormSchema,
    RequiredIf,
    SubmissionInvalid,
)
from giamsat.channels.forms import FormValidator, render_fields, typed, validate

SCHEMA = FormSchema(
    id="probe",
    title_vi="Biểu mẫu thử",
    title_en="Probe form",
    kind="report",
    attachments=AttachmentLimits(
        max_files=1, max_bytes_per_file=1000, content_types=["application/pdf"]
    ),
    fields=[
        FormField(
            name="ward",
            label_vi="Phường",
            label_en="Ward",
            type="text",
            required=True,
            max_length=20,
        ),
        FormField(name="cadre", label_vi="Cán bộ", label_en="Cadre", type="cadre"),
        FormField(
            name="verdict",
            label_vi="Kết luận",
            label_en="Verdict",
            type="select",
            choices=[Choice("co", "Có"), Choice("khong", "Không")],
        ),
        FormField(
            name="evidence",
            label_vi="Chứng cứ",
            label_en="Evidence",
            type="textarea",
            required_if=RequiredIf("verdict", "co"),
        ),
        FormField(name="on", label_vi="Ngày", label_en="Date", type="date"),
        FormField(
            name="score",
            label_vi="Điểm",
            label_en="Score",
            type="number",
            min_value=0,
            max_value=10,
        ),
        FormField(
            name="codes",
            label_vi="Tiêu chí",
            label_en="Codes",
            type="multiselect",
            choices=[Choice("DD1", "DD1"), Choice("DD2", "DD2")],
        ),
        FormField(name="indicator", label_vi="Chỉ tiêu", label_en="Indicator", type="indicator"),
        FormField(name="scan", label_vi="Tệp", label_en="File", type="file"),
    ],
)


def _errors(
    raw: dict[str, str | list[str]], context: ChannelContext, files: list[Attachment] | None = None
) -> dict[str, str]:
    with pytest.raises(SubmissionInvalid) as invalid:
        validate(SCHEMA, raw, files or [], context)
    return {error.field: error.message_en for error in invalid.value.errors}


def test_valid_submission_is_cleaned_and_nfc_normalised(context: ChannelContext) -> None:
    # given a ward name typed in decomposed Unicode (NFD) with spaces around it
    nfd = unicodedata.normalize("NFD", "Phường Phúc Xá")
    raw = {
        "ward": f"  {nfd} ",
        "cadre": "HN-0001",
        "verdict": "khong",
        "on": "25/11/2022",
        "score": "7,5",
        "codes": ["DD2"],
        "indicator": "DD-CV",
        "csrf": "ignored",
    }
    # when it is validated
    values = validate(SCHEMA, raw, [], context)
    # then text is NFC and stripped, dates ISO, numbers parsed, unknown fields dropped
    assert values["ward"] == unicodedata.normalize("NFC", "Phường Phúc Xá")
    assert values["on"] == "2022-11-25"
    assert values["score"] == 7.5
    assert values["codes"] == ["DD2"]
    assert values["evidence"] is None
    assert "csrf" not in values


def test_every_bad_field_gets_its_own_error(context: ChannelContext) -> None:
    # given a submission wrong in every field
    raw = {
        "ward": "x" * 21,
        "cadre": "HN-9999",
        "verdict": "maybe",
        "on": "31/02/2022",
        "score": "11",
        "codes": ["DD7"],
        "indicator": "XX1",
    }
    # when validated
    errors = _errors(raw, context)
    # then each error names its field
    assert errors == {
        "ward": "longer than 20 characters",
        "cadre": "no cadre with this code",
        "verdict": "not one of the choices",
        "on": "not a date (dd/mm/yyyy)",
        "score": "greater than 10",
        "codes": "not one of the choices",
        "indicator": "not an indicator code",
    }


def test_required_and_required_if(context: ChannelContext) -> None:
    # given a missing required field and a verdict that demands evidence
    errors = _errors({"ward": "  ", "verdict": "co"}, context)
    # then both fields are reported as required
    assert errors == {"ward": "required", "evidence": "required"}


def test_attachment_limits_come_from_the_schema(context: ChannelContext) -> None:
    # given two files, one too large and of a refused type
    files = [
        Attachment(field="scan", filename="a.pdf", content_type="application/pdf", size=10),
        Attachment(
            field="scan", filename="b.exe", content_type="application/x-msdownload", size=5000
        ),
    ]
    # when validated
    with pytest.raises(SubmissionInvalid) as invalid:
        validate(SCHEMA, {"ward": "A"}, files, context)
    # then the file field carries the count, size and type errors
    messages = [e.message_en for e in invalid.value.errors if e.field == "scan"]
    assert messages == [
        "at most 1",
        f"b.exe is larger than {1000 / (1024 * 1024):g} MiB",
        "file type application/x-msdownload not accepted",
    ]


def test_rendering_escapes_values_and_speaks_one_language(context: ChannelContext) -> None:
    # given a value carrying markup and an error on that field
    with pytest.raises(SubmissionInvalid) as invalid:
        validate(SCHEMA, {"ward": "<script>" * 5}, [], context)
    # when the form is rendered again with them, in Vietnamese then in English
    html = render_fields(SCHEMA, {"ward": "<script>" * 5}, invalid.value.errors)
    english = render_fields(SCHEMA, {"ward": "<script>" * 5}, invalid.value.errors, "en")
    # then the value is escaped, each language has its own labels only
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert ">Phường" in html and "Ward" not in html
    assert ">Ward" in english and "Phường" not in english
    # and the error sits in the field's block, in the page's language
    ward_block = html.split('<div class="govuk-form-group')[1]
    assert "govuk-form-group--error" in ward_block
    assert "Dài quá 20 ký tự" in ward_block
    assert "Dài quá" not in english
    assert 'name="codes" value="DD1"' in html


def _alone(raw: dict[str, str | list[str]], context: ChannelContext) -> list[FieldError]:
    """The errors of one submission validated on its own."""
    try:
        validate(SCHEMA, raw, [], context)
    except SubmissionInvalid as invalid:
        return invalid.errors
    return []


def test_a_sheet_checked_column_by_column_finds_what_each_row_alone_finds(
    context: ChannelContext,
) -> None:
    # given the rows of a sheet: good ones (repeating their values, as sheets do) and bad ones,
    # among them a verdict demanding evidence and a missing ward
    rows: list[dict[str, str | list[str]]] = [
        {"ward": "Phúc Xá", "cadre": "HN-0001", "verdict": "khong", "on": "25/11/2022",
         "score": "7", "codes": ["DD1", "DD2"], "indicator": "DD3"},
        {"ward": "Phúc Xá", "cadre": "HN-0002", "verdict": "co", "evidence": "Biên bản",
         "on": "25/11/2022", "score": "7", "codes": ["DD1", "DD2"], "indicator": "DD3"},
        {"ward": "", "cadre": "HN-9999", "verdict": "co", "on": "31/02/2022", "score": "11",
         "codes": ["DD7"], "indicator": "XX1"},
        {"ward": "Phúc Xá", "cadre": "HN-0001", "verdict": "khong", "on": "25/11/2022",
         "score": "7", "codes": ["DD1", "DD2"], "indicator": "DD3"},
    ]  # fmt: skip
    names = [spec.name for spec in SCHEMA.fields]
    columns = {name: [row.get(name, "") for row in rows] for name in names if name != "scan"}
    # when they are checked at once, column by column
    values, errors = FormValidator(SCHEMA, context).check_columns(columns, len(rows))
    # then each row has the errors and the typed values it has when validated alone
    for row, row_values, row_errors in zip(rows, values, errors, strict=True):
        assert row_errors == _alone(row, context)
        if not row_errors:
            assert row_values == typed(SCHEMA, validate(SCHEMA, row, [], context))
    # and the bad row's errors each name their field, the evidence among them
    assert {e.field for e in errors[2]} == {
        "ward", "cadre", "evidence", "on", "score", "codes", "indicator"}  # fmt: skip
    assert [errors[i] for i in (0, 1, 3)] == [[], [], []]
    # and each good row has its own list, so that a plugin changing one changes no other
    assert values[0]["codes"] == values[3]["codes"] and values[0]["codes"] is not values[3]["codes"]
    assert values[1]["on"] == date(2022, 11, 25)
