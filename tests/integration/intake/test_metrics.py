"""Intake and the channel registry feed ``/metrics``: committed signals by channel, and blocked
plugins by fault (import error, raise, hang, garbage). Read through the app, as Prometheus does."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

import httpx
import pytest

from giamsat.channels import (
    ChannelInfo,
    ChannelRegistry,
    FormSchema,
    SignalDraft,
    build_registry,
    hookimpl,
)
from giamsat.channels.loading import load_entry_points
from giamsat.db.scope import tenant_scope
from giamsat.signals.tables import Signal
from tests.factories import Factory
from tests.integration.audit.conftest import context_for
from tests.integration.intake.conftest import enable, new_cadre


async def _metric(client: httpx.AsyncClient, name: str, **labels: str) -> float:
    """The sample's value on ``GET /metrics`` (0 when the series does not exist yet)."""
    resp = await client.get("/metrics")
    assert resp.status_code == 200
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    match = re.search(rf"^{name}\{{{re.escape(wanted)}\}} (\S+)$", resp.text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def test_committed_signals_are_counted_by_channel(
    factory: Factory, registry: ChannelRegistry
) -> None:
    # given Phúc Xá with the workplace channel on, a union officer, and the counter as it is
    ctx = await context_for("00001")
    await enable(ctx, registry, "workplace")
    cadre = await new_cadre(ctx)
    client, _ = await factory.api_client("00001", "partner_officer", organisation="union")
    before = await _metric(client, "giamsat_signals_accepted_total", channel="workplace")
    report = {"indicator": "DD2", "union": "CĐ phường", "content": "Nội dung"}
    # when one report naming an unknown cadre is refused and one good report is committed
    bad = await client.post("/api/v1/intake/workplace/report", json=report | {"cadre": "KHONG"})
    good = await client.post("/api/v1/intake/workplace/report", json=report | {"cadre": cadre})
    # then only the committed signal is counted, under its channel
    assert (bad.status_code, good.status_code) == (422, 201)
    after = await _metric(client, "giamsat_signals_accepted_total", channel="workplace")
    assert after - before == len(good.json()["signal_ids"]) == 1
    # and another commune sees nothing of the signal
    other = await context_for("00004")
    async with tenant_scope(other.path):
        seen = await Signal.count().where(
            Signal.id.is_in(good.json()["signal_ids"]) & Signal.tenant_path.like(other.path + "%")
        )
    assert seen == 0


def _info(name: str) -> ChannelInfo:
    return ChannelInfo(
        name=name,
        label_vi=name,
        label_en=name,
        description="",
        levels=["commune"],
        submitter_roles=[],
        version="1",
    )


class Complete:
    """The required hooks besides ``channel_info``, so each plugin below fails only there."""

    @hookimpl
    def channel_forms(self) -> list[FormSchema]:
        return []

    @hookimpl
    def channel_signals(self) -> list[SignalDraft]:
        return []


class Raising(Complete):
    @hookimpl
    def channel_info(self) -> ChannelInfo:
        raise RuntimeError("database of the partner is down")


class Hanging(Complete):
    @hookimpl
    def channel_info(self) -> ChannelInfo:
        time.sleep(2)  # longer than the registry's limit below
        return _info("hanging")


class Garbage(Complete):
    @hookimpl
    def channel_info(self) -> object:
        return {"name": 42}


def _broken_distribution(site: Path, group: str, name: str) -> None:
    """An installed distribution whose entry point names a module that does not exist."""
    info = site / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{group}]\n{name} = giamsat_no_such_{name[-8:]}\n")


async def test_blocked_plugins_are_counted_by_fault(
    factory: Factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given four broken plugins with names of this run, and one that works
    run = uuid.uuid4().hex[:8]
    names = {kind: f"broken-{kind}-{run}" for kind in ("import", "exception", "timeout", "invalid")}
    group = f"giamsat.test_{run}"
    _broken_distribution(tmp_path, group, names["import"])
    monkeypatch.syspath_prepend(str(tmp_path))
    app = factory.client()
    # when a registry loads them
    registry = build_registry(entry_points=False, timeout=0.3)
    load_entry_points(registry, group=group)
    registry.add(names["exception"], Raising())
    registry.add(names["timeout"], Hanging())
    registry.add(names["invalid"], Garbage())
    # then each is blocked, counted once with its fault, and the built-in channel still works
    blocked = {s.plugin for s in registry.statuses() if s.state == "blocked"}
    assert set(names.values()) <= blocked
    for kind, name in names.items():
        assert await _metric(app, "giamsat_plugin_failures_total", plugin=name, reason=kind) == 1
    assert "citizen" in {c.name for c in registry.channels()}
