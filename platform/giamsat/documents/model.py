"""The typed shape of an administrative document (văn bản hành chính) and of report tables.

Everything the renderers need is in these msgspec Structs, so a document can be built by
code, decoded from JSON, stored, and rendered to Word or Excel without a database. The
invariants that make a document legally presentable (a title, an issuing body, a signer,
somewhere to send it) are checked in ``__post_init__`` so a bad document never reaches
the renderer.
"""

from __future__ import annotations

import enum
from datetime import date

import msgspec

from giamsat.documents.errors import DocumentError
from giamsat.web.i18n import N_, Word

#: Parts of a document or of its issuing committee that a refusal names.
ISSUING_BODY = Word(N_("issuing body"))
PLACE_NAME = Word(N_("place name of the date line"))


class Withheld(msgspec.Struct, frozen=True, kw_only=True, tag="withheld"):
    """A figure not published (a small count hidden to protect reporters, a lower bound):
    its wording ("dưới 3") stands in a number column, set like the numbers around it."""

    text: str


Cell = str | int | float | Withheld | None
"""One table cell. Dates are given already worded (see ``vndate.short_date``)."""


class DocumentKind(enum.StrEnum):
    """Kinds of document a committee issues (thể loại văn bản, ND30 Phụ lục III)."""

    DECISION = "decision"  # Quyết định
    NOTICE = "notice"  # Thông báo
    PLAN = "plan"  # Kế hoạch
    REPORT = "report"  # Báo cáo
    OUTLINE = "outline"  # Đề cương (báo cáo)
    RECOMMENDATION = "recommendation"  # Kiến nghị
    OFFICIAL_LETTER = "official_letter"  # Công văn: no kind title, "V/v" under the number


KIND_TITLES: dict[DocumentKind, str] = {
    DocumentKind.DECISION: "QUYẾT ĐỊNH",
    DocumentKind.NOTICE: "THÔNG BÁO",
    DocumentKind.PLAN: "KẾ HOẠCH",
    DocumentKind.REPORT: "BÁO CÁO",
    DocumentKind.OUTLINE: "ĐỀ CƯƠNG BÁO CÁO",
    DocumentKind.RECOMMENDATION: "KIẾN NGHỊ",
    DocumentKind.OFFICIAL_LETTER: "",
}

KIND_ABBREVIATIONS: dict[DocumentKind, str] = {
    DocumentKind.DECISION: "QĐ",
    DocumentKind.NOTICE: "TB",
    DocumentKind.PLAN: "KH",
    DocumentKind.REPORT: "BC",
    DocumentKind.OUTLINE: "ĐC",
    DocumentKind.RECOMMENDATION: "KN",
    DocumentKind.OFFICIAL_LETTER: "",
}
"""Abbreviations (chữ viết tắt tên loại văn bản) used to compose the symbol."""

SIGNING_CAPACITIES = ("TM.", "KT.", "TL.", "TUQ.", "Q.")
"""ND30 Điều 8: thay mặt, ký thay, thừa lệnh, thừa ủy quyền, quyền."""


class ParagraphStyle(enum.StrEnum):
    """How a body paragraph is set; the layout maps each to ND30 typography."""

    BODY = "body"  # justified, first-line indent
    ITALIC = "italic"  # legal bases ("Căn cứ …") in decisions
    CENTRED_BOLD = "centred_bold"  # "QUYẾT ĐỊNH:", the deciding authority
    SUBHEADING = "subheading"  # "1. Mục đích", bold


