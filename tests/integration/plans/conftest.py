"""Helpers of the plan tests: a pack copied for a test district, cadres and signals in it.

Each test publishes for its own district (the copied pack names that district as its issuer),
so the shared session database never has a pack in force for other areas' tests.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from pathlib import Path

from giamsat.cadres.tables import Cadre
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.decisions.service import decide_signals
from giamsat.signals.tables import Signal
from giamsat.signals.writer import write_signal
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.tables import Committee
from tests.integration.audit.conftest import context_for

REPO = Path(__file__).resolve().parents[3]
RULES = REPO / "rules"
MALFORMED = REPO / "tests" / "unit" / "rulepacks" / "malformed"
_codes = itertools.count(1)

__all__ = ["MALFORMED", "RULES", "context_for", "first_child", "new_cadre", "pack_for", "send"]


def pack_for(tmp_path: Path, year: int, issuer: str) -> Path:
    """The city's pack of ``year`` copied with ``issuer`` as its issuing committee."""
    target = tmp_path / f"{year}-{issuer}"
    shutil.copytree(RULES / f"{year}-ha-noi", target)
    pack = target / "pack.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace(
        'issuing_committee: "01"', f'issuing_committee: "{issuer}"'), encoding="utf-8")  # fmt: skip
    return target


async def first_child(code: str) -> str:
    async with system_scope():
        parent = await Committee.select(Committee.id).where(Committee.code == code).first()
        assert parent is not None
        child = await Committee.select(Committee.code).where(
            Committee.parent == parent["id"]).order_by(Committee.code).first()  # fmt: skip
    assert child is not None
    return str(child["code"])


async def new_cadre(ctx: TenantContext, managing_level: str, *, position: str = "cadre") -> int:
    code = f"PL{next(_codes):04d}{ctx.committee_code}"
    async with tenant_scope(ctx.path):
        row = Cadre(committee=ctx.committee_id, tenant_path=ctx.path, code=code,
                    full_name=f"Cán bộ {code}", search_name=f"can bo {code.lower()}",
                    position_kind=position, managing_level=managing_level,
                    party_member=True)  # fmt: skip
        await row.save()
    return int(row.id)


async def send(ctx: TenantContext, cadre: int, channel: str, kind: str, received: dt.date,
               indicators: list[str] | None = None, **facts: object) -> int:  # fmt: skip
    """Commit one signal at ``ctx``'s committee, then decide it."""
    async with tenant_scope(ctx.path):
        row = Signal(committee=ctx.committee_id, tenant_path=ctx.path, channel=channel,
                     kind=kind, cadre=cadre, indicator_codes=indicators or [], facts=dict(facts),
                     received_on=received, status="received")  # fmt: skip
        await write_signal(row)
    await decide_signals([int(row.id)])
    return int(row.id)
