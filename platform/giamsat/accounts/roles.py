"""Roles of a committee's staff (the departments of DOMAIN.md) and what each may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    STANDING_BOARD = "standing_board"
    DEMOCRACY_LAW = "democracy_law"
    PROPAGANDA = "propaganda"
    ORGANISATION = "organisation"
    OFFICE = "office"
    PARTNER_OFFICER = "partner_officer"
    READ_ONLY = "read_only"


ROLE_LABELS: dict[Role, tuple[str, str]] = {
    Role.ADMIN: ("Quản trị hệ thống", "Administrator"),
    Role.STANDING_BOARD: ("Ban Thường trực", "Standing board"),
    Role.DEMOCRACY_LAW: ("Ban Dân chủ – Pháp luật", "Democracy & Law dept."),
    Role.PROPAGANDA: ("Ban Tuyên giáo", "Propaganda dept."),
    Role.ORGANISATION: ("Ban Tổ chức", "Organisation dept."),
    Role.OFFICE: ("Văn phòng", "Office"),
    Role.PARTNER_OFFICER: ("Cán bộ tổ chức thành viên", "Partner-organisation officer"),
    Role.READ_ONLY: ("Chỉ xem", "Read-only"),
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
        allowed = ", ".join(r.value for r in Role)
        raise InvalidInput(f"unknown role {value!r}: use one of {allowed}", field="role") from None
