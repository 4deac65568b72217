"""Render an ``AdministrativeDocument`` to Word in the layout of Nghị định 30/2020/NĐ-CP.

Typography follows ND30 Phụ lục I: Times New Roman; A4; margins top/bottom 20 mm, left
30 mm, right 15 mm; the header is a borderless two-column table (issuing body left,
national motto right), the closing block another (recipients left, signer right); page
numbers centred in the top margin from page 2 on. Wording never lives here: it comes in
through the document's sections.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import UTC, date, datetime, time

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docx.table import _Cell

from giamsat.documents.docx_parts import (
    FONT,
    add_marked_text,
    add_page_number_field,
    add_rule,
    add_text,
    fix_widths,
    keep_row_on_one_page,
    make_borderless,
    mark_header_row,
    set_run_font,
    tighten,
)
from giamsat.documents.model import (
    AdministrativeDocument,
    ColumnKind,
    DocumentKind,
    Paragraph,
    ParagraphStyle,
    ReportTable,
    Section,
    Withheld,
)
from giamsat.documents.numbers import format_number
from giamsat.documents.vndate import english_place_and_date, place_and_date

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM = 20.0
MARGIN_BOTTOM_MM = 20.0
MARGIN_LEFT_MM = 30.0
MARGIN_RIGHT_MM = 15.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM
HEADER_COLUMNS_MM = [62.0, TEXT_WIDTH_MM - 62.0]
CLOSING_COLUMNS_MM = [80.0, TEXT_WIDTH_MM - 80.0]
BODY_SIZE = 14.0
HEADER_SIZE = 13.0
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_SUBTITLE = "Độc lập - Tự do - Hạnh phúc"
#: The layout's own words in a document set in English (``AdministrativeDocument.language``).
ENGLISH = {
    MOTTO: "SOCIALIST REPUBLIC OF VIETNAM",
    MOTTO_SUBTITLE: "Independence - Freedom - Happiness",
    "Nơi nhận:": "Recipients:",
    "Kính gửi:": "To:",
}


def _word(document: AdministrativeDocument, text: str) -> str:
    return ENGLISH.get(text, text) if document.language == "en" else text


def nfc(text: str) -> str:
    """Vietnamese must be NFC so that search, comparison and fonts agree."""
    return unicodedata.normalize("NFC", text)


def render_docx(document: AdministrativeDocument) -> bytes:
    """The document as the bytes of a .docx file."""
    docx = Document()
    _set_up_page(docx)
    _add_header(docx, document)
    _add_title(docx, document)
    for section in document.sections:
        _add_section(docx, section)
    _keep_last_paragraph_with_closing(docx)
    _add_closing(docx, document)
    docx.core_properties.title = nfc(document.title)
    docx.core_properties.author = nfc(document.issuing_body)
    # Dated by the document itself, not the clock, so rendering is reproducible.
    stamp = datetime.combine(document.issued_on, time.min, tzinfo=UTC)
    docx.core_properties.created = stamp
    docx.core_properties.modified = stamp
    buffer = io.BytesIO()
    docx.save(buffer)
    return _dated_zip(buffer.getvalue(), document.issued_on)


def _dated_zip(content: bytes, day: date) -> bytes:
    """The .docx package with every part dated ``day``: python-docx stamps the parts with the
    clock, so two renderings a second apart would differ."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def _set_up_page(docx: DocxDocument) -> None:
    section = docx.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True
    header_paragraph = section.header.paragraphs[0]
    header_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_page_number_field(header_paragraph, size=HEADER_SIZE)
    normal = docx.styles["Normal"]
    normal.font.name = FONT  # type: ignore[attr-defined]
    normal.font.size = Pt(BODY_SIZE)  # type: ignore[attr-defined]
    set_run_font(normal.element)


def _centred(cell: _Cell, text: str, *, size: float, before: float = 0, **style: bool) -> None:
    paragraph = cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tighten(paragraph, before=before)
    add_text(paragraph, nfc(text), size=size, **style)


