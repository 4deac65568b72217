"""Deciding a batch of committed signals as a set.

1. **Read** (one short scope): the batch's signals, their cadres, the committees involved and
   every cadre's signals over the widest window of the packs in force (one query per table);
   the packs in force come from the process's :mod:`giamsat.plans.in_force`.
2. **Evaluate** in received order, every signal in one hand-off to the engine's thread. Each
   signal's replay is its cadre's rows within its pack's window, as
   :func:`giamsat.plans.facts.window_signals` reads them one signal at a time: signals of the
   same cadre in the same batch see each other as they would one by one (all are committed).
   A signal whose evaluation raises stays ``received``; the others go on.
3. **Write** in one transaction: the per-cadre locks (PostgreSQL), each signal re-read (one
   decided meanwhile by another replica is left alone), the cadres' open cases, then residence
   findings, new cases (one per cadre and handling committee: the first signal in received
   order opens it, the later ones attach), attachments, audit entries, notifications and the
   signals' status, case and version, each table in one statement.

Each step's statements are planned for their own values, as every connection's are
(``giamsat.db.engine.PLANNER_SETTINGS``): the batches' arrays change size, and a generic plan
scanned the whole signal table for each.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import msgspec

from giamsat.cases.bulk_opening import (
    Attachment,
    NewCase,
    attach_signals,
    lock_cadres,
    open_cases,
    open_cases_about,
)
from giamsat.cases.policy import CasePolicy, CommitteeNode
from giamsat.cases.schemas import FiredRule as CaseRule
from giamsat.cases.schemas import OpenCase
from giamsat.db import bulk
from giamsat.db.scope import system_scope
from giamsat.decisions.outcome import NO_PLAN_IN_FORCE, Outcome, count, evaluator
from giamsat.decisions.policy import case_policy
from giamsat.decisions.routing import handling_committee
from giamsat.plans.facts import case_facts, signal_facts, window_days, window_of, window_signals_of
from giamsat.plans.in_force import PacksInForce, packs_in_force
from giamsat.plans.service import PublishedPack
from giamsat.residence.recording import AtResidence, record_findings_many, residence_codes
from giamsat.rulepacks import CaseFacts, CompiledPack, Decision

logger = logging.getLogger("giamsat.decisions")

_SIGNAL_COLUMNS = ("id, committee, tenant_path, channel, kind, cadre, indicator_codes, facts, "
                   "source, received_on, anonymous, status, case_id, pack_version")  # fmt: skip
_CADRE_COLUMNS = ("id, full_name, managing_level, managing_committee, residence_commune, "
                  "party_member, position_kind")  # fmt: skip
_COMMITTEE_COLUMNS = "id, code, name, level, path, parent"
_MARK = [bulk.Column("status", "text"), bulk.Column("case_id", "int"),
         bulk.Column("pack_version", "text")]  # fmt: skip


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[no-any-return]


def _node(row: dict[str, Any]) -> CommitteeNode:
    return CommitteeNode(id=int(row["id"]), code=row["code"], name=row["name"],
                         level=row["level"], path=row["path"], parent_id=row["parent"])  # fmt: skip


class _Evaluated(msgspec.Struct, kw_only=True):
    """A signal the pack decided, with what its writes need."""

    row: dict[str, Any]
    cadre: dict[str, Any]
    receiver: CommitteeNode
    base: PublishedPack
    compiled: CompiledPack
    decision: Decision
    owner: CommitteeNode | None = None
    residence: AtResidence | None = None


class _Read(msgspec.Struct, kw_only=True):
    signals: dict[int, dict[str, Any]]
    cadres: dict[int, dict[str, Any]]
    committees: dict[int, CommitteeNode]


async def _committees(ids: set[int]) -> dict[int, CommitteeNode]:
    wanted = sorted(ids)
    rows = await bulk.fetch_any(
        f"SELECT {_COMMITTEE_COLUMNS} FROM committee WHERE " + bulk.ids_condition("id", wanted),
        wanted,
    )
    return {int(r["id"]): _node(r) for r in rows}


async def _read(signal_ids: list[int]) -> _Read:
    ids = sorted(set(signal_ids))
    signals = await bulk.fetch_any(
        f"SELECT {_SIGNAL_COLUMNS} FROM signal WHERE " + bulk.ids_condition("id", ids), ids
    )
    for row in signals:
        row["received_on"] = _date(row["received_on"])
    cadre_ids = sorted({int(r["cadre"]) for r in signals if r["cadre"] is not None})
    cadres = await bulk.fetch_any(
        f"SELECT {_CADRE_COLUMNS} FROM cadre WHERE " + bulk.ids_condition("id", cadre_ids),
        cadre_ids,
    ) if cadre_ids else []  # fmt: skip
    wanted = {int(r["committee"]) for r in signals}
    for cadre in cadres:
        wanted.update(int(cadre[k]) for k in ("managing_committee", "residence_commune")
                      if cadre[k] is not None)  # fmt: skip
    return _Read(
        signals={int(r["id"]): r for r in signals},
        cadres={int(c["id"]): c for c in cadres},
        committees=await _committees(wanted) if wanted else {},
    )


def _skipped(signal_id: int, row: dict[str, Any] | None) -> Outcome | None:
    """The outcome of a signal there is nothing to decide for, else None."""
    if row is None:
        return Outcome(signal_id=signal_id, status="missing")
    if row["status"] != "received" or row["case_id"] is not None:
        return Outcome(signal_id=signal_id, status=row["status"], case_id=row["case_id"])
    if row["cadre"] is None:
        return Outcome(signal_id=signal_id, status="received")
    return None


class _Plan(msgspec.Struct, kw_only=True):
    """What the read and evaluation give the write step."""

    outcomes: dict[int, Outcome]
    evaluated: list[_Evaluated]
    no_plan: list[dict[str, Any]]


async def _evaluate(signal_ids: list[int], raise_errors: bool) -> _Plan:
    async with system_scope():
        read = await _read(signal_ids)
    packs = await packs_in_force()
    outcomes: dict[int, Outcome] = {}
    todo = []
    for signal_id in dict.fromkeys(signal_ids):
        row = read.signals.get(signal_id)
        skipped = _skipped(signal_id, row)
        if skipped is not None:
            outcomes[signal_id] = skipped
        else:
            assert row is not None
            todo.append(row)
    todo.sort(key=lambda r: (r["received_on"], r["id"]))  # received order, as one by one
    found: dict[int, tuple[PublishedPack, CompiledPack] | None] = {}
    no_plan: list[dict[str, Any]] = []
    for row in todo:
        try:
            receiver = read.committees[int(row["committee"])]
            hit = await packs.in_force(receiver.path, row["received_on"])
        except Exception as exc:
            if raise_errors:
                raise
            _fail(outcomes, row, exc)
            continue
        if hit is None:
            no_plan.append(row)
            outcomes[int(row["id"])] = Outcome(signal_id=int(row["id"]), status="received",
                                               note=NO_PLAN_IN_FORCE)  # fmt: skip
        else:
            found[int(row["id"])] = hit
    decided = [r for r in todo if found.get(int(r["id"])) is not None]
    evaluated = await _decide_all(decided, found, read, packs, outcomes, raise_errors)
    return _Plan(outcomes=outcomes, evaluated=evaluated, no_plan=no_plan)


def _fail(outcomes: dict[int, Outcome], row: dict[str, Any], exc: Exception) -> None:
    count("error")
    logger.debug("rule evaluation error", exc_info=exc)
    logger.warning("deciding signal %s failed: %s", row["id"], type(exc).__name__)
    outcomes[int(row["id"])] = Outcome(signal_id=int(row["id"]), status="received", note="error")


async def _decide_all(
    rows: list[dict[str, Any]],
    found: dict[int, tuple[PublishedPack, CompiledPack] | None],
    read: _Read,
    packs: PacksInForce,
    outcomes: dict[int, Outcome],
    raise_errors: bool,
) -> list[_Evaluated]:
    if not rows:
        return []
    cadre_ids = sorted({int(r["cadre"]) for r in rows})
    widest = max(window_days(hit[1]) for hit in found.values() if hit is not None)
    since = min(r["received_on"] for r in rows) - dt.timedelta(days=widest)
    until = max(r["received_on"] for r in rows)
    async with system_scope():
        replays = await window_signals_of(cadre_ids, since, until)
    work: list[tuple[CompiledPack, CaseFacts]] = []
    ready: list[dict[str, Any]] = []
    for row in rows:
        signal_id = int(row["id"])
        hit = found[signal_id]
        assert hit is not None
        try:
            receiver = read.committees[int(row["committee"])]
            cadre = read.cadres[int(row["cadre"])]
            replay = window_of(replays.get(int(row["cadre"]), []), row["received_on"],
                               window_days(hit[1]), signal_id)  # fmt: skip
            facts = case_facts(signal_id, row["received_on"], receiver.level, cadre, replay,
                               receiver.path)  # fmt: skip
        except Exception as exc:
            if raise_errors:
                raise
            _fail(outcomes, row, exc)
            continue
        work.append((hit[1], facts))
        ready.append(row)
    results = await evaluator().evaluate_each(work)
    evaluated: list[_Evaluated] = []
    routes: dict[tuple[int, str | None, Any], CommitteeNode] = {}
    for row, result in zip(ready, results, strict=True):
        if isinstance(result, Exception):
            if raise_errors:
                raise result
            _fail(outcomes, row, result)
            continue
        hit = found[int(row["id"])]
        assert hit is not None
        base, compiled = hit
        receiver = read.committees[int(row["committee"])]
        cadre = read.cadres[int(row["cadre"])]
        item = _Evaluated(row=row, cadre=cadre, receiver=receiver, base=base,
                          compiled=compiled, decision=result)  # fmt: skip
        try:
            item.residence = _residence(item, read)
            if result.open_case:
                key = (receiver.id, result.route_to_level, cadre.get("managing_committee"))
                if key not in routes:
                    routes[key] = await handling_committee(receiver, result.route_to_level, cadre)
                item.owner = routes[key]
        except Exception as exc:
            if raise_errors:
                raise
            _fail(outcomes, row, exc)
            continue
        evaluated.append(item)
    count("case", sum(1 for e in evaluated if e.decision.open_case))
    count("no_case", sum(1 for e in evaluated if not e.decision.open_case))
    return evaluated


def _residence(item: _Evaluated, read: _Read) -> AtResidence | None:
    """The commune where the member lives (the receiver when none is recorded) and the
    signal's codes among the duties the fired rules record there; None when there are none."""
    decision = item.decision
    codes = residence_codes(item.row, decision.residence_duties)
    if not codes:
        return None
    lives = item.cadre.get("residence_commune")
    commune = read.committees[int(lives)] if lives is not None else item.receiver
    fired = {f.id for f in decision.fired}
    rule = next((r.id for r in item.compiled.rules if r.id in fired
                 and set(r.actions.record_at_residence) & set(codes)), "")  # fmt: skip
    return AtResidence(residence=commune, cadre_id=int(item.cadre["id"]), signal=item.row,
                       codes=codes, rule_id=rule, pack_version=decision.pack_version)  # fmt: skip


