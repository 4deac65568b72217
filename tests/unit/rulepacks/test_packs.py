"""The shipped packs validate, their examples hold under both evaluators, and every
malformed fixture is rejected with a message naming its problem."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from giamsat.cli.rules import group
from giamsat.rulepacks import (
    DurableEvaluator,
    ReferenceEvaluator,
    compile_pack,
    diff_decisions,
    load_pack,
    validate_pack,
)
from giamsat.rulepacks.checks import compare_expectation

ROOT = Path(__file__).resolve().parents[3]
PACKS = [ROOT / "rules" / "2022-ha-noi", ROOT / "rules" / "2023-ha-noi"]
MALFORMED = sorted(p for p in (Path(__file__).parent / "malformed").iterdir() if p.is_dir())


@pytest.mark.parametrize("pack_dir", PACKS, ids=lambda p: p.name)
def test_shipped_pack_validates_including_engine_trial(pack_dir: Path) -> None:
    # given a shipped pack / when validated / then no problem is reported
    assert validate_pack(pack_dir) == []


@pytest.mark.parametrize("pack_dir", PACKS, ids=lambda p: p.name)
@pytest.mark.parametrize(
    "evaluator", [ReferenceEvaluator(), DurableEvaluator()], ids=["reference", "durable"]
)
def test_examples_hold(pack_dir: Path, evaluator: ReferenceEvaluator | DurableEvaluator) -> None:
    # given the pack's own example cases
    pack = load_pack(pack_dir)
    compiled = compile_pack(pack)
    assert pack.examples
    for example in pack.examples:
        # when each is evaluated
        decision = evaluator.evaluate(compiled, example.facts)
        # then it matches its expectation and carries the pack version
        assert compare_expectation(example, decision) == [], example.id
        assert decision.pack_version == pack.version


def test_2022_routes_district_cadre_up_from_commune() -> None:
    # given a press report of corruption by a district-managed cadre received at a commune
    pack = load_pack(PACKS[0])
    example = next(e for e in pack.examples if e.id == "press-corruption-district-cadre")
    # when evaluated
    decision = ReferenceEvaluator().evaluate(compile_pack(pack), example.facts)
    # then it climbs commune → district and the reasons are named rules with titles
    assert decision.forward_path == ["district"]
    assert {f.id for f in decision.fired} >= {"corruption-signal", "route-district"}
    assert all(f.title_vi and f.title_en for f in decision.fired)


def test_2023_differs_from_2022_without_code() -> None:
    # given both years' packs and the 2023 example on repeated waste
    old, new = (load_pack(p) for p in PACKS)
    example = next(e for e in new.examples if e.id == "repeated-waste-2023")
    # when the same case is decided by each
    before = ReferenceEvaluator().evaluate(compile_pack(old), example.facts)
    after = ReferenceEvaluator().evaluate(compile_pack(new), example.facts)
    changes = {c.field for c in diff_decisions(before, after)}
    # then the new rule raises the priority, and the deadlines differ
    assert {"priority", "fired"} <= changes
    assert old.rules.reporting.deadline != new.rules.reporting.deadline
    assert old.version != new.version


@pytest.mark.parametrize("fixture", MALFORMED, ids=lambda p: p.name)
def test_malformed_pack_is_rejected(fixture: Path) -> None:
    # given a malformed pack and the message its problem must produce
    expected = (fixture / "EXPECTED").read_text(encoding="utf-8").strip()
    # when validated
    errors = validate_pack(fixture)
    # then it is rejected with a located message naming the problem
    assert errors, fixture.name
    assert any(expected in e.message for e in errors), [e.render() for e in errors]
    assert all(e.line >= 1 and e.file.startswith(str(fixture)) for e in errors)


def test_there_are_at_least_twenty_malformed_fixtures() -> None:
    # given the fixture folder / then it holds the required variety
    assert len(MALFORMED) >= 20


def test_cli_validate_exit_codes_and_format() -> None:
    runner = CliRunner()
    # given one good and one bad pack / when validated through the CLI
    good = runner.invoke(group, ["validate", str(PACKS[0])])
    bad = runner.invoke(
        group, ["validate", str(Path(__file__).parent / "malformed" / "routing-cycle")]
    )
    # then the good exits 0 and the bad exits non-zero with file:line: rule-id: message
    assert good.exit_code == 0, good.output
    assert bad.exit_code == 1
    assert "rules.yaml:4: central: các cấp chuyển lên nhau thành vòng" in bad.output
    english = runner.invoke(
        group,
        [
            "validate",
            "--language",
            "en",
            str(Path(__file__).parent / "malformed" / "routing-cycle"),
        ],
    )
    assert "rules.yaml:4: central: routing cycle" in english.output


def test_cli_show_lists_rules() -> None:
    # given the 2022 pack / when shown / then its rules appear with Vietnamese titles
    result = CliRunner().invoke(group, ["show", str(PACKS[0])])
    assert result.exit_code == 0, result.output
    assert "corruption-signal: Phản ánh, tố cáo về tham nhũng" in result.output
