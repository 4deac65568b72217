"""Deciding a batch as a set (issue #15): a batch of signals about several cadres gives the same
cases, attachments, findings, residence records, audit entries and notifications as deciding
the same signals one at a time; a signal whose evaluation fails stays ``received`` while the
others are decided; a pack published after a batch decides the next one (the process's packs
are keyed by what is stored); two batches deciding the same cadre at once open one case.
A committee in another province sees none of it. In the 2026 tree, on both backends."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

from giamsat.audit.service import verify_chains
from giamsat.audit.tables import AuditEntry
from giamsat.cadres.tables import Cadre
from giamsat.cases.repository import CaseRepository
from giamsat.cases.schemas import CaseFilter
from giamsat.cases.tables import Case, CaseEvent, Finding
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.decisions.service import NO_PLAN_IN_FORCE, decide_signals
from giamsat.notifications.tables import Notification
from giamsat.plans.service import publish
from giamsat.residence.tables import ResidenceFinding
from giamsat.signals.tables import Signal
from giamsat.signals.writer import NewSignal, write_signals
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.repository import code_on, in_force_on
from giamsat.tenancy.tables import Committee
from tests import tree2026 as t
from tests.conftest import Database
from tests.factories import Factory
from tests.integration.calendar.conftest import frozen_on
from tests.integration.plans.conftest import new_cadre, pack_for

TODAY = dt.date(2026, 12, 21)
#: Per cadre: (managing level, [(channel, kind, indicators, days after the first)]), so that
#: the batch holds signals that open a case, attach to the case their cadre's earlier signal
#: of the same batch opened, record residence duties only, or open nothing.
SCRIPT: list[tuple[str, list[tuple[str, str, list[str], int]]]] = [
    ("commune", [("workplace", "report", [], 0), ("workplace", "report", ["DD5"], 5),
                 ("workplace", "report", ["DD1"], 8)]),
    ("commune", [("citizen", "report", ["DD3"], 1), ("citizen", "report", ["DD3", "DD6"], 2),
                 ("residence", "report", ["NCT3"], 3)]),
    ("commune", [("residence", "report", ["NCT3", "NCT5"], 0)]),
    ("province", [("citizen", "report", ["DD3"], 4), ("workplace", "report", [], 6)]),
    ("commune", [("survey", "survey", [], 2)]),
]  # fmt: skip


async def _context(code: str) -> TenantContext:
    async with system_scope():
        row = await Committee.select().where(code_on(code, TODAY)).first()
    assert row is not None, code
    return TenantContext(committee_id=row["id"], committee_code=code, committee_name=row["name"],
                         committee_level=row["level"], path=row["path"])  # fmt: skip


async def _commune_besides(*codes: str) -> str:
    """A commune of the city in force today other than ``codes``."""
    city = await _context(t.CITY)
    async with system_scope():
        rows = await Committee.select(Committee.code).where(
            (Committee.parent == city.committee_id) & in_force_on(TODAY)
        ).order_by(Committee.code)  # fmt: skip
    return next(str(r["code"]) for r in rows if r["code"] not in codes)


async def _commit(ctx: TenantContext, cadres: list[int], first: dt.date) -> list[list[int]]:
    """The script's signals about ``cadres`` committed at ``ctx`` (no hand-off); their ids per
    cadre, in the script's order."""
    rows = [
        NewSignal(
            committee=ctx.committee_id,
            tenant_path=ctx.path,
            channel=channel,
            kind=kind,
            cadre=cadre,
            indicator_codes=codes,
            received_on=first + dt.timedelta(days=d),
            anonymous=channel == "survey",
        )
        for cadre, (_, signals) in zip(cadres, SCRIPT, strict=True)
        for channel, kind, codes, d in signals
    ]
    async with system_scope():
        ids = await write_signals(rows)
    out, at = [], 0
    for _, signals in SCRIPT:
        out.append(ids[at : at + len(signals)])
        at += len(signals)
    return out


