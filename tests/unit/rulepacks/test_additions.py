"""Lower committees' additions: guarded rules apply in the adder's subtree only (and its
descendants'), both evaluators agree, and anything that weakens the parent pack is refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamsat.rulepacks import (
    CaseFacts,
    DurableEvaluator,
    ReferenceEvaluator,
    Signal,
    Subject,
    compile_pack,
    load_pack,
)
from giamsat.rulepacks.additions import guarded, read_addition

ROOT = Path(__file__).resolve().parents[3]
PACK = load_pack(ROOT / "rules" / "2022-ha-noi")
BA_DINH = (ROOT / "rules" / "additions" / "ba-dinh-2022.yaml").read_text(encoding="utf-8")
COMMUNE_EXTRA = """
addition: {id: phuc-xa-extra, title_vi: Bổ sung của phường Phúc Xá}
indicator_rules:
  - id: phuc-xa-gambling
    title_vi: Đánh bạc ở nơi cư trú
    title_en: Gambling reported at residence
    when: signal.indicators has DD9
    then: {open_case: low, add_findings: [DD9]}
"""
SIBLING_EXTRA = """
addition: {id: hoan-kiem-extra, title_vi: Bổ sung của quận Hoàn Kiếm}
indicator_rules:
  - id: hoan-kiem-waste
    title_vi: Lãng phí
    title_en: Waste
    when: signal.indicators has DD6
    then: {open_case: high, add_findings: [DD6]}
"""


def _addition(text: str, committee: str, path: str):  # type: ignore[no-untyped-def]
    addition, errors = read_addition(text, f"{committee}.yaml", PACK)
    assert errors == [] and addition is not None
    return guarded(addition, PACK, committee, path)


COMBINED = compile_pack(
    PACK,
    [
        _addition(BA_DINH, "001", "/01/001/"),
        _addition(COMMUNE_EXTRA, "00001", "/01/001/00001/"),
        _addition(SIBLING_EXTRA, "002", "/01/002/"),
    ],
)
AS_OF = dt.date(2022, 7, 1)
ROUTING = (
    "routing_rules:\n  - {id: r, title_vi: x, title_en: x, "
    "when: 'subject.managing_level == \"province\"', then: {route_to: commune}}\n"
)


def clock(days: int, complex_days: int) -> str:
    """A ``clocks:`` section redefining the city's ``answer`` clock."""
    return (
        "clocks:\n  - {id: answer, title_vi: x, title_en: x, "
        f"working_days: {days}, complex_working_days: {complex_days}}}\n"
    )


def _facts(path: str, indicators: list[str]) -> CaseFacts:
    signal = Signal(
        id="s",
        channel="residence",
        kind="report",
        indicators=indicators,
        received_on=AS_OF,
        receiving_level="commune",
    )
    subject = Subject(id="c", managing_level="commune", is_party_member=False, position="cadre")
    return CaseFacts(
        case_id="c",
        as_of=AS_OF,
        receiving_level="commune",
        subject=subject,
        signals=[signal],
        committee_path=path,
    )


@pytest.mark.parametrize(
    "evaluator", [ReferenceEvaluator(), DurableEvaluator()], ids=["reference", "durable"]
)
def test_additions_apply_to_own_subtree_and_ancestors_never_siblings(evaluator) -> None:  # type: ignore[no-untyped-def]
    # given one ruleset holding the city's rules and three committees' additions
    # when signals about waste (DD6) and gambling (DD9) arrive at three communes
    in_phuc_xa = evaluator.evaluate(COMBINED, _facts("/01/001/00001/", ["DD6", "DD9"]))
    in_other_ba_dinh = evaluator.evaluate(COMBINED, _facts("/01/001/00004/", ["DD6", "DD9"]))
    in_hoan_kiem = evaluator.evaluate(COMBINED, _facts("/01/002/00037/", ["DD6", "DD9"]))
    city_only = evaluator.evaluate(compile_pack(PACK), _facts("/01/001/00001/", ["DD6", "DD9"]))
    # then Phúc Xá gets its own rule and its district's, never the sibling district's
    assert {f.id for f in in_phuc_xa.fired} == {
        "ba-dinh-waste-at-residence",
        "phuc-xa-gambling",
        "route-commune",
    }
    # and another Ba Đình commune gets only the district's rule
    assert {f.id for f in in_other_ba_dinh.fired} == {"ba-dinh-waste-at-residence", "route-commune"}
    # and Hoàn Kiếm gets only its own, at the priority it chose
    assert {f.id for f in in_hoan_kiem.fired} == {"hoan-kiem-waste", "route-commune"}
    assert in_hoan_kiem.priority == "high"
    # and without additions the city's pack opens nothing for these signals
    assert not city_only.open_case
    assert in_phuc_xa.pack_version == COMBINED.version != PACK.version
    assert COMBINED.version.startswith(PACK.version + "+")


