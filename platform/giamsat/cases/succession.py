"""When committees merge or split, their open cases continue at the successor.

Closed cases stay where they were decided (history); every row of an open case that carries the
owner's ``tenant_path`` (the case, its events, findings and clock) moves with it, so the
successor's staff see the whole case under row-level security. The committee a case came from
(``origin_path``) does not change. Called by :func:`giamsat.tenancy.service.record_succession`
inside its transaction, so the tree and the cases change together or not at all.
"""

from __future__ import annotations

from giamsat.audit.service import record
from giamsat.cases.statuses import TERMINAL_STATUSES
from giamsat.cases.tables import Case, CaseClock, CaseEvent, Finding
from giamsat.tenancy.schemas import CommitteeView


async def move_open_cases(
    kind: str, predecessor: CommitteeView, successor: CommitteeView, *, label: str = ""
) -> int:
    """Move ``predecessor``'s open cases to ``successor``; returns how many moved. ``label``
    names the reorganisation that moved them, in each case's history."""
    rows = await Case.select(Case.id, Case.status).where(
        (Case.committee == predecessor.id)
        & Case.status.not_in([s.value for s in TERMINAL_STATUSES])
    )
    ids = [int(r["id"]) for r in rows]
    if not ids:
        return 0
    await Case.update({Case.committee: successor.id, Case.tenant_path: successor.path}).where(
        Case.id.is_in(ids)
    )
    for table in (CaseEvent, Finding, CaseClock):
        await table.update({table.tenant_path: successor.path}).where(table.case.is_in(ids))
    word = label or ("sáp nhập" if kind == "merge" else "chia tách")
    for row in rows:
        await CaseEvent.insert(CaseEvent(
            case=row["id"], tenant_path=successor.path, action="moved_by_succession",
            from_status=row["status"], to_status=row["status"],
            reason=f"{word}: {predecessor.name} → {successor.name}",
            details={"kind": kind, "from": predecessor.code, "to": successor.code,
                     "from_name": predecessor.name, "to_name": successor.name,
                     "reorganisation": label},
        ))  # fmt: skip
        await record(successor.id, "case.moved_by_succession", "case", int(row["id"]),
                     {"kind": kind, "from": predecessor.code})  # fmt: skip
    return len(ids)