async def _shape(cadre: int, ids: list[int]) -> dict[str, Any]:
    """What deciding a cadre's signals left, with ids replaced by positions (comparable across
    committees)."""
    pos = {signal_id: n for n, signal_id in enumerate(ids)}
    async with system_scope():
        signals = await Signal.select(Signal.id, Signal.status, Signal.case_id,
                                      Signal.pack_version).where(Signal.id.is_in(ids))  # fmt: skip
        columns = (Case.id, Case.committee.level, Case.priority, Case.status, Case.pack_version,
                   Case.title, Case.due_on, Case.number)  # fmt: skip
        cases = await Case.select(*columns).where(Case.cadre == cadre).order_by(Case.id)
        case_ids = [c["id"] for c in cases]
        findings = await Finding.select().where(Finding.case.is_in(case_ids or [0])).order_by(
            Finding.id)  # fmt: skip
        events = await CaseEvent.select(CaseEvent.case, CaseEvent.action).where(
            CaseEvent.case.is_in(case_ids or [0])).order_by(CaseEvent.id)  # fmt: skip
        audit = await AuditEntry.count().where(
            (AuditEntry.action == "case.opened")
            & AuditEntry.subject_id.is_in([str(i) for i in case_ids] or ["-"]))  # fmt: skip
        links = [f"/c/{n['number'].split('/')[1]}/cases/{n['id']}" for n in cases]
        notes = await Notification.count().where(Notification.link.is_in(links or ["-"]))
        residence = await ResidenceFinding.select(ResidenceFinding.signal,
                                                  ResidenceFinding.indicator).where(
            ResidenceFinding.signal.is_in(ids)).order_by(ResidenceFinding.id)  # fmt: skip
    index = {case_id: n for n, case_id in enumerate(case_ids)}
    return {
        "signals": sorted(
            (pos[s["id"]], s["status"], index.get(s["case_id"]), s["pack_version"]) for s in signals
        ),
        "cases": [
            (
                c["committee.level"],
                c["priority"],
                c["status"],
                c["pack_version"],
                c["title"],
                c["due_on"],
                c["number"].endswith(f"/{c['id']}"),
            )
            for c in cases
        ],
        "findings": sorted(
            (index[f["case"]], f["indicator"], pos.get(f["signal_id"]), f["rule_id"])
            for f in findings
        ),
        "events": [(index[e["case"]], e["action"]) for e in events],
        "audit": audit,
        "notifications": notes,
        "residence": [(pos[r["signal"]], r["indicator"]) for r in residence],
    }


async def test_a_batch_decides_as_one_by_one(tree2026: Database) -> None:
    tree2026.bind()
    with frozen_on(TODAY):
        await _a_batch_decides_as_one_by_one(tree2026)


async def _a_batch_decides_as_one_by_one(db: Database) -> None:
    # given two communes of the city, each with staff to notify and five cadres with the same
    # signals committed (the city, where province-managed cadres' cases go, has staff too)
    factory = Factory(db)
    ward, sibling = await _context(t.WARD), await _context(t.SIBLING)
    for code in (t.WARD, t.SIBLING, t.CITY):
        await factory.user(code, "democracy_law", second_factor=False)
    first = TODAY - dt.timedelta(days=40)
    batch_cadres = [await new_cadre(ward, level) for level, _ in SCRIPT]
    single_cadres = [await new_cadre(sibling, level) for level, _ in SCRIPT]
    batch_ids = await _commit(ward, batch_cadres, first)
    single_ids = await _commit(sibling, single_cadres, first)
    # when the ward's are decided as one batch, in no particular order, and the sibling's one
    # signal at a time in received order
    every = [i for ids in batch_ids for i in ids]
    outcomes = await decide_signals(list(reversed(every)))
    async with system_scope():
        singles = await Signal.select(Signal.id).where(
            Signal.id.is_in([i for ids in single_ids for i in ids])
        ).order_by(Signal.received_on).order_by(Signal.id)  # fmt: skip
    for row in singles:
        await decide_signals([row["id"]])
    # then the outcomes come back in the order asked, and nothing stays undecided
    assert [o.signal_id for o in outcomes] == list(reversed(every))
    assert {o.status for o in outcomes} <= {"attached", "evaluated"}
    # then each cadre's cases, attachments, findings, history, residence records, audit
    # entries and notifications are the same either way
    for cadre_b, ids_b, cadre_s, ids_s in zip(batch_cadres, batch_ids, single_cadres, single_ids,
                                              strict=True):  # fmt: skip
        assert await _shape(cadre_b, ids_b) == await _shape(cadre_s, ids_s)
    # then concretely: the second workplace report opened the first cadre's one case and the
    # third attached to it; the second citizen report joined the case the first opened (its
    # new finding added, DD3 not twice); the residence report, with the citizens' reports in its
    # window, joined that case too and recorded its duties at the residence; the cadre with a
    # residence report alone has no case, only the record
    first_cadre = await _shape(batch_cadres[0], batch_ids[0])
    assert [s[1:3] for s in first_cadre["signals"]] == [("evaluated", None), ("attached", 0),
                                                        ("attached", 0)]  # fmt: skip
    assert [e[1] for e in first_cadre["events"]] == ["opened", "signal_attached"]
    second = await _shape(batch_cadres[1], batch_ids[1])
    assert [s[1:3] for s in second["signals"]] == [("attached", 0)] * 3
    assert [f[1] for f in second["findings"]].count("DD3") == 1
    assert second["audit"] == 1 and second["notifications"] == 1
    assert second["residence"] == [(2, "NCT3")]
    third = await _shape(batch_cadres[2], batch_ids[2])
    assert third["cases"] == [] and third["residence"] == [(0, "NCT3"), (0, "NCT5")]
    province = await _shape(batch_cadres[3], batch_ids[3])
    assert province["cases"][0][0] == "province"  # routed to the city
    # then every chain still verifies
    assert (await verify_chains()).breaks == []
    # then a commune in another province sees none of these cases
    outsider = await _context(t.OTHER_COMMUNE)
    async with tenant_scope(outsider.path):
        assert await CaseRepository(outsider).count(CaseFilter()) == 0


