"""Every way a signal is stored also stores its indicator rows (signal_indicator), in the same
transaction; another committee cannot see them; the migration's backfill rebuilds them."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from giamsat.cadres.tables import Cadre
from giamsat.channels import build_registry
from giamsat.db.engine import current_engine, is_postgres
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.errors import InvalidInput
from giamsat.intake import service
from giamsat.plans.facts import json_value
from giamsat.portal import ratelimit
from giamsat.reports.figures import Window, own_figures
from giamsat.reports.sampledata import generate_activity
from giamsat.signals.tables import Signal, SignalIndicator
from giamsat.signals.writer import write_signal, write_signals
from tests.conftest import Database
from tests.factories import Factory
from tests.integration.audit.conftest import context_for
from tests.integration.intake.conftest import enable, new_cadre
from tests.integration.plans.conftest import send
from tests.integration.portal.conftest import csrf_of

ROOT = Path(__file__).resolve().parents[3]
BACKFILL = next((ROOT / "migrations").glob("giamsat_2026_11_22t19_39_21_000000.py"))


async def indicator_rows(signal_ids: list[int]) -> dict[int, set[str]]:
    """Indicator codes stored per signal, read over the whole tree."""
    async with system_scope():
        rows = await SignalIndicator.select(SignalIndicator.signal, SignalIndicator.code).where(
            SignalIndicator.signal.is_in(signal_ids)
        )
    found: dict[int, set[str]] = {i: set() for i in signal_ids}
    for row in rows:
        found[int(row["signal"])].add(str(row["code"]))
    return found


async def listed_codes(signal_ids: list[int]) -> dict[int, set[str]]:
    """The codes each signal's own JSON list names."""
    async with system_scope():
        rows = await Signal.select(Signal.id, Signal.indicator_codes).where(
            Signal.id.is_in(signal_ids)
        )
    return {int(r["id"]): set(json_value(r["indicator_codes"]) or []) for r in rows}


async def intake_signals() -> list[int]:
    ctx = await context_for("00001")
    registry = build_registry(timeout=5.0)
    await enable(ctx, registry, "workplace")
    cadre = await new_cadre(ctx)
    values = {"cadre": cadre, "indicator": "DD3", "union": "CĐ phường", "content": "Báo cáo"}
    result = await service.submit_form(ctx, registry, "workplace", "report", values)
    return list(result.signal_ids)


async def portal_signals(factory: Factory) -> list[int]:
    await ratelimit.forget(ratelimit.client_key("127.0.0.1", "test-secret-key"))
    unique = uuid.uuid4().hex
    public = factory.client()
    token, form_token = await csrf_of(public, "/portal/00001/report")
    sent = await public.post(
        "/portal/00001/report",
        data={
            "_csrf_token": token,
            "token": form_token,
            "anonymous": "on",
            "kind": "report",
            "subject_kind": "organisation",
            "organisation_name": "Ban quản lý chợ",
            "cadre_name": "",
            "content": f"Thu phí {unique}",
        },
    )
    assert sent.status_code == 201, sent.text
    async with system_scope():
        rows = await Signal.select(Signal.id).where(Signal.body.like(f"%{unique}%"))
    return [int(r["id"]) for r in rows]


async def sample_signals() -> list[int]:
    ctx = await context_for("00001")
    async with system_scope():
        before = await Signal.select(Signal.id).order_by(Signal.id, ascending=False).first()
    await generate_activity("00001", cadres=1, signals=6, cases=0, seed=uuid.uuid4().int % 100_000)
    async with system_scope():
        rows = await Signal.select(Signal.id).where(
            (Signal.id > (before["id"] if before else 0)) & (Signal.tenant_path == ctx.path)
        )
    return [int(r["id"]) for r in rows]


async def helper_signals() -> list[int]:
    ctx = await context_for("00001")
    cadre = await new_cadre(ctx)
    async with system_scope():
        row = await Cadre.select(Cadre.id).where(Cadre.code == cadre).first()
    assert row is not None
    return [await send(ctx, row["id"], "residence", "report", dt.date(2022, 3, 1), ["DD1", "NCT2"])]


async def test_every_insert_path_writes_the_indicator_rows_its_signals_name(
    db: Database, factory: Factory
) -> None:
    # given signals stored by intake, the citizens' portal, the sample data and the test helper
    paths: dict[str, list[int]] = {
        "intake": await intake_signals(),
        "portal": await portal_signals(factory),
        "sampledata": await sample_signals(),
        "helper": await helper_signals(),
    }
    stored: dict[str, dict[int, set[str]]] = {}
    for name, ids in paths.items():
        assert ids, name
        # when their indicator rows are read
        stored[name], listed = await indicator_rows(ids), await listed_codes(ids)
        # then every signal has exactly one row per code its own list names
        assert stored[name] == listed, name
    # and the paths that name indicators did write rows for every signal
    for name in ("intake", "sampledata", "helper"):
        assert all(stored[name].values()), name
    assert stored["intake"] == {paths["intake"][0]: {"DD3"}}


#: Raw SQL or ORM bulk writes into the signal table (not signal_indicator: no word boundary).
RAW_INSERT = re.compile(
    r"INSERT\s+INTO\s+signal\b|copy_records_to_table\(\s*[\"']signal[\"']|\bSignal\.insert\(",
    re.IGNORECASE,
)
#: A Signal table row being built (rule-pack fact structs named Signal carry no tenant_path).
BUILDS_ROW = re.compile(r"\bSignal\((?:[^()]|\([^()]*\))*tenant_path\s*=")


