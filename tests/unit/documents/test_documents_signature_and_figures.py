"""Documents ready to sign: the signature block keeps to its last paragraph, no blank parts
in a member's line, figures right-aligned in Vietnamese number style, the workbook's title
block and named sheets, the suppression rule in words."""

from __future__ import annotations

import io
from datetime import date

import docx
import msgspec
import openpyxl
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from tests.unit.documents.rendered import (
    converter_missing,
    docx_text,
    misaligned_numbers,
    misaligned_xlsx_numbers,
    must_convert,
    squeeze,
    word_pdf_pages_many,
)

from giamsat.documents import (
    Column,
    ColumnKind,
    DelegationFacts,
    DelegationMember,
    DocumentIssue,
    MemberRole,
    PeriodicReportFacts,
    ReportTable,
    Withheld,
    WorkbookHeading,
    build_delegation_decision,
    build_periodic_report,
    format_number,
    render_docx,
    write_workbook,
)

LAST_WORDS = "thi hành Quyết định này"


def _decision(facts: DelegationFacts, extra_bases: int = 0) -> bytes:
    """The decision, made longer by ``extra_bases`` one-line legal bases."""
    longer = msgspec.structs.replace(
        facts, legal_bases=[f"Căn cứ Văn bản số {n}/VB-MTTQ năm 2022" for n in range(extra_bases)]
    )
    return render_docx(
        build_delegation_decision(longer, DocumentIssue(issued_on=date(2022, 7, 1), number=15))
    )


def _kept_with_closing(content: bytes) -> None:
    """The properties that hold the closing block to the last paragraph, as Word reads them."""
    document = docx.Document(io.BytesIO(content))
    body = document.paragraphs
    at = max(i for i, p in enumerate(body) if p.text.strip())
    last = body[at]
    assert LAST_WORDS in last.text
    assert last.paragraph_format.keep_with_next and last.paragraph_format.keep_together
    assert all(p.paragraph_format.keep_with_next for p in body[at + 1 :])
    closing = document.tables[-1]
    assert closing.rows[0]._tr.trPr is not None
    assert closing.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:cantSplit")) is not None
    cells = closing.rows[0].cells
    assert cells[0].paragraphs[0].text == "Nơi nhận:"
    assert all(p.paragraph_format.keep_together for c in cells for p in c.paragraphs)


def test_the_signature_block_shares_a_page_with_the_decisions_last_paragraph(
    facts: DelegationFacts,
) -> None:
    # given the decision at lengths that move a page break through its closing lines
    lengths = list(range(14, 34, 2))
    documents = [_decision(facts, n) for n in lengths]
    # then each keeps its last paragraph with "Nơi nhận" and the signature (as Word reads it)
    for content in documents:
        _kept_with_closing(content)
    missing = converter_missing()
    if missing:
        assert not must_convert(), f"CI installs LibreOffice (make system-deps): {missing}"
        return
    # and in the PDF LibreOffice renders, the page with the signature holds the last paragraph
    rendered = word_pdf_pages_many(documents)
    for n, pages in zip(lengths, rendered, strict=True):
        signed = [i for i, page in enumerate(pages) if "Nơinhận" in squeeze(page)]
        last = [i for i, page in enumerate(pages) if squeeze(LAST_WORDS) in squeeze(page)]
        assert len(signed) == 1 and last == signed, (n, len(pages), last, signed)
        assert squeeze(facts.signer.name) in squeeze(pages[signed[0]])
    # and the sweep did cross a page break, so the check above meant something
    assert len({len(pages) for pages in rendered}) > 1


def test_a_member_without_a_post_prints_without_empty_parts(facts: DelegationFacts) -> None:
    # given a member with no post and a deputy with neither post nor organisation
    members = [
        msgspec.structs.replace(facts.members[0], organisation=""),
        *facts.members[1:],
        DelegationMember(name="Vũ Thị Hoa", role=MemberRole.MEMBER, position="", organisation=""),
    ]
    text = docx_text(_decision(msgspec.structs.replace(facts, members=members)))
    # then the lines read "Đồng chí A, Phó Chủ tịch - Trưởng đoàn;" and "Đồng chí Vũ Thị Hoa -"
    head = members[0]
    assert f"Đồng chí {head.name}, {head.position} - Trưởng đoàn;" in text
    assert "Đồng chí Vũ Thị Hoa - Thành viên;" in text
    for broken in (",  -", ", -", ", ,", ",,", "  "):
        assert broken not in text, broken


