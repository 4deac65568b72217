"""Periodic work of the audit log: verify every chain once a day."""

from __future__ import annotations

from datetime import timedelta

from giamsat.audit.service import verify_chains
from giamsat.errors import GiamsatError
from giamsat.jobs.registry import JobContext, JobRegistry


class AuditChainBroken(GiamsatError):
    code = "audit_chain_broken"


async def verify_all(ctx: JobContext) -> str:
    """Check every committee's audit chain (kiểm tra chuỗi nhật ký); a break fails the run."""
    report = await verify_chains()
    if report.breaks:
        names = "; ".join(b.describe() for b in report.breaks[:5])
        raise AuditChainBroken(f"{len(report.breaks)} broken chains: {names}")
    return f"ok: {report.entries} entries in {report.chains} chains"


def register_jobs(registry: JobRegistry) -> None:
    registry.register_job("audit.verify", timedelta(days=1), verify_all)
