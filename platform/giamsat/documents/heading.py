"""The heading a committee's papers open with and the signature they close with, in one place.

A Word document of the standing board (a comment on a member, the commune's list) names the
Front's committee above its standing board and is signed on the board's behalf by its chair; a
staff list downloaded as a workbook opens with the committee's name and closes its title block
with the day it was made. Every word comes from the catalogue in the reader's language, through
whatever translator the caller holds (this library reads no catalogue itself).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

import msgspec

from giamsat.documents.vndate import long_date


class Words(Protocol):
    """A translator of the catalogue: ``gettext`` in ``language`` (``giamsat.web.i18n``)."""

    @property
    def language(self) -> str: ...

    def gettext(self, message: str, **variables: Any) -> str: ...


class BoardHeading(msgspec.Struct, frozen=True, kw_only=True):
    """The header's two organs and the closing's signature lines of a standing-board paper."""

    issuing_parent: str
    issuing_body: str
    signer_capacity: str
    signer_title: str


def standing_board(words: Words, committee_name: str) -> BoardHeading:
    """The Front's committee of ``committee_name`` above its standing board, signed by the
    chair on the board's behalf (ỦY BAN MTTQ VIỆT NAM / XÃ … / BAN THƯỜNG TRỰC)."""
    return BoardHeading(
        issuing_parent=words.gettext("VIETNAM FATHERLAND FRONT COMMITTEE")
        + "\n"
        + committee_name.upper(),
        issuing_body=words.gettext("STANDING BOARD"),
        signer_capacity=words.gettext("ON BEHALF OF THE STANDING BOARD"),
        signer_title=words.gettext("CHAIR"),
    )


def made_on(words: Words, today: dt.date) -> str:
    """The title block's last line: "Lập ngày 26 tháng 02 năm 2025", or "Made on 26/02/2025"."""
    if words.language == "en":
        return words.gettext("Made on %(date)s", date=today.strftime("%d/%m/%Y"))
    return words.gettext("Made on %(date)s", date=long_date(today))
