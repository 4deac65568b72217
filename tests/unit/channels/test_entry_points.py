"""Channel plugins are found through real entry points, and broken ones are blocked.

The throw-away distributions in tests/fixtures/plugins are built and installed with
pip into a temporary directory, which is then put on sys.path: importlib.metadata
finds their entry points exactly as it finds an installed partner plugin.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from giamsat.channels import (
    ChannelBlocked,
    ChannelContext,
    ChannelRegistry,
    build_registry,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "plugins"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture distributions, pip-installed into a throw-away target directory."""
    target = tmp_path_factory.mktemp("site")
    sources = sorted(str(path) for path in FIXTURES.iterdir() if (path / "pyproject.toml").exists())
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
            *sources,
        ],
        check=True,
    )
    return target


@pytest.fixture
def full_registry(plugin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ChannelRegistry]:
    """A registry built while the fixture distributions are importable."""
    monkeypatch.syspath_prepend(str(plugin_dir))
    yield build_registry(timeout=0.5)
    for name in [m for m in sys.modules if m.startswith("giamsat_test_")]:
        del sys.modules[name]


def test_shipped_plugins_are_discovered_through_entry_points(registry: ChannelRegistry) -> None:
    # given the registry built from the installed distributions
    statuses = {status.plugin: status for status in registry.statuses()}
    # then workplace and residence come from their own distributions, plus the default
    assert statuses["workplace"].distribution == "giamsat-workplace"
    assert statuses["residence"].distribution == "giamsat-residence"
    assert statuses["giamsat.citizen"].state == "active"
    assert {c.name for c in registry.channels()} >= {"citizen", "workplace", "residence"}


def test_partner_plugin_installed_with_pip_appears_as_a_channel(
    full_registry: ChannelRegistry, context: ChannelContext
) -> None:
    # given the partner distribution installed by pip
    status = next(s for s in full_registry.statuses() if s.plugin == "women")
    # when a member's feedback is submitted through its form
    signals = full_registry.submit(
        "women",
        context,
        "feedback",
        {"cadre": "HN-0002", "topic": "family", "content": "Ý kiến về gia đình"},
        received_on=date(2022, 6, 1),
    )
    # then it is an active channel from its own distribution producing signals
    assert (status.state, status.distribution) == ("active", "giamsat-test-partner-women")
    assert [(s.channel, s.kind, s.cadre_code) for s in signals] == [
        ("women", "feedback", "HN-0002")
    ]


def test_import_error_is_blocked_with_its_reason(full_registry: ChannelRegistry) -> None:
    # given a distribution whose module cannot be imported
    status = next(s for s in full_registry.statuses() if s.plugin == "broken-import")
    # then it is blocked, the reason names the missing module
    assert status.state == "blocked"
    assert "giamsat_dependency_that_does_not_exist" in status.reason
    assert status.distribution == "giamsat-test-broken-import"


@pytest.mark.parametrize(
    ("channel", "reason_part"),
    [("raising", "RuntimeError"), ("hanging", "hung"), ("garbage", "invalid value")],
)
def test_misbehaving_plugin_is_blocked_and_the_others_keep_working(
    full_registry: ChannelRegistry, context: ChannelContext, channel: str, reason_part: str
) -> None:
    # given a plugin whose channel_signals raises, hangs or returns garbage
    # when a submission reaches it
    with pytest.raises(ChannelBlocked) as blocked:
        full_registry.submit(channel, context, "note", {"text": "x"}, received_on=date(2022, 6, 1))
    # then it is blocked with the reason, shown to admins, and never called again
    status = next(s for s in full_registry.statuses() if s.plugin == channel)
    assert status.state == "blocked"
    assert reason_part in status.reason
    assert reason_part in blocked.value.reason
    assert channel not in {c.name for c in full_registry.channels()}
    with pytest.raises(ChannelBlocked):
        full_registry.forms(channel, context)
    # and the other channels still turn submissions into signals
    signals = full_registry.submit(
        "citizen",
        context,
        "report",
        {
            "kind": "complaint",
            "subject_kind": "cadre",
            "cadre_name": "Nguyễn Văn An",
            "content": "Nội dung",
        },
        received_on=date(2022, 6, 1),
    )
    assert [s.kind for s in signals] == ["complaint"]
    assert {"workplace", "residence", "women"} <= {c.name for c in full_registry.channels()}


README = Path(__file__).resolve().parents[3] / "plugins" / "README.md"


def test_the_readme_snippet_runs(plugin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # given the README's "Testing your plugin" snippet and the partner fixture installed
    section = README.read_text(encoding="utf-8").split("## 5. Testing your plugin", 1)[1]
    snippet = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.syspath_prepend(str(plugin_dir))
    namespace: dict[str, object] = {}
    try:
        # when it runs, then its own assertions hold and it made the signal it shows
        exec(compile(snippet, str(README), "exec"), namespace)
    finally:
        for name in [m for m in sys.modules if m.startswith("giamsat_test_")]:
            del sys.modules[name]
    assert namespace["signal"].channel == "women"  # type: ignore[attr-defined]


def test_a_complete_partner_plugin_fits_in_under_60_lines() -> None:
    # given the Women's Union fixture: a form, its sheet, the API and a report section
    source = FIXTURES / "partner_women" / "giamsat_test_women" / "channel.py"
    # then the whole plugin, written on the kit, is under 60 lines
    assert len(source.read_text(encoding="utf-8").splitlines()) < 60