async def test_a_failing_signal_stays_received_and_the_others_are_decided(
    tree2026: Database,
) -> None:
    tree2026.bind()
    with frozen_on(TODAY):
        # given three citizen reports about three cadres of the ward, one of whose register
        # entry names a managing level no pack knows (its evaluation raises)
        ward = await _context(t.WARD)
        cadres = [await new_cadre(ward, "commune") for _ in range(3)]
        async with system_scope():
            await Cadre.update({Cadre.managing_level: "nowhere"}).where(Cadre.id == cadres[1])
            ids = await write_signals([
                NewSignal(committee=ward.committee_id, tenant_path=ward.path, channel="citizen",
                          kind="report", cadre=c, indicator_codes=["DD3"],
                          received_on=TODAY - dt.timedelta(days=3))
                for c in cadres
            ])  # fmt: skip
        # when the batch is decided
        outcomes = await decide_signals(ids)
        # then the failing one stays received (for a later run), the others open their cases
        assert [(o.status, o.note, o.opened) for o in outcomes] == [
            ("attached", "", True),
            ("received", "error", False),
            ("attached", "", True),
        ]
        async with system_scope():
            rows = await Signal.select(Signal.id, Signal.status).where(Signal.id.is_in(ids))
        assert {r["id"]: r["status"] for r in rows}[ids[1]] == "received"


async def test_a_pack_published_after_a_batch_decides_the_next(
    tree2026: Database, tmp_path: Path
) -> None:
    tree2026.bind()
    with frozen_on(TODAY):
        # given a commune's report received in 2025, a year no stored pack covers, decided
        # once (it stays received, saying there is no plan in force)
        code = await _commune_besides(t.WARD, t.SIBLING)
        commune = await _context(code)
        cadre = await new_cadre(commune, "commune")
        async with system_scope():
            ids = await write_signals([NewSignal(
                committee=commune.committee_id, tenant_path=commune.path, channel="citizen",
                kind="report", cadre=cadre, indicator_codes=["DD3"],
                received_on=dt.date(2025, 9, 1))])  # fmt: skip
        assert [o.note for o in await decide_signals(ids)] == [NO_PLAN_IN_FORCE]
        # when the commune publishes its own pack in force from August 2025
        view = await publish(pack_for(tmp_path, 2026, code), code, dt.date(2025, 8, 1))
        # then the next batch decides the signal with the new version
        outcomes = await decide_signals(ids)
        assert [(o.status, o.opened, o.pack_version) for o in outcomes] == [
            ("attached", True, view.version)]  # fmt: skip


async def test_two_batches_deciding_one_cadre_at_once_open_one_case(tree2026: Database) -> None:
    tree2026.bind()
    with frozen_on(TODAY):
        # given three citizen reports about one cadre, each of which opens a case on its own
        ward = await _context(t.WARD)
        cadre = await new_cadre(ward, "commune")
        async with system_scope():
            ids = await write_signals([
                NewSignal(committee=ward.committee_id, tenant_path=ward.path, channel="citizen",
                          kind="report", cadre=cadre, indicator_codes=["DD3"],
                          received_on=TODAY - dt.timedelta(days=d))
                for d in (5, 4, 3)
            ])  # fmt: skip
        # when two replicas decide overlapping batches at the same time
        await asyncio.gather(decide_signals(ids[:2]), decide_signals(ids[1:][::-1]))
        # then the cadre has exactly one case, every signal attached to it once
        async with system_scope():
            cases = await Case.select(Case.id).where(Case.cadre == cadre)
            rows = await Signal.select(Signal.case_id).where(Signal.id.is_in(ids))
            events = await CaseEvent.select(CaseEvent.action).where(
                CaseEvent.case == cases[0]["id"])  # fmt: skip
        assert len(cases) == 1
        assert {r["case_id"] for r in rows} == {cases[0]["id"]}
        assert sorted(e["action"] for e in events) == ["opened", "signal_attached",
                                                       "signal_attached"]  # fmt: skip
