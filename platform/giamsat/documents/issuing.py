"""Who issues a document and under which number: the parts every builder shares."""

from __future__ import annotations

from datetime import date

import msgspec

from giamsat.documents.errors import DocumentError
from giamsat.documents.model import (
    ISSUING_BODY,
    KIND_ABBREVIATIONS,
    PLACE_NAME,
    AdministrativeDocument,
    DocumentKind,
)
from giamsat.documents.wording import Wording
from giamsat.web.i18n import N_, Word


class Committee(msgspec.Struct, kw_only=True):
    """The issuing committee as its header and body text name it.

    ``parent`` is the upper header line(s), ``\\n`` separating lines ("ỦY BAN MTTQ VIỆT NAM\\n
    THÀNH PHỐ HÀ NỘI"); ``body`` the issuing organ ("BAN THƯỜNG TRỰC"); ``full_name`` the
    name used inside sentences; ``symbol_suffix`` follows the kind abbreviation in the
    symbol ("QĐ-MTTQ-BTT"); ``place`` is the place name of the date line ("Hà Nội").
    """

    parent: str
    full_name: str
    place: str
    body: str = "BAN THƯỜNG TRỰC"
    symbol_suffix: str = "MTTQ-BTT"

    def __post_init__(self) -> None:
        for part, value in (
            (Word(N_("governing body")), self.parent),
            (Word(N_("full name of the issuing committee")), self.full_name),
            (PLACE_NAME, self.place),
            (ISSUING_BODY, self.body),
            (Word(N_("ending of the document symbol")), self.symbol_suffix),
        ):
            if not value.strip():
                raise DocumentError(
                    N_("The issuing committee has no %(part)s."), params={"part": part}
                )

    def symbol(self, kind: DocumentKind) -> str:
        """The document symbol (ký hiệu), e.g. ``QĐ-MTTQ-BTT``."""
        abbreviation = KIND_ABBREVIATIONS[kind]
        return f"{abbreviation}-{self.symbol_suffix}" if abbreviation else self.symbol_suffix


class Signer(msgspec.Struct, kw_only=True):
    """Who signs: capacity line ("TM. BAN THƯỜNG TRỰC"), title ("PHÓ CHỦ TỊCH"), name."""

    capacity: str
    title: str
    name: str


class DocumentIssue(msgspec.Struct, kw_only=True):
    """Registration data of one document: number (None: numbered by hand), date, extras.

    ``recipients`` are added to the template's own "Nơi nhận" lines; ``signer`` replaces
    the facts' default signer for this one document.
    """

    issued_on: date
    number: int | None = None
    recipients: list[str] = msgspec.field(default_factory=list)
    signer: Signer | None = None


def compose(
    kind: DocumentKind,
    committee: Committee,
    issue: DocumentIssue,
    wording: Wording,
    signer: Signer,
) -> AdministrativeDocument:
    """Assemble header data, rendered wording and signature into one document."""
    chosen = issue.signer or signer
    return AdministrativeDocument(
        issuing_parent=committee.parent,
        issuing_body=committee.body,
        number=issue.number,
        symbol=committee.symbol(kind),
        place=committee.place,
        issued_on=issue.issued_on,
        kind=kind,
        kind_title=wording.kind_title,
        title=wording.title,
        addressees=wording.addressees,
        sections=wording.sections,
        recipients=wording.recipients,
        signer_capacity=chosen.capacity,
        signer_title=chosen.title,
        signer_name=chosen.name,
    )