def test_no_code_inserts_signals_except_the_writer() -> None:
    # given every Python source of the application, plugins, benchmarks and tests
    skip = {
        ROOT / "platform/giamsat/signals/writer.py",
        Path(__file__).resolve(),
        # its rows live inside one transaction that is rolled back: they never reach a reader
        ROOT / "tests/structure/test_rls_plans.py",
    }
    offenders = []
    for folder in ("platform", "plugins", "bench", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.resolve() in skip:
                continue
            text = path.read_text(encoding="utf-8")
            # when a module writes signal rows itself, or builds them without the writer
            if RAW_INSERT.search(text) or (BUILDS_ROW.search(text) and "write_signal" not in text):
                offenders.append(str(path.relative_to(ROOT)))
    # then there is none: every insert path goes through write_signals
    assert offenders == []


async def test_another_committee_cannot_see_the_indicator_rows(db: Database) -> None:
    # given a signal of Phúc Xá naming DD4 and DD5
    phuc_xa, truc_bach = await context_for("00001"), await context_for("00004")
    ids = await helper_signal_at(phuc_xa.path, phuc_xa.committee_id, ["DD4", "DD5"])
    # when Trúc Bạch reads the indicator table and its own figures
    async with tenant_scope(truc_bach.path):
        seen = await SignalIndicator.select(SignalIndicator.tenant_path).where(
            SignalIndicator.signal.is_in(ids)
        )
        paths = {
            r["tenant_path"] for r in await SignalIndicator.select(SignalIndicator.tenant_path)
        }
    window = Window(
        within=truc_bach.path,
        starts_on=dt.date(2021, 1, 1),
        ends_on=dt.date(2021, 12, 31),
        as_of=dt.date(2021, 12, 31),
    )
    async with tenant_scope(truc_bach.path):
        figures = await own_figures(window, ["signals"])
    # then its figures hold nothing of Phúc Xá, and on PostgreSQL row-level security hides the rows
    assert phuc_xa.path not in figures
    if db.backend == "postgres":
        assert seen == [] and all(p.startswith(truc_bach.path) for p in paths)
    # while Phúc Xá sees both rows and counts them in its own figures
    async with tenant_scope(phuc_xa.path):
        own = await SignalIndicator.count().where(SignalIndicator.signal.is_in(ids))
        mine = await own_figures(
            Window(within=phuc_xa.path, exact=True, **_year_2021()), ["signals"]
        )
    assert own == 2
    assert mine[phuc_xa.path]["signals.indicator.DD4"] >= 1


def _year_2021() -> dict[str, Any]:
    return {
        "starts_on": dt.date(2021, 1, 1),
        "ends_on": dt.date(2021, 12, 31),
        "as_of": dt.date(2021, 12, 31),
    }


async def helper_signal_at(path: str, committee: int, codes: list[str]) -> list[int]:
    async with tenant_scope(path):
        row = Signal(
            committee=committee,
            tenant_path=path,
            channel="workplace",
            kind="report",
            indicator_codes=codes,
            received_on=dt.date(2021, 6, 1),
        )
        return [await write_signal(row)]


async def test_bad_codes_or_a_foreign_path_write_nothing(db: Database) -> None:
    # given a batch whose second signal names an empty indicator code
    ctx, other = await context_for("00001"), await context_for("00004")
    marker = uuid.uuid4().hex

    def row(path: str, committee: int, codes: list[Any]) -> Signal:
        return Signal(
            committee=committee,
            tenant_path=path,
            channel="workplace",
            kind="report",
            indicator_codes=codes,
            received_on=dt.date(2021, 6, 2),
            body=marker,
        )

    # when it is written, or a signal of another commune is written from Phúc Xá's scope
    with pytest.raises(InvalidInput) as bad_code:
        async with tenant_scope(ctx.path):
            await write_signals(
                [row(ctx.path, ctx.committee_id, ["DD1"]), row(ctx.path, ctx.committee_id, [""])]
            )
    with pytest.raises(InvalidInput) as foreign:
        async with tenant_scope(ctx.path):
            await write_signals([row(other.path, other.committee_id, ["DD1"])])
    # then both are refused by field, and no signal of either batch was stored
    assert bad_code.value.field == "indicator_codes"
    assert foreign.value.field == "tenant_path"
    async with system_scope():
        assert await Signal.count().where(Signal.body == marker) == 0


async def test_the_migration_backfill_rebuilds_missing_rows(db: Database) -> None:
    # given a signal whose indicator rows are missing, as for signals stored before the table
    ctx = await context_for("00001")
    ids = await helper_signal_at(ctx.path, ctx.committee_id, ["DD6", "NCT1", "DD6"])
    async with system_scope():
        await SignalIndicator.delete().where(SignalIndicator.signal.is_in(ids))
    assert (await indicator_rows(ids))[ids[0]] == set()
    # when the migration's backfill statement runs
    spec = importlib.util.spec_from_file_location("backfill_migration", BACKFILL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sql = module.BACKFILL_POSTGRES if is_postgres() else module.BACKFILL_SQLITE
    async with system_scope():
        await current_engine().run_ddl(sql)
    # then each distinct code has its row again, with the signal's path, channel and date
    assert (await indicator_rows(ids))[ids[0]] == {"DD6", "NCT1"}
    async with system_scope():
        rows = await SignalIndicator.select().where(SignalIndicator.signal.is_in(ids))
    assert {(r["tenant_path"], r["channel"], r["received_on"]) for r in rows} == {
        (ctx.path, "workplace", dt.date(2021, 6, 1))
    }
