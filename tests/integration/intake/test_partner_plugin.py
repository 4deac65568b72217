"""A partner plugin pip-installed like any distribution appears only where committees enable it,
and a broken plugin is shown blocked on the admin page while the other channels keep working.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from giamsat.channels import build_registry
from giamsat.intake import service
from giamsat.intake.channels_service import channel_overview
from giamsat.intake.errors import ChannelDisabled
from tests.factories import Factory, csrf
from tests.integration.audit.conftest import context_for
from tests.integration.intake.conftest import new_cadre

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "plugins"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The women's-union partner and the plugin that fails to import, installed by pip."""
    target = tmp_path_factory.mktemp("partner-site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(FIXTURES / "partner_women"),
            str(FIXTURES / "broken_import"),
        ],
        check=True,
    )
    return target


@pytest.fixture
def with_partner(site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.syspath_prepend(str(site))
    yield
    for name in [m for m in sys.modules if m.startswith("giamsat_test_")]:
        del sys.modules[name]


async def test_partner_channel_appears_only_for_committees_that_enable_it(
    factory: Factory, with_partner: None
) -> None:
    # given the registry built with the partner installed
    registry = build_registry(timeout=5.0)
    phuc_xa, truc_bach = await context_for("00001"), await context_for("00004")
    # when Phúc Xá's admin enables the "women" channel on the channels page
    admin, _ = await factory.page_client("00001", "admin")
    page = await admin.get("/c/00001/channels")
    assert 'data-channel="women" data-state="active" data-enabled="no"' in page.text
    saved = await admin.post(
        "/c/00001/channels/women",
        data={
            "_csrf_token": csrf(admin),
            "enabled": "on",
            "config": '{"union": "Hội LHPN phường"}',
        },
    )
    assert saved.status_code in (302, 303), saved.text
    # then it is enabled there and shown so, with its config
    rows = {r.channel: r for r in await channel_overview(phuc_xa, registry)}
    assert (rows["women"].enabled, rows["women"].config) == (True, {"union": "Hội LHPN phường"})
    assert (
        'data-channel="women" data-state="active" data-enabled="yes"'
        in (await admin.get("/c/00001/channels")).text
    )
    # and the partner's form turns a submission into a signal for Phúc Xá only
    cadre = await new_cadre(phuc_xa)
    values = {"cadre": cadre, "topic": "family", "content": "Ý kiến hội viên"}
    result = await service.submit_form(phuc_xa, registry, "women", "feedback", values)
    assert len(result.signal_ids) == 1
    others = {r.channel: r for r in await channel_overview(truc_bach, registry)}
    assert others["women"].enabled is False
    with pytest.raises(ChannelDisabled):
        await service.submit_form(
            truc_bach, registry, "women", "feedback", values | {"cadre": await new_cadre(truc_bach)}
        )
    # and the intake page lists it for Phúc Xá but not for Trúc Bạch
    assert "/intake/women/feedback" in (await admin.get("/c/00001/intake")).text
    other_admin, _ = await factory.page_client("00004", "admin")
    assert "/intake/women/feedback" not in (await other_admin.get("/c/00004/intake")).text


async def test_broken_plugin_is_shown_blocked_and_the_others_accept_signals(
    factory: Factory, with_partner: None
) -> None:
    # given the app with a plugin whose import fails
    admin, _ = await factory.page_client("00001", "admin")
    # when the admin opens the channels page
    page = (await admin.get("/c/00001/channels")).text
    # then the plugin is listed as blocked, with the reason
    assert 'data-plugin="broken-import" data-channel="" data-state="blocked"' in page
    assert "giamsat_dependency_that_does_not_exist" in page
    # and enabling it is refused while a working channel still takes submissions
    api, _ = await factory.api_client("00001", "admin")
    refused = await api.post("/api/v1/channels/broken-import", json={"enabled": True})
    assert refused.status_code == 404
    await api.post("/api/v1/channels/workplace", json={"enabled": True})
    cadre = await new_cadre(await context_for("00001"))
    ok = await api.post(
        "/api/v1/intake/workplace/report",
        json={"cadre": cadre, "indicator": "DD1", "union": "CĐ", "content": "Nội dung"},
    )
    assert ok.status_code == 201, ok.text
