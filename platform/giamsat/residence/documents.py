"""The year-end comment on a member (phiếu nhận xét đảng viên nơi cư trú) and the commune's list,
as Word and Excel in the administrative layout of the documents area.

Every word comes from the catalogue in the reader's language (Vietnamese by default); the
layout's own words (motto, date line, recipients) follow ``AdministrativeDocument.language``.
"""

from __future__ import annotations

import datetime as dt

from giamsat import clock
from giamsat.db.scope import system_scope
from giamsat.documents import (
    AdministrativeDocument,
    Column,
    ColumnKind,
    DocumentKind,
    Paragraph,
    ReportTable,
    Section,
    render_docx,
    write_workbook,
)
from giamsat.documents.heading import standing_board
from giamsat.documents.model import Cell, ParagraphStyle
from giamsat.documents.vndate import short_date
from giamsat.residence.schemas import ResidenceRecord, ResidenceRecordList
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.paths import ancestor_paths
from giamsat.tenancy.tables import Committee
from giamsat.web.i18n import N_, Translator

#: Overall results, as words (the residence channel's year-end form uses the same three).
RESULT_WORDS = {
    "hoan_thanh_tot": N_("Fulfilled the duties well"),
    "hoan_thanh": N_("Fulfilled the duties"),
    "khong_hoan_thanh": N_("Did not fulfil the duties"),
}
RATING_WORDS = {"met": N_("Fulfilled well"), "short": N_("Not yet fulfilled well")}
UNSIGNED = N_("(signature, full name)")


class Issuer:
    """The commune as the documents' header names it, and the place of the date line."""

    def __init__(self, name: str, place: str) -> None:
        self.name = name
        self.place = place


async def issuer(ctx: TenantContext) -> Issuer:
    """The commune's name and the place name of its province (the date line's place)."""
    async with system_scope():
        rows = await Committee.select(Committee.name, Committee.level, Committee.path).where(
            Committee.path.is_in(ancestor_paths(ctx.path))
        )
    province = next((r["name"] for r in rows if r["level"] == "province"), ctx.committee_name)
    for prefix in ("Thành phố ", "Tỉnh "):
        province = province.removeprefix(prefix)
    return Issuer(ctx.committee_name, province)


def _found(value: dt.date, lang: str) -> str:
    return short_date(value) if lang == "vi" else value.isoformat()


def _duty_word(t: Translator, rating: str | None, findings: int) -> str:
    if rating:
        return t.gettext(RATING_WORDS[rating])
    if findings:
        return t.gettext("Not yet fulfilled well (from the findings)")
    return t.gettext("No shortfall recorded")


def _text(record_lang: str, vi: str, en: str) -> str:
    return en if record_lang == "en" else vi


def comment_document(record: ResidenceRecord, who: Issuer, lang: str) -> AdministrativeDocument:
    """Phiếu nhận xét đảng viên nơi cư trú for ``record`` (one member, one year)."""
    t = Translator(lang)
    _ = t.gettext
    org = record.workplace_party_org or _("The party organisation where the member works")
    member = [
        Paragraph(text=_("Full name: %(name)s", name=record.full_name)),
        Paragraph(text=_("Position: %(position)s", position=record.position or "—")),
        Paragraph(text=_("Workplace: %(workplace)s", workplace=record.workplace or "—")),
        Paragraph(
            text=_("Workplace party organisation: %(org)s", org=record.workplace_party_org or "—")
        ),
        Paragraph(
            text=_("Residence party cell: %(cell)s", cell=record.residence_party_cell or "—")
        ),
        Paragraph(text=_("Place of residence: %(commune)s", commune=who.name)),
    ]
    duties = ReportTable(
        key="nhiem_vu",
        title=_("The duties at the place of residence (Regulation 213-QĐ/TW, art. 2)"),
        columns=[
            Column(header=_("No."), kind=ColumnKind.INTEGER, width=5),
            Column(header=_("Duty"), width=40),
            Column(header=_("The commune's comment"), width=18),
            Column(header=_("Number of findings"), kind=ColumnKind.INTEGER, width=9),
        ],
        rows=[
            [n, _text(lang, d.text_vi, d.text_en), _duty_word(t, d.rating, d.findings), d.findings]
            for n, d in enumerate(record.duties, start=1)
        ],
    )
    blocks: list[Paragraph | ReportTable]
    if record.findings:
        blocks = [
            ReportTable(
                key="phan_anh",
                title=_("Findings recorded in %(year)s", year=record.year),
                columns=[
                    Column(header=_("No."), kind=ColumnKind.INTEGER, width=5),
                    Column(header=_("Date"), width=11),
                    Column(header=_("Duty"), width=30),
                    Column(header=_("Source"), width=26),
                ],
                rows=[
                    [
                        n,
                        _found(f.found_on, lang),
                        f"{f.indicator}. {_text(lang, f.duty_vi, f.duty_en)}",
                        f.source or "—",
                    ]
                    for n, f in enumerate(record.findings, start=1)
                ],
            )
        ]
    else:
        blocks = [Paragraph(text=_("No finding was recorded in %(year)s.", year=record.year))]
    result = RESULT_WORDS.get(record.result or "")
    closing = [Paragraph(text=record.comment)] if record.comment else []
    closing.append(
        Paragraph(
            text=_(
                "Result: %(result)s", result=t.gettext(result) if result else _("not yet assessed")
            ),
            style=ParagraphStyle.SUBHEADING,
        )
    )
    board = standing_board(t, who.name)
    return AdministrativeDocument(
        issuing_parent=board.issuing_parent,
        issuing_body=board.issuing_body,
        number=None,
        symbol="PNX-MTTQ",
        place=who.place,
        issued_on=clock.today(),
        kind=DocumentKind.REPORT,
        kind_title=_("COMMENT"),
        title=_(
            "on a party member in regular contact with the party organisation and the "
            "people at the place of residence, %(year)s",
            year=record.year,
        ),
        addressees=[org],
        sections=[
            Section(heading=_("I. THE PARTY MEMBER"), blocks=list(member)),
            Section(heading=_("II. THE DUTIES AT THE PLACE OF RESIDENCE"), blocks=[duties]),
            Section(heading=_("III. FINDINGS OF THE YEAR"), blocks=blocks),
            Section(heading=_("IV. GENERAL COMMENT"), blocks=list(closing)),
        ],
        recipients=[
            _("As above"),
            _("Party committee of %(commune)s", commune=who.name),
            _("Archived: office"),
        ],
        signer_capacity=board.signer_capacity,
        signer_title=board.signer_title,
        signer_name=_(UNSIGNED),
        language=lang,
    )