def _add_header(docx: DocxDocument, document: AdministrativeDocument) -> None:
    table = docx.add_table(rows=1, cols=2)
    make_borderless(table, HEADER_COLUMNS_MM)
    left, right = table.rows[0].cells
    left._tc.remove(left.paragraphs[0]._p)
    right._tc.remove(right.paragraphs[0]._p)
    _centred(left, document.issuing_parent.upper(), size=HEADER_SIZE)
    _centred(left, document.issuing_body.upper(), size=HEADER_SIZE, bold=True)
    add_rule(left, span_mm=HEADER_COLUMNS_MM[0], length_mm=22)
    _centred(left, document.number_line, size=HEADER_SIZE, before=6)
    if document.kind is DocumentKind.OFFICIAL_LETTER:
        _centred(left, f"V/v {document.title}", size=12, before=3)
    _centred(right, _word(document, MOTTO), size=12.5, bold=True)
    _centred(right, _word(document, MOTTO_SUBTITLE), size=HEADER_SIZE + 1, bold=True)
    add_rule(right, span_mm=HEADER_COLUMNS_MM[1], length_mm=60)
    dated = english_place_and_date if document.language == "en" else place_and_date
    date_line = dated(document.place, document.issued_on)
    _centred(right, date_line, size=HEADER_SIZE + 1, before=6, italic=True)


def _add_title(docx: DocxDocument, document: AdministrativeDocument) -> None:
    if document.kind is not DocumentKind.OFFICIAL_LETTER:
        kind = docx.add_paragraph()
        kind.alignment = WD_ALIGN_PARAGRAPH.CENTER
        tighten(kind, before=18)
        add_text(kind, nfc(document.kind_title or ""), size=BODY_SIZE, bold=True)
        title = docx.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        tighten(title)
        add_text(title, nfc(document.title), size=BODY_SIZE, bold=True)
        rule_holder = docx.add_table(rows=1, cols=1)
        make_borderless(rule_holder, [TEXT_WIDTH_MM])
        cell = rule_holder.rows[0].cells[0]
        cell._tc.remove(cell.paragraphs[0]._p)
        add_rule(cell, span_mm=TEXT_WIDTH_MM, length_mm=40)
    _add_addressees(docx, document.addressees, _word(document, "Kính gửi:"))
    spacer = docx.add_paragraph()
    tighten(spacer, after=6)


def _add_addressees(docx: DocxDocument, addressees: list[str], to: str = "Kính gửi:") -> None:
    if not addressees:
        return
    paragraph = docx.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tighten(paragraph, before=12)
    if len(addressees) == 1:
        add_text(paragraph, nfc(f"{to} {addressees[0]}"), size=BODY_SIZE)
        return
    add_text(paragraph, to, size=BODY_SIZE)
    for name in addressees:
        line = docx.add_paragraph()
        tighten(line)
        line.paragraph_format.left_indent = Mm(45)
        add_text(line, nfc(f"- {name};"), size=BODY_SIZE)


def _add_section(docx: DocxDocument, section: Section) -> None:
    if section.heading:
        heading = docx.add_paragraph()
        _body_format(heading)
        add_text(heading, nfc(section.heading), size=BODY_SIZE, bold=True)
    for block in section.blocks:
        if isinstance(block, Paragraph):
            _add_paragraph(docx, block)
        else:
            add_table(docx, block)


def _body_format(paragraph: object) -> None:
    fmt = paragraph.paragraph_format  # type: ignore[attr-defined]
    fmt.first_line_indent = Mm(12.7)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.15
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY  # type: ignore[attr-defined]


def _add_paragraph(docx: DocxDocument, block: Paragraph) -> None:
    paragraph = docx.add_paragraph()
    if block.style is ParagraphStyle.CENTRED_BOLD:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        tighten(paragraph, before=6, after=6)
        add_text(paragraph, nfc(block.text), size=BODY_SIZE, bold=True)
        return
    _body_format(paragraph)
    if block.style is ParagraphStyle.SUBHEADING:
        add_text(paragraph, nfc(block.text), size=BODY_SIZE, bold=True)
        return
    italic = block.style is ParagraphStyle.ITALIC
    add_marked_text(paragraph, nfc(block.text), size=BODY_SIZE, italic=italic)


