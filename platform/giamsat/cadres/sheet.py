"""The cadre register as an Excel workbook: every entry the filters choose (all pages)."""

from __future__ import annotations

import datetime as dt

from giamsat.cadres.schemas import CadreView
from giamsat.documents.heading import made_on
from giamsat.rulepacks import vocabulary
from giamsat.web.i18n import N_, Translator
from giamsat.web.list_sheets import Cell, ListSheet, SheetColumn

#: The managing levels and groups of the register, in the platform's one vocabulary (the
#: register's own "residence" is the residence party cell there).
MANAGING_LEVEL_NAMES = {**vocabulary.MANAGING_LEVELS, "residence": N_("Residence party cell")}
POSITION_KIND_NAMES = vocabulary.POSITIONS


def managing_level_name(value: str, tr: Translator) -> str:
    known = MANAGING_LEVEL_NAMES.get(value)
    return tr.gettext(known) if known else "—"


def position_kind_name(value: str, tr: Translator) -> str:
    known = POSITION_KIND_NAMES.get(value)
    return tr.gettext(known) if known else "—"


def cadres_sheet(
    tr: Translator,
    *,
    issuer: str,
    items: list[CadreView],
    today: dt.date,
    q: str,
    managing_level: str,
) -> ListSheet:
    conditions = []
    if q.strip():
        conditions.append(tr.gettext("Name or code: %(words)s", words=q.strip()))
    if managing_level:
        name = managing_level_name(managing_level, tr)
        conditions.append(tr.gettext("Managed at: %(name)s", name=name))
    if not conditions:
        conditions.append(tr.gettext("The whole register the committee can see"))
    columns = [
        SheetColumn(header=tr.gettext("No."), kind="integer", width=6),
        SheetColumn(header=tr.gettext("Code"), width=14),
        SheetColumn(header=tr.gettext("Full name"), width=28),
        SheetColumn(header=tr.gettext("Position"), width=30),
        SheetColumn(header=tr.gettext("Group"), width=18),
        SheetColumn(header=tr.gettext("Workplace"), width=30),
        SheetColumn(header=tr.gettext("Managed by"), width=22),
        SheetColumn(header=tr.gettext("Party member"), width=10),
        SheetColumn(header=tr.gettext("Committee keeping the entry"), width=30),
    ]
    yes, no = tr.gettext("Yes"), tr.gettext("No")
    rows: list[list[Cell]] = [
        [
            n,
            c.code,
            c.full_name,
            c.position or "",
            position_kind_name(c.position_kind, tr),
            c.workplace or "",
            managing_level_name(c.managing_level, tr),
            yes if c.party_member else no,
            c.committee_name,
        ]
        for n, c in enumerate(items, start=1)
    ]
    return ListSheet(
        sheet_name=tr.gettext("Cadres and party members"),
        issuer=issuer,
        title=tr.gettext("Register of cadres and party members"),
        conditions=conditions,
        made_on=made_on(tr, today),
        columns=columns,
        rows=rows,
        note=tr.ngettext("%(num)d person in all.", "%(num)d people in all.", len(items)),
    )
