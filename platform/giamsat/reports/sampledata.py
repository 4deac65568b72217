"""Realistic activity for the demo and tests: cadres, signals, cases and findings in real tables.

Deterministic for a given seed so a demo looks the same each time. Reporter identities are never
generated: signals are anonymous or carry no personal data.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import msgspec

from giamsat.cadres.tables import Cadre
from giamsat.cases.tables import Case, Finding
from giamsat.db.scope import tenant_scope
from giamsat.errors import NotFound
from giamsat.signals.tables import Signal
from giamsat.signals.writer import write_signals
from giamsat.tenancy.repository import code_on
from giamsat.tenancy.tables import Committee
from giamsat.web.i18n import N_

CHANNELS = ("workplace", "residence", "citizen")
INDICATORS = tuple(f"DD{i}" for i in range(1, 10)) + tuple(f"NCT{i}" for i in range(1, 8))
RESULTS = ("hoan_thanh_tot", "hoan_thanh", "khong_hoan_thanh")
CASE_STATUSES = ("received", "verifying", "awaiting_answer", "answered", "closed")


class Activity(msgspec.Struct, frozen=True, kw_only=True):
    committee_code: str
    cadres: int
    signals: int
    cases: int


async def generate_activity(
    code: str,
    *,
    cadres: int = 5,
    signals: int = 20,
    cases: int = 3,
    seed: int = 0,
    start: date = date(2022, 1, 10),
    days: int = 300,
) -> Activity:
    """Add ``cadres`` cadres, ``signals`` signals and ``cases`` cases to committee ``code``."""
    committee = (
        await Committee.select(Committee.id, Committee.path, Committee.level)
        .where(code_on(code))
        .first()
    )
    if committee is None:
        raise NotFound(N_("There is no committee with code %(code)s."), params={"code": code})
    rng = random.Random(f"{code}:{seed}")  # noqa: S311 - sample data, not secrets
    cid, path = committee["id"], committee["path"]
    tag = f"{code}-{seed}-{rng.randrange(10**9)}"
    async with tenant_scope(path):
        cadre_ids = []
        for i in range(cadres):
            cadre = Cadre(
                committee=cid,
                tenant_path=path,
                code=f"CB-{tag}-{i}",
                full_name=f"Cán bộ {i}",
                search_name=f"can bo {i}",
                position_kind="cadre",
                managing_level=committee["level"],
            )
            await cadre.save()
            cadre_ids.append(cadre.id)  # type: ignore[attr-defined]
        rows = []
        for i in range(signals):
            channel = rng.choice(CHANNELS)
            kind = "assessment" if channel == "residence" and i % 3 == 0 else "report"
            facts = {"result": rng.choice(RESULTS)} if kind == "assessment" else {}
            rows.append(
                Signal(
                    committee=cid,
                    tenant_path=path,
                    channel=channel,
                    kind=kind,
                    cadre=rng.choice(cadre_ids) if cadre_ids else None,
                    indicator_codes=rng.sample(INDICATORS, rng.randint(1, 2)),
                    facts=facts,
                    received_on=start + timedelta(days=rng.randrange(days)),
                    anonymous=True,
                )
            )
        await write_signals(rows)
        for i in range(cases):
            received = start + timedelta(days=rng.randrange(days))
            case = Case(
                committee=cid,
                tenant_path=path,
                origin_path=path,
                number=f"VV-{tag}-{i}",
                title=f"Vụ việc mẫu số {i + 1}",
                status=rng.choice(CASE_STATUSES),
                received_on=received,
                due_on=received + timedelta(days=28),
                cadre=rng.choice(cadre_ids) if cadre_ids else None,
            )
            await case.save()
            case_id = case.id  # type: ignore[attr-defined]
            # the one case-number format (year/committee/id), as giamsat.cases.opening writes it
            number = f"{received.year}/{code}/{case_id}"
            await Case.update({Case.number: number}).where(Case.id == case_id)
            await Finding(case=case_id, tenant_path=path, indicator=rng.choice(INDICATORS)).save()
    return Activity(committee_code=code, cadres=cadres, signals=signals, cases=cases)
