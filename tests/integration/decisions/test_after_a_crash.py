"""Journey 6 (after a crash): signals committed while the decision step was cut off are all
decided by the ``decisions.pending`` job within its one-minute slot, none lost and none twice;
``/metrics`` shows how many wait and the oldest's age; a replayed Idempotency-Key answers the
same and decides too. A commune elsewhere sees nothing of it. In both trees (conftest.py).
The real ``kill -9`` of a served process: tests/multiprocess/test_kill_between_commit.py."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import httpx

from giamsat.cases.tables import Case, CaseEvent
from giamsat.channels import ChannelRegistry
from giamsat.db.scope import system_scope
from giamsat.decisions.jobs import register_jobs
from giamsat.intake import service
from giamsat.jobs.registry import JobRegistry
from giamsat.jobs.runner import run_job
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext
from tests.integration.decisions.conftest import Tree, cadre_code
from tests.integration.intake.conftest import enable
from tests.integration.plans.conftest import new_cadre


async def cut_off(ctx: TenantContext, ids: list[int]) -> None:
    """The process died between the commit and the decision: nothing is decided."""


async def _metric(client: httpx.AsyncClient, name: str, **labels: str) -> float:
    text = (await client.get("/metrics")).text
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    pattern = rf"^{name}\{{{re.escape(wanted)}\}} (\S+)$" if labels else rf"^{name} (\S+)$"
    match = re.search(pattern, text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def _signals(ids: list[int]) -> list[dict[str, object]]:
    async with system_scope():
        return list(await Signal.select(Signal.id, Signal.status, Signal.case_id).where(
            Signal.id.is_in(ids)).order_by(Signal.id))  # fmt: skip


def _report(cadre_code: str, indicator: str) -> dict[str, str]:
    return {"cadre": cadre_code, "indicator": indicator, "union": "CĐ xã", "content": "Nội dung"}


async def test_every_committed_signal_is_decided_once_after_a_crash(
    tree: Tree, registry: ChannelRegistry
) -> None:
    with tree.frozen():
        await _every_committed_signal_is_decided_once(tree, registry)


async def _every_committed_signal_is_decided_once(tree: Tree, registry: ChannelRegistry) -> None:
    db, factory, received = tree.db, tree.factory, tree.day(-30)
    # given the pack in force and a commune taking workplace reports about three
    # commune-managed cadres
    commune = await tree.context(tree.ward)
    await enable(commune, registry, "workplace")
    codes = [await cadre_code(await new_cadre(commune, "commune")) for _ in range(3)]
    # when six reports (two per cadre) are committed and the process dies before deciding them
    ids: list[int] = []
    for code in codes:
        for indicator in ("DD3", "DD5"):
            result = await service.submit_form(
                commune, registry, "workplace", "report", _report(code, indicator),
                received_on=received, decide=cut_off,
            )  # fmt: skip
            ids += result.signal_ids
    assert [s["status"] for s in await _signals(ids)] == ["received"] * 6
    # then /metrics shows them waiting, the oldest for some time already
    client = factory.client()
    assert await _metric(client, "giamsat_signals_undecided", reason="waiting") >= 6
    assert await _metric(client, "giamsat_signals_undecided_oldest_age_seconds") >= 0
    # when the decisions.pending job runs in its slot (as each restarted process tries it)
    job = register_jobs(JobRegistry())
    now = dt.datetime.now(dt.UTC)
    first = await run_job(job, db.settings(), now=now)
    again = await run_job(job, db.settings(), now=now)  # another replica, the same minute
    later = await run_job(job, db.settings(), now=now + dt.timedelta(minutes=1))
    # then one process ran the slot, and every signal is decided: each cadre's second report
    # opened a commune case holding both (none lost)
    assert (first.status, again.status, later.status) == ("done", "skipped", "done")
    decided = await _signals(ids)
    assert all(s["status"] in {"evaluated", "attached"} for s in decided), decided
    cases = {s["case_id"] for s in decided if s["case_id"] is not None}
    assert len(cases) == 3
    # and none twice: one opening per case, no signal attached twice
    async with system_scope():
        events = await CaseEvent.select(CaseEvent.case, CaseEvent.action).where(
            CaseEvent.case.is_in(sorted(cases)))  # fmt: skip
        owners = await Case.select(Case.committee.code).where(Case.id.is_in(sorted(cases)))
    assert sorted(e["action"] for e in events).count("opened") == 3
    attached = [e for e in events if e["action"] == "signal_attached"]
    assert len(attached) == len({(e["case"], e["action"]) for e in attached})
    assert {o["committee.code"] for o in owners} == {commune.committee_code}
    # and no signal waits any more
    assert await _metric(client, "giamsat_signals_undecided", reason="waiting") == 0
    # and the commune sees its cases, a sibling and a commune elsewhere none of them
    own, _ = await factory.api_client(commune.committee_code)
    for code in (tree.sibling, tree.outsider):
        other, _ = await factory.api_client(code)
        for case_id in sorted(cases):
            assert (await own.get(f"/api/v1/cases/{case_id}")).status_code == 200
            assert (await other.get(f"/api/v1/cases/{case_id}")).status_code == 404
        listed = {c["id"] for c in (await other.get("/api/v1/cases")).json()["items"]}
        assert not listed & cases


async def test_a_replayed_idempotency_key_answers_the_same_and_decides(
    tree: Tree, registry: ChannelRegistry
) -> None:
    with tree.frozen():
        await _a_replayed_idempotency_key_answers_the_same_and_decides(tree, registry)


async def _a_replayed_idempotency_key_answers_the_same_and_decides(
    tree: Tree, registry: ChannelRegistry
) -> None:
    factory = tree.factory
    # given the pack in force and a report committed with a key while the decision was cut off
    commune = await tree.context(tree.ward)
    await enable(commune, registry, "workplace")
    code = await cadre_code(await new_cadre(commune, "province", position="key_official"))
    key = f"retry-{uuid.uuid4().hex}"
    report = _report(code, "DD7") | {"corruption": "true"}
    first = await service.submit_form(
        commune, registry, "workplace", "report", report, idempotency_key=key,
        received_on=tree.day(-30), decide=cut_off,
    )  # fmt: skip
    assert [s["status"] for s in await _signals(first.signal_ids)] == ["received"]
    # when the partner retries through the API with the same key
    client, _ = await factory.api_client(commune.committee_code, "partner_officer")
    retry = await client.post(
        "/api/v1/intake/workplace/report", json=report, headers={"Idempotency-Key": key}
    )
    # then it gets the same answer, nothing new is written, and the signal is decided now
    assert retry.status_code in {200, 201}, retry.text
    assert retry.json()["signal_ids"] == first.signal_ids
    assert retry.json()["replayed"] is True
    async with system_scope():
        assert await Signal.count().where(Signal.idempotency_key == key) == 1
    (decided,) = await _signals(first.signal_ids)
    assert decided["status"] in {"evaluated", "attached"}
