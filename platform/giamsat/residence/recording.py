"""Writing findings onto residence records: the decision step's one way in (``cases`` never
sees them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import msgspec

from giamsat.audit.service import AuditItem, record, record_many
from giamsat.cases.policy import CommitteeNode
from giamsat.db import bulk
from giamsat.residence.tables import ResidenceFinding


def residence_codes(signal: dict[str, Any], duties: list[str]) -> list[str]:
    """The signal's own indicator codes that the fired rules record at the residence, in the
    signal's order (a replayed earlier signal never adds its codes to this one)."""
    wanted = set(duties)
    codes = signal.get("indicator_codes") or []
    if isinstance(codes, str | bytes):  # SQLite hands back a JSON column's text
        codes = msgspec.json.decode(codes)
    return list(dict.fromkeys(str(c) for c in codes if str(c) in wanted))


async def record_findings(
    residence: CommitteeNode,
    cadre_id: int,
    signal: dict[str, Any],
    codes: list[str],
    *,
    rule_id: str,
    pack_version: str,
) -> list[str]:
    """Add ``codes`` as findings of ``signal`` on the member's record at ``residence`` (inside
    an open scope covering it); a code already recorded for the signal is not added twice."""
    signal_id = int(signal["id"])
    rows = await ResidenceFinding.select(ResidenceFinding.indicator).where(
        ResidenceFinding.signal == signal_id
    )
    known = {r["indicator"] for r in rows}
    added = [c for c in codes if c not in known]
    if not added:
        return []
    await ResidenceFinding.insert(
        *[
            ResidenceFinding(
                committee=residence.id,
                tenant_path=residence.path,
                cadre=cadre_id,
                signal=signal_id,
                indicator=code,
                found_on=signal["received_on"],
                channel=str(signal.get("channel") or ""),
                kind=str(signal.get("kind") or ""),
                source=str(signal.get("source") or "")[:255],
                rule_id=rule_id[:80],
                pack_version=pack_version[:80],
            )
            for code in added
        ]
    )
    await record(
        residence.id,
        "residence.finding_recorded",
        "cadre",
        cadre_id,
        {"signal": signal_id, "indicators": added},
    )
    return added


_C = bulk.Column
_FINDING_COLUMNS = [
    _C("committee", "int"), _C("tenant_path", "text"), _C("cadre", "int"), _C("signal", "int"),
    _C("indicator", "text"), _C("found_on", "date"), _C("channel", "text"), _C("kind", "text"),
    _C("source", "text"), _C("rule_id", "text"), _C("pack_version", "text"),
    _C("created_at", "timestamptz"),
]  # fmt: skip


class AtResidence(msgspec.Struct, frozen=True, kw_only=True):
    """One signal's findings for :func:`record_findings_many`."""

    residence: CommitteeNode
    cadre_id: int
    signal: dict[str, Any]
    codes: list[str]
    rule_id: str
    pack_version: str


async def record_findings_many(items: list[AtResidence]) -> None:
    """:func:`record_findings` for many signals at once (one read, one insert, the audit
    entries appended together), in the caller's open scope."""
    if not items:
        return
    signal_ids = sorted({int(i.signal["id"]) for i in items})
    rows = await ResidenceFinding.select(ResidenceFinding.signal,
                                         ResidenceFinding.indicator).where(
        ResidenceFinding.signal.is_in(signal_ids))  # fmt: skip
    known: dict[int, set[str]] = {}
    for row in rows:
        known.setdefault(int(row["signal"]), set()).add(str(row["indicator"]))
    new_rows: list[list[Any]] = []
    audit: list[AuditItem] = []
    now = datetime.now(UTC)
    for item in items:
        signal, signal_id = item.signal, int(item.signal["id"])
        held = known.setdefault(signal_id, set())
        added = [c for c in item.codes if c not in held]
        if not added:
            continue
        held.update(added)
        new_rows += [
            [item.residence.id, item.residence.path, item.cadre_id, signal_id, code,
             signal["received_on"], str(signal.get("channel") or ""),
             str(signal.get("kind") or ""), str(signal.get("source") or "")[:255],
             item.rule_id[:80], item.pack_version[:80], now]
            for code in added
        ]  # fmt: skip
        audit.append(AuditItem(committee_id=item.residence.id,
                               action="residence.finding_recorded", subject_type="cadre",
                               subject_id=item.cadre_id,
                               details={"signal": signal_id, "indicators": added}))  # fmt: skip
    await bulk.insert_rows("residence_finding", _FINDING_COLUMNS, new_rows)
    await record_many(audit)
