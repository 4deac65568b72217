"""Tables of the cadre register."""

from __future__ import annotations

from piccolo.columns import Boolean, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from giamsat.tenancy.tables import Committee


class Cadre(Table, tablename="cadre"):
    """A supervised person (người đứng đầu, cán bộ chủ chốt, cán bộ, đảng viên).

    ``managing_level`` is the level of the party committee that manages the person (cán bộ thuộc
    diện … quản lý) and ``managing_committee`` the Front committee at that level: together they
    drive routing. The row belongs to the committee that keeps it in its register.
    """

    id: Serial  # created by piccolo; declared for type checkers

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    code = Varchar(length=32, index=True)
    full_name = Varchar(length=160)
    search_name = Varchar(length=160, index=True)
    position = Varchar(length=200, default="")
    position_kind = Varchar(length=20)
    workplace = Varchar(length=255, default="")
    residence_commune = ForeignKey(Committee, null=True, on_delete=OnDelete.restrict)
    managing_level = Varchar(length=20)
    managing_committee = ForeignKey(Committee, null=True, on_delete=OnDelete.restrict)
    party_member = Boolean(default=True)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


TABLES = [Cadre]