class ColumnKind(enum.StrEnum):
    """What a table column holds; drives Excel number formats and cell alignment."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"  # a fraction: 0.25 shows as 25%


class Paragraph(msgspec.Struct, kw_only=True, tag="paragraph"):
    """One paragraph of body text."""

    text: str
    style: ParagraphStyle = ParagraphStyle.BODY


class Column(msgspec.Struct, kw_only=True):
    """A table column: its Vietnamese header, what it holds and its width."""

    header: str
    kind: ColumnKind = ColumnKind.TEXT
    width: float | None = None
    """Width in Excel character units; Word tables use the widths as proportions."""

    def __post_init__(self) -> None:
        if not self.header.strip():
            raise DocumentError(N_("A table column needs a header."))
        if self.width is not None and self.width <= 0:
            raise DocumentError(
                N_("The column “%(column)s” needs a width above zero."),
                params={"column": self.header},
            )


class ReportTable(msgspec.Struct, kw_only=True, tag="table"):
    """A table of figures, shared by Word bodies and Excel workbooks (bảng số liệu)."""

    key: str
    """Identifier templates use to place the table (``[[bang: key]]``)."""
    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    sheet_name: str | None = None
    """Excel sheet name (max 31 characters); defaults to the key."""
    note: str = ""
    """A line printed under the table (source, unit)."""

    def __post_init__(self) -> None:
        if not self.key.strip():
            raise DocumentError(
                N_("The table “%(table)s” needs a key."), params={"table": self.title}
            )
        if not self.columns:
            raise DocumentError(
                N_("The table “%(table)s” has no columns."), params={"table": self.title}
            )
        width = len(self.columns)
        for number, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise DocumentError(
                    N_(
                        "The table “%(table)s”, row %(row)s: %(cells)s cells for %(columns)s "
                        "columns."
                    ),
                    params={
                        "table": self.title,
                        "row": number,
                        "cells": len(row),
                        "columns": width,
                    },
                )
        for index, column in enumerate(self.columns):
            if column.kind == ColumnKind.TEXT:
                continue
            for number, row in enumerate(self.rows, start=1):
                value = row[index]
                if value is not None and (
                    isinstance(value, bool) or not isinstance(value, int | float | Withheld)
                ):
                    raise DocumentError(
                        N_(
                            "The table “%(table)s”, row %(row)s, column “%(column)s”: %(value)s "
                            "is not a number."
                        ),
                        params={
                            "table": self.title,
                            "row": number,
                            "column": column.header,
                            "value": value,
                        },
                    )


Block = Paragraph | ReportTable


class Section(msgspec.Struct, kw_only=True):
    """A headed part of the body ("I. MỤC ĐÍCH, YÊU CẦU"); the first may have no heading."""

    heading: str | None = None
    blocks: list[Block] = msgspec.field(default_factory=list)


class AdministrativeDocument(msgspec.Struct, kw_only=True):
    """A document in the layout of Nghị định 30/2020/NĐ-CP (thể thức văn bản hành chính).

    ``issuing_parent`` may hold several lines separated by ``\\n`` ("ỦY BAN MTTQ VIỆT NAM\\n
    THÀNH PHỐ HÀ NỘI"); ``number`` is ``None`` for a draft numbered by hand at registration
    (văn thư). ``kind_title`` defaults to the kind's Vietnamese title.
    """

    issuing_parent: str
    issuing_body: str
    number: int | None
    symbol: str
    place: str
    issued_on: date
    kind: DocumentKind
    title: str
    sections: list[Section]
    recipients: list[str]
    signer_capacity: str
    signer_title: str
    signer_name: str
    kind_title: str | None = None
    addressees: list[str] = msgspec.field(default_factory=list)
    """"Kính gửi:" lines printed under the title (letters, recommendations)."""
    language: str = "vi"
    """The language of the layout's own words (motto, date line, "Nơi nhận", "Kính gửi"):
    ``vi``, or ``en`` for a reader working in English."""

    def __post_init__(self) -> None:
        if self.kind_title is None:
            self.kind_title = KIND_TITLES[self.kind]
        required = {
            Word(N_("summary title")): self.title,
            ISSUING_BODY: self.issuing_body,
            Word(N_("document symbol")): self.symbol,
            PLACE_NAME: self.place,
            Word(N_("signer's name")): self.signer_name,
        }
        for part, value in required.items():
            if not value.strip():
                raise DocumentError(N_("The document has no %(part)s."), params={"part": part})
        if self.number is not None and self.number <= 0:
            raise DocumentError(
                N_("The document number must be above zero; %(number)s is not."),
                params={"number": self.number},
            )
        if not self.recipients:
            raise DocumentError(
                N_("The document has no recipients; add at least “%(line)s”."),
                params={"line": "Lưu: VT"},
            )
        capacity = self.signer_capacity.strip()
        if capacity and self.language == "vi" and capacity.split()[0] not in SIGNING_CAPACITIES:
            raise DocumentError(
                N_(
                    "The signer's capacity “%(capacity)s” must start with one of %(known)s, or be "
                    "empty when the head signs."
                ),
                params={"capacity": capacity, "known": ", ".join(SIGNING_CAPACITIES)},
            )

    @property
    def number_line(self) -> str:
        """``Số: 123/QĐ-MTTQ-BTT``; a blank left for hand numbering when ``number`` is None."""
        shown = str(self.number) if self.number is not None else "      "
        return f"Số: {shown}/{self.symbol}"