def comment_docx(record: ResidenceRecord, who: Issuer, lang: str) -> bytes:
    return render_docx(comment_document(record, who, lang))


def list_table(records: ResidenceRecordList, lang: str) -> ReportTable:
    """The commune's list for the workplace party organisations: one row per member."""
    _ = Translator(lang).gettext
    rows: list[list[Cell]] = []
    for n, r in enumerate(records.records, start=1):
        result = RESULT_WORDS.get(r.result or "")
        rows.append(
            [
                n,
                r.full_name,
                r.workplace or "—",
                r.workplace_party_org or "—",
                ", ".join(r.short_duties) or "—",
                r.findings,
                _(result) if result else _("not yet assessed"),
            ]
        )
    return ReportTable(
        key="danh_sach",
        title=_(
            "Comments on party members at the place of residence, %(commune)s, %(year)s",
            commune=records.committee_name,
            year=records.year,
        ),
        sheet_name=_("Comments %(year)s", year=records.year),
        columns=[
            Column(header=_("No."), kind=ColumnKind.INTEGER, width=5),
            Column(header=_("Full name"), width=22),
            Column(header=_("Workplace"), width=24),
            Column(header=_("Workplace party organisation"), width=24),
            Column(header=_("Duties not yet fulfilled well"), width=16),
            Column(header=_("Number of findings"), kind=ColumnKind.INTEGER, width=9),
            Column(header=_("Result"), width=18),
        ],
        rows=rows,
        note=_(
            "Drawn up on %(day)s by %(commune)s.",
            day=_found(clock.today(), lang),
            commune=records.committee_name,
        ),
    )


def list_document(records: ResidenceRecordList, who: Issuer, lang: str) -> AdministrativeDocument:
    t = Translator(lang)
    _ = t.gettext
    board = standing_board(t, who.name)
    return AdministrativeDocument(
        issuing_parent=board.issuing_parent,
        issuing_body=board.issuing_body,
        number=None,
        symbol="DS-MTTQ",
        place=who.place,
        issued_on=clock.today(),
        kind=DocumentKind.REPORT,
        kind_title=_("LIST"),
        title=_(
            "of comments on party members at the place of residence, %(year)s", year=records.year
        ),
        sections=[Section(blocks=[list_table(records, lang)])],
        recipients=[
            _("The workplace party organisations of the members"),
            _("Party committee of %(commune)s", commune=who.name),
            _("Archived: office"),
        ],
        signer_capacity=board.signer_capacity,
        signer_title=board.signer_title,
        signer_name=_(UNSIGNED),
        language=lang,
    )


def list_docx(records: ResidenceRecordList, who: Issuer, lang: str) -> bytes:
    return render_docx(list_document(records, who, lang))


def list_xlsx(records: ResidenceRecordList, who: Issuer, lang: str) -> bytes:
    """The list as a workbook: a title block (issuer, year, date) above the table."""
    return write_workbook([list_table(records, lang)])
