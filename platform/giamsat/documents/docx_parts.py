"""Low-level python-docx helpers the layout needs but python-docx does not offer.

Borderless layout tables, paragraph rules (the short lines ND30 draws under the issuing
body, the motto and the title), and the page-number field are raw WordprocessingML; they
live here so ``layout`` reads as the document's structure.
"""

from __future__ import annotations

import re
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

FONT = "Times New Roman"


def set_run_font(element: Any) -> None:
    """Point every script slot of a run or style at Times New Roman.

    Word picks the east-Asian or complex-script slot for some Vietnamese characters when
    only ``w:ascii`` is set, which silently switches fonts mid-word.
    """
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def add_text(
    paragraph: Paragraph,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
) -> None:
    """Append ``text`` to ``paragraph``; ``\\n`` becomes a line break inside the paragraph."""
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.italic = italic
        run.font.name = FONT
        set_run_font(run._r)
        if index < len(text.split("\n")) - 1:
            run.add_break()


_BOLD_SPAN = re.compile(r"\*\*(.+?)\*\*")


def add_marked_text(paragraph: Paragraph, text: str, *, size: float, italic: bool) -> None:
    """Like ``add_text`` but ``**…**`` spans are bold ("**Điều 1.** Thành lập …")."""
    position = 0
    for match in _BOLD_SPAN.finditer(text):
        if match.start() > position:
            add_text(paragraph, text[position : match.start()], size=size, italic=italic)
        add_text(paragraph, match.group(1), size=size, bold=True, italic=italic)
        position = match.end()
    if position < len(text):
        add_text(paragraph, text[position:], size=size, italic=italic)


def tighten(paragraph: Paragraph, *, before: float = 0, after: float = 0) -> None:
    """Single line spacing with explicit space before and after (in points)."""
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE


def add_rule(cell: _Cell, *, span_mm: float, length_mm: float) -> Paragraph:
    """A centred horizontal line ``length_mm`` long inside a ``span_mm`` wide column.

    Drawn as the top border of an empty, 1pt-high paragraph whose indents narrow the
    border to the wanted length: unlike a drawing shape it stays in the text flow, so
    LibreOffice and Word place it identically.
    """
    paragraph: Paragraph = cell.add_paragraph()
    side = max((span_mm - length_mm) / 2, 0)
    fmt = paragraph.paragraph_format
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    # A few points of air so the rule clears the descenders of the line above.
    fmt.space_before = Pt(4)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


def make_borderless(table: Table, widths_mm: list[float]) -> None:
    """Fixed column widths, no borders, no cell padding: a pure layout grid."""
    _fix_widths(table, widths_mm)
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)


def _fix_widths(table: Table, widths_mm: list[float]) -> None:
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)


def fix_widths(table: Table, widths_mm: list[float]) -> None:
    """Fixed column widths for a bordered data table."""
    _fix_widths(table, widths_mm)


def mark_header_row(table: Table) -> None:
    """Repeat the first row at the top of every page the table spans."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def keep_row_on_one_page(table: Table) -> None:
    """The signature block must never split: recipients and signer stay on one page."""
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def add_page_number_field(paragraph: Paragraph, *, size: float) -> None:
    """A ``PAGE`` field: Word and LibreOffice fill in the current page number."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    size_element = OxmlElement("w:sz")
    size_element.set(qn("w:val"), str(int(size * 2)))
    rpr.append(size_element)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