async def decide_set(signal_ids: list[int], *, raise_errors: bool = False) -> list[Outcome]:
    """Decide the batch (see the module docstring); the outcomes in the ids' order. With
    ``raise_errors`` an evaluation error propagates instead of leaving its signal received."""
    plan = await _evaluate(signal_ids, raise_errors)
    if plan.evaluated or plan.no_plan:
        async with system_scope():
            await _write(plan)
    return [plan.outcomes[i] for i in signal_ids]


class _Pending(msgspec.Struct, kw_only=True):
    """A signal waiting for the case its cadre's first signal opens in this batch."""

    item: _Evaluated
    opener: int  # index into the new cases


async def _write(plan: _Plan) -> None:
    items = plan.evaluated
    outcomes = plan.outcomes
    await lock_cadres([int(e.cadre["id"]) for e in items])
    ids = [int(e.row["id"]) for e in items] + [int(r["id"]) for r in plan.no_plan]
    now = {int(r["id"]): r for r in await bulk.fetch_any(
        "SELECT id, status, case_id, cadre, pack_version FROM signal WHERE "
        + bulk.ids_condition("id", sorted(ids)), sorted(ids))}  # fmt: skip
    marks: list[list[Any]] = []
    for row in plan.no_plan:
        current = now.get(int(row["id"]))
        if current is None or _skipped(int(row["id"]), current) is not None:
            continue
        if current["pack_version"] != NO_PLAN_IN_FORCE:  # said once; later runs stay quiet
            receiver_code = row["tenant_path"]
            logger.warning("signal %s received on %s at %s: no plan in force for this date; "
                           "it stays received until a pack covering the date is published",
                           row["id"], row["received_on"], receiver_code)  # fmt: skip
            marks.append([int(row["id"]), "received", None, NO_PLAN_IN_FORCE])
        count("no_plan")
    fresh = []
    for item in items:
        signal_id = int(item.row["id"])
        current = now.get(signal_id)
        taken = _skipped(signal_id, current) if current is not None else None
        if current is None or taken is not None:  # decided meanwhile (job and intake overlap)
            outcomes[signal_id] = taken or Outcome(signal_id=signal_id, status="missing")
        else:
            fresh.append(item)
    existing = await open_cases_about(sorted({int(e.cadre["id"]) for e in fresh
                                              if e.decision.open_case}))  # fmt: skip
    await record_findings_many([e.residence for e in fresh if e.residence is not None])
    new_cases: list[NewCase] = []
    openers: dict[tuple[int, int], int] = {}
    attach: list[tuple[_Evaluated, int | None, int | None]] = []  # (item, case id, opener)
    policies: dict[tuple[str, str, str, bool], CasePolicy] = {}
    for item in fresh:
        signal_id, decision = int(item.row["id"]), item.decision
        if not decision.open_case:
            marks.append([signal_id, "evaluated", None, decision.pack_version])
            outcomes[signal_id] = Outcome(
                signal_id=signal_id,
                status="evaluated",
                pack_version=decision.pack_version,
                note="residence" if item.residence is not None else "",
            )
            continue
        assert item.owner is not None
        key = (int(item.cadre["id"]), item.owner.id)
        if key in existing:
            attach.append((item, existing[key], None))
        elif key in openers:
            attach.append((item, None, openers[key]))
        else:
            openers[key] = len(new_cases)
            new_cases.append(_new_case(item, policies))
    case_ids = await open_cases(new_cases)
    for new, case_id in zip(new_cases, case_ids, strict=True):
        signal_id = new.data.signal_ids[0]
        version = new.data.pack_version
        marks.append([signal_id, "attached", case_id, version])
        outcomes[signal_id] = Outcome(signal_id=signal_id, status="attached", case_id=case_id,
                                      pack_version=version, opened=True)  # fmt: skip
    attachments = []
    for item, known, opener in attach:
        case_id = known if known is not None else case_ids[opener or 0]
        signal_id, decision = int(item.row["id"]), item.decision
        assert item.owner is not None
        attachments.append(Attachment(
            case_id=case_id, owner=item.owner, signal_id=signal_id,
            findings=list(decision.findings), rule_ids=[f.id for f in decision.fired],
            pack_version=decision.pack_version,
        ))  # fmt: skip
        marks.append([signal_id, "attached", case_id, decision.pack_version])
        outcomes[signal_id] = Outcome(signal_id=signal_id, status="attached", case_id=case_id,
                                      pack_version=decision.pack_version)  # fmt: skip
    await attach_signals(attachments)
    await bulk.update_rows("signal", bulk.Column("id", "int"), _MARK, marks)