paths = st.sampled_from(
    [
        "",
        "/01/",
        "/01/001/",
        "/01/001/00001/",
        "/01/001/00004/",
        "/01/002/",
        "/01/002/00037/",
        "/79/760/26734/",
    ]
)
signals = st.builds(
    Signal,
    id=st.uuids().map(str),
    channel=st.sampled_from(PACK.rules.channels),
    kind=st.sampled_from(["report", "complaint", "denunciation", "feedback", "survey"]),
    indicators=st.lists(
        st.sampled_from(["DD3", "DD6", "DD7", "DD9", "NCT1"]), max_size=3, unique=True
    ),
    received_on=st.integers(min_value=-1, max_value=120).map(lambda d: AS_OF - dt.timedelta(d)),
    receiving_level=st.sampled_from(["province", "district", "commune"]),
    flags=st.lists(st.sampled_from(["corruption", "complex"]), max_size=2, unique=True),
)
facts = st.builds(
    CaseFacts,
    case_id=st.just("case"),
    as_of=st.just(AS_OF),
    receiving_level=st.sampled_from(["province", "district", "commune"]),
    subject=st.builds(
        Subject,
        id=st.just("cb"),
        managing_level=st.sampled_from(["province", "district", "commune"]),
        is_party_member=st.booleans(),
        position=st.just("cadre"),
    ),
    signals=st.lists(signals, min_size=1, max_size=5),
    committee_path=paths,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=facts)
def test_guarded_rules_decided_alike_by_both_evaluators(case: CaseFacts) -> None:
    # given generated facts anywhere in the tree / when both decide / then they agree
    assert DurableEvaluator().evaluate(COMBINED, case) == ReferenceEvaluator().evaluate(
        COMBINED, case
    )


WEAKENING = [
    (ROUTING, 5, "routing belongs to the parent pack"),
    (clock(10, 15), 6, "would shorten the parent pack's clock 'answer' from 20 to 10 working days"),
    ("reporting: {suppress_below: 0}\n", 5, "reporting belongs to the parent pack"),
    ("remove_rules: [corruption-signal]\n", 5, "may not remove, disable or override"),
]
_BODY = """addition: {id: weak, title_vi: Yếu}
indicator_rules:
  - {id: extra, title_vi: x, title_en: x, when: signal.indicators has DD9, then: {open_case: low}}

"""


@pytest.mark.parametrize(
    ("section", "line", "message"),
    WEAKENING,
    ids=["routing", "shorter-clock", "reporting", "remove"],
)
def test_weakening_sections_are_refused_at_their_line(section: str, line: int, message: str):
    # given an addition with a section that would weaken the city's pack
    # when checked against the pack
    addition, errors = read_addition(_BODY + section, "weak.yaml", PACK)
    # then it is refused, naming the file, the line and the reason
    assert addition is None
    assert [(e.file, e.line) for e in errors] == [("weak.yaml", line)]
    assert message in errors[0].message


def test_overriding_a_city_rule_or_routing_is_refused_with_every_problem():
    # given an addition reusing a city rule id and routing in its own rule
    text = """addition: {id: o, title_vi: o}
indicator_rules:
  - id: corruption-signal
    title_vi: Nhẹ hơn
    title_en: Softer
    when: signal.indicators has DD7
    then: {open_case: low}
  - id: elsewhere
    title_vi: x
    title_en: x
    when: signal.indicators has DD9
    then: {route_to: commune}
"""
    # when checked / then both are reported at their lines
    addition, errors = read_addition(text, "o.yaml", PACK)
    assert addition is None
    assert [(e.line, e.rule_id) for e in errors] == [(3, "corruption-signal"), (12, "elsewhere")]
    assert "already used by the parent pack" in errors[0].message
    assert "may not route" in errors[1].message