def _format_cell(value: object, kind: ColumnKind) -> str:
    if kind == ColumnKind.TEXT and isinstance(value, str):
        return value
    return format_number(value, kind)


def add_table(docx: DocxDocument, table: ReportTable) -> None:
    """A bordered figures table with a bold, repeated header row (Vietnamese number style)."""
    caption = docx.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tighten(caption, before=6, after=3)
    caption.paragraph_format.keep_with_next = True
    add_text(caption, nfc(table.title), size=13, bold=True)
    grid = docx.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    grid.style = docx.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    weights = [column.width or 12.0 for column in table.columns]
    fix_widths(grid, [TEXT_WIDTH_MM * weight / sum(weights) for weight in weights])
    for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
        _fill_cell(cell, column.header, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    mark_header_row(grid)
    for row, values in zip(grid.rows[1:], table.rows, strict=True):
        for cell, column, value in zip(row.cells, table.columns, values, strict=True):
            numeric = column.kind != ColumnKind.TEXT or isinstance(value, int | float | Withheld)
            align = WD_ALIGN_PARAGRAPH.RIGHT if numeric else WD_ALIGN_PARAGRAPH.LEFT
            _fill_cell(cell, _format_cell(value, column.kind), bold=False, align=align)
    if table.note:
        note = docx.add_paragraph()
        tighten(note, before=3)
        add_text(note, nfc(table.note), size=12, italic=True)
    spacer = docx.add_paragraph()
    tighten(spacer, after=3)


def _fill_cell(cell: _Cell, text: str, *, bold: bool, align: WD_ALIGN_PARAGRAPH) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    tighten(paragraph, before=2, after=2)
    add_text(paragraph, nfc(text), size=12, bold=bold)


def recipient_lines(recipients: list[str]) -> list[str]:
    """``- X;`` for each recipient, the last ending in ``.`` (ND30 Phụ lục I, mục II.9)."""
    cleaned = [nfc(item.strip().lstrip("-").strip().rstrip(";.").strip()) for item in recipients]
    return [
        f"- {item}{'.' if index == len(cleaned) - 1 else ';'}" for index, item in enumerate(cleaned)
    ]


def _keep_last_paragraph_with_closing(docx: DocxDocument) -> None:
    """The body's last paragraph travels with "Nơi nhận" and the signature (keep-with-next):
    a page break may never leave the signature block alone on a page. Empty spacers after
    that paragraph follow it too."""
    for paragraph in reversed(docx.paragraphs):
        fmt = paragraph.paragraph_format
        fmt.keep_with_next = True
        if paragraph.text.strip():
            fmt.keep_together = True
            return


def _add_closing(docx: DocxDocument, document: AdministrativeDocument) -> None:
    table = docx.add_table(rows=1, cols=2)
    make_borderless(table, CLOSING_COLUMNS_MM)
    keep_row_on_one_page(table)
    left, right = table.rows[0].cells
    heading = left.paragraphs[0]
    tighten(heading, before=6)
    heading.paragraph_format.keep_with_next = True
    add_text(heading, _word(document, "Nơi nhận:"), size=12, bold=True, italic=True)
    for line in recipient_lines(document.recipients):
        paragraph = left.add_paragraph()
        tighten(paragraph)
        add_text(paragraph, line, size=11)
    right._tc.remove(right.paragraphs[0]._p)
    if document.signer_capacity.strip():
        _centred(right, document.signer_capacity.upper(), size=BODY_SIZE, before=6, bold=True)
        _centred(right, document.signer_title.upper(), size=BODY_SIZE, bold=True)
    else:
        _centred(right, document.signer_title.upper(), size=BODY_SIZE, before=6, bold=True)
    for _ in range(4):
        _centred(right, "", size=BODY_SIZE)
    _centred(right, document.signer_name, size=BODY_SIZE, bold=True)
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_together = True
            paragraph.paragraph_format.keep_with_next = True
