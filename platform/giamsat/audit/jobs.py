"""Periodic work of the audit log: verify every chain once a day."""

from __future__ import annotations

from datetime import timedelta

from giamsat.audit.service import verify_chains
from giamsat.clock import today
from giamsat.db.scope import system_scope
from giamsat.errors import GiamsatError
from giamsat.jobs.registry import JobContext, JobRegistry
from giamsat.tenancy.repository import in_force_on
from giamsat.tenancy.tables import Committee
from giamsat.web.i18n import N_


class AuditChainBroken(GiamsatError):
    code = "audit_chain_broken"


async def _names(codes: list[str]) -> list[str]:
    """The committees of ``codes`` by name (a code no committee holds today: the code)."""
    async with system_scope():
        rows = await Committee.select(Committee.code, Committee.name).where(
            Committee.code.is_in(codes) & in_force_on(today())
        )
    named = {row["code"]: row["name"] for row in rows}
    return [named.get(code, code) for code in codes]


async def verify_all(ctx: JobContext) -> str:
    """Check every committee's audit chain (kiểm tra chuỗi nhật ký); a break fails the run."""
    report = await verify_chains()
    if report.breaks:
        names = await _names([b.committee_code for b in report.breaks[:5]])
        raise AuditChainBroken(
            N_(
                "The audit log of %(count)s committees no longer verifies (%(committees)s); "
                "`giamsat audit verify` names each broken entry."
            ),
            params={"count": len(report.breaks), "committees": "; ".join(names)},
        )
    return f"ok: {report.entries} entries in {report.chains} chains"


def register_jobs(registry: JobRegistry) -> None:
    registry.register_job("audit.verify", timedelta(days=1), verify_all)