def test_figures_are_right_aligned_and_written_the_vietnamese_way(
    periodic: PeriodicReportFacts,
) -> None:
    # given a report whose table holds thousands, percentages and a withheld count
    table = ReportTable(
        key="so_lieu",
        title="Số liệu",
        columns=[
            Column(header="Đơn vị"),
            Column(header="Phản ánh", kind=ColumnKind.INTEGER),
            Column(header="Tỷ lệ", kind=ColumnKind.PERCENT),
        ],
        rows=[["Quận Ba Đình", 12345, 0.125], ["Xã Phú Cát", Withheld(text="dưới 3"), 0.5]],
    )
    report = msgspec.structs.replace(periodic, tables=[table])
    content = render_docx(build_periodic_report(report, DocumentIssue(issued_on=date(2022, 12, 1))))
    # then the cells read 12.345, 12,5 % and "dưới 3", every figure right-aligned
    document = docx.Document(io.BytesIO(content))
    grid = next(t for t in document.tables if t.rows[0].cells[0].text == "Đơn vị")
    assert [c.text for c in grid.rows[1].cells] == ["Quận Ba Đình", "12.345", "12,5\u00a0%"]
    assert grid.rows[2].cells[1].text == "dưới 3"
    assert grid.rows[2].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert grid.rows[1].cells[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert misaligned_numbers(content) == []
    # and English readers get English numbers
    assert format_number(12345, ColumnKind.INTEGER, "en") == "12,345"
    assert format_number(0.125, ColumnKind.PERCENT, "en") == "12.5\u00a0%"


def test_the_workbook_has_a_title_block_named_sheets_and_right_aligned_figures() -> None:
    # given a table with a withheld count, written with a heading
    table = ReportTable(
        key="don_vi",
        title="Tình hình báo cáo của các đơn vị trực thuộc",
        sheet_name="Đơn vị trực thuộc",
        columns=[
            Column(header="Đơn vị"),
            Column(header="Phản ánh", kind=ColumnKind.INTEGER),
            Column(header="Tỷ lệ", kind=ColumnKind.PERCENT),
        ],
        rows=[["Quận Ba Đình", 1234, 0.5], ["Xã Phú Cát", Withheld(text="dưới 3"), None]],
    )
    heading = WorkbookHeading(
        issuing_body="Ban Thường trực Ủy ban MTTQ Việt Nam Quận Ba Đình",
        title="Số liệu kết quả giám sát",
        period="Kỳ báo cáo: Năm 2022",
        place="Ba Đình",
        issued_on=date(2022, 12, 5),
    )
    book = openpyxl.load_workbook(io.BytesIO(write_workbook([table], heading)))
    # then the sheet is named with its diacritics and opens with the title block
    assert book.sheetnames == ["Đơn vị trực thuộc"]
    sheet = book["Đơn vị trực thuộc"]
    top = [sheet.cell(row, 1).value for row in range(1, 5)]
    assert top == [
        "BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM QUẬN BA ĐÌNH",
        "SỐ LIỆU KẾT QUẢ GIÁM SÁT",
        "Kỳ báo cáo: Năm 2022",
        "Ba Đình, ngày 05 tháng 12 năm 2022",
    ]
    # and the figures are numbers, right-aligned, with number formats; the withheld one in words
    values = {
        row[0].value: row
        for row in sheet.iter_rows()
        if row[0].value in ("Quận Ba Đình", "Xã Phú Cát")
    }
    assert values["Quận Ba Đình"][1].value == 1234
    assert values["Xã Phú Cát"][1].value == "dưới 3"
    assert values["Xã Phú Cát"][1].alignment.horizontal == "right"
    assert misaligned_xlsx_numbers(io.BytesIO(write_workbook([table], heading)).getvalue()) == []


def test_a_withheld_figure_is_refused_nowhere_but_free_text_in_a_number_column_is() -> None:
    columns = [Column(header="Đơn vị"), Column(header="Số vụ", kind=ColumnKind.INTEGER)]
    ReportTable(key="t", title="T", columns=columns, rows=[["A", Withheld(text="dưới 3")]])
    with pytest.raises(Exception, match="is not a number"):
        ReportTable(key="t", title="T", columns=columns, rows=[["A", "<3"]])
