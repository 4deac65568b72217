"""Roles of a committee's staff (the departments of DOMAIN.md) and what each may do."""

from __future__ import annotations

from enum import StrEnum

from giamsat.web.i18n import N_


class Role(StrEnum):
    ADMIN = "admin"
    STANDING_BOARD = "standing_board"
    DEMOCRACY_LAW = "democracy_law"
    PROPAGANDA = "propaganda"
    ORGANISATION = "organisation"
    OFFICE = "office"
    PARTNER_OFFICER = "partner_officer"
    READ_ONLY = "read_only"


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: N_("Administrator"),
    Role.STANDING_BOARD: N_("Standing board"),
    Role.DEMOCRACY_LAW: N_("Democracy & Law dept."),
    Role.PROPAGANDA: N_("Propaganda dept."),
    Role.ORGANISATION: N_("Organisation dept."),
    Role.OFFICE: N_("Office"),
    Role.PARTNER_OFFICER: N_("Partner-organisation officer"),
    Role.READ_ONLY: N_("Read-only"),
}

#: Who may change data of the committee's cases (everyone but read-only and partners).
STAFF_ROLES = frozenset(Role) - {Role.READ_ONLY, Role.PARTNER_OFFICER}
#: Who may approve (sign, disclose an identity, publish a pack).
APPROVER_ROLES = frozenset({Role.STANDING_BOARD, Role.ADMIN})


def parse_role(value: str) -> Role:
    from giamsat.errors import InvalidInput

    try:
        return Role(value)
    except ValueError:
        raise InvalidInput(N_("There is no such role."), field="role") from None
