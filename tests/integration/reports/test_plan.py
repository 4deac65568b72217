"""The reporting plan: plan folder plus the pack's reporting section; suppression; charts."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from giamsat.errors import ConfigurationError, InvalidInput
from giamsat.reports.charts import bar_chart
from giamsat.reports.plan import RULES_DIR, load_plan
from giamsat.reports.privacy import suppress


def test_the_pack_reporting_section_overrides_the_yaml(tmp_path: Path) -> None:
    # given a copy of the 2022 plan folder whose pack sets another deadline and threshold
    folder = tmp_path / "2022-ha-noi"
    folder.mkdir()
    shutil.copy(RULES_DIR / "2022-ha-noi" / "reporting.yaml", folder / "reporting.yaml")
    (folder / "rules.yaml").write_text(
        yaml.safe_dump({"reporting": {"deadline": "2022-11-30", "suppress_below": 7}}),
        encoding="utf-8",
    )
    # when the plan is loaded with and without the pack
    plan = load_plan("2022-ha-noi", tmp_path)
    yaml_only = load_plan("2022-ha-noi", tmp_path, with_pack=False)
    # then the pack's values win and the YAML's stay otherwise
    assert plan.period("2022").deadline == date(2022, 11, 30)
    assert plan.suppression_threshold == 7
    assert yaml_only.period("2022").deadline == date(2022, 11, 25)
    assert [s.key for s in plan.mandatory_sections] == [
        "strengths",
        "shortcomings",
        "causes",
        "proposals",
    ]
    assert [s.key for s in plan.mandatory_sections if not s.required] == ["causes"]


def test_unknown_period_and_missing_plan_are_clear_errors(tmp_path: Path) -> None:
    plan = load_plan()
    with pytest.raises(InvalidInput) as refused:
        plan.period("2023-h1")
    assert "2023-h1" in refused.value.message and "2022" in refused.value.message
    with pytest.raises(ConfigurationError):
        load_plan("no-such-plan", tmp_path)


def test_suppression_hides_only_small_sensitive_counts() -> None:
    plan = load_plan()
    n = plan.suppression_threshold
    shown = suppress(
        {
            "signals.channel.citizen": 1,
            "signals.channel.workplace": n,
            "cadres.supervised": 1,
            "findings.DD1": 0,
        },
        plan,
    )
    assert shown == {
        "signals.channel.citizen": f"<{n}",
        "signals.channel.workplace": n,
        "cadres.supervised": 1,
        "findings.DD1": 0,
    }


def test_charts_escape_labels_and_never_draw_a_suppressed_length() -> None:
    svg = bar_chart("Phản ánh <b>", [("<script>", 10, "10"), ("Phúc Xá", "<5", "dưới 5")], "c1")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "dưới 5" in svg
    assert svg.count('class="bar suppressed"') == 1 and svg.count('class="bar"') == 1