def _new_case(item: _Evaluated, policies: dict[tuple[str, str, str, bool], CasePolicy]) -> NewCase:
    decision, cadre, owner, row = item.decision, item.cadre, item.owner, item.row
    assert owner is not None
    answer = next((c.working_days for c in decision.clocks if c.name == "answer"), None)
    indicator = next((f for f in decision.fired if f.kind == "indicator"), decision.fired[0])
    managing = str(cadre["managing_level"])
    key = (item.base.version, managing, owner.level, decision.propose_delegation)
    if key not in policies:
        policies[key] = case_policy(item.base.compiled(), managing, owner.level,
                                    propose_delegation=decision.propose_delegation)  # fmt: skip
    data = OpenCase(
        owner=owner.code, origin=item.receiver.code, title=indicator.title_vi[:255],
        received_on=row["received_on"], cadre_id=int(cadre["id"]),
        subject_name=str(cadre["full_name"])[:255], priority=decision.priority or "normal",
        complex_case=bool(signal_facts(row).get("complex")),
        managing_level=managing, pack_version=decision.pack_version,
        fired_rules=[CaseRule(id=f.id, title=f.title_vi, title_en=f.title_en, kind=f.kind)
                     for f in decision.fired],
        signal_ids=[int(row["id"])], findings=decision.findings, clock_days=answer,
    )  # fmt: skip
    return NewCase(owner=owner, origin=item.receiver, data=data, policy=policies[key])
