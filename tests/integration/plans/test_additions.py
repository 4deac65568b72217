"""A commune's addition to its district's pack: its extra rule opens cases for signals received
in the commune, never in a sibling commune; a weakening addition is refused, nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.cases.tables import Case
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.plans.additions import AdditionRejected, additions_history, publish_addition
from giamsat.plans.service import publish
from giamsat.plans.tables import RulePackAddition
from giamsat.signals.tables import Signal
from giamsat.tenancy.tables import Committee
from tests.integration.plans.conftest import RULES, context_for, new_cadre, pack_for, send

ADDITION = RULES / "additions" / "ba-dinh-2022.yaml"
ROUTING = (
    "routing_rules:\n  - {id: r, title_vi: x, title_en: x, "
    "when: 'subject.managing_level == \"province\"', then: {route_to: commune}}\n"
)


def clock(days: int, complex_days: int) -> str:
    """A ``clocks:`` section that would shorten the parent pack's ``answer`` clock."""
    return (
        "clocks:\n  - {id: answer, title_vi: x, title_en: x, "
        f"working_days: {days}, complex_working_days: {complex_days}}}\n"
    )


async def _children(code: str) -> list[str]:
    async with system_scope():
        parent = await Committee.select(Committee.id).where(Committee.code == code).first()
        assert parent is not None
        rows = (
            await Committee.select(Committee.code)
            .where(Committee.parent == parent["id"])
            .order_by(Committee.code)
            .limit(2)
        )
    return [str(r["code"]) for r in rows]


async def _signal(signal_id: int) -> dict[str, object]:
    async with system_scope():
        row = await Signal.select().where(Signal.id == signal_id).first()
    assert row is not None
    return dict(row)


async def test_added_rule_opens_cases_in_the_adders_subtree_only(db, tmp_path):
    # given district 273's pack in force and an addition published by its first commune
    district = "273"
    base = await publish(pack_for(tmp_path, 2022, district), district, dt.date(2022, 1, 1))
    adder_code, sibling_code = await _children(district)
    added = await publish_addition(ADDITION, adder_code, dt.date(2022, 2, 1))
    assert added.base_version == base.version
    adder, sibling = await context_for(adder_code), await context_for(sibling_code)
    here, there = await new_cadre(adder, "commune"), await new_cadre(sibling, "commune")
    # when a residence report of waste (DD6) arrives at each commune
    mine = await _signal(
        await send(adder, here, "residence", "report", dt.date(2022, 3, 1), ["DD6"])
    )
    other = await _signal(
        await send(sibling, there, "residence", "report", dt.date(2022, 3, 1), ["DD6"])
    )
    # then the adding commune opens a case for the added rule, recording the combined version
    assert mine["case_id"] is not None
    async with system_scope():
        case = await Case.select().where(Case.id == mine["case_id"]).first()
    assert case is not None
    assert case["pack_version"] == mine["pack_version"]
    assert str(case["pack_version"]).startswith(base.version + "+")
    assert "ba-dinh-waste-at-residence" in str(case["fired_rules"])
    # and the sibling commune's signal opens nothing (the city's rules alone decide it)
    assert (other["status"], other["case_id"]) == ("evaluated", None)
    # and the sibling commune cannot see the adder's case
    async with tenant_scope(sibling.path):
        seen = await Case.select(Case.id).where(Case.cadre == here)
    if db.backend == "postgres":
        assert seen == []


@pytest.mark.parametrize(
    ("district", "section"),
    [
        ("274", ROUTING),
        ("272", clock(5, 8)),
    ],
)
async def test_weakening_addition_is_refused_and_nothing_stored(db, tmp_path, district, section):
    # given the district's pack in force
    await publish(pack_for(tmp_path, 2022, district), district, dt.date(2022, 1, 1))
    commune = (await _children(district))[0]
    path = tmp_path / "weak.yaml"
    path.write_text(ADDITION.read_text(encoding="utf-8") + section, encoding="utf-8")
    # when a commune publishes an addition that would re-route cases or shorten a clock
    with pytest.raises(AdditionRejected) as refused:
        await publish_addition(path, commune, dt.date(2022, 2, 1))
    # then it is refused at the offending line and nothing is stored
    assert refused.value.errors[0].file == "weak.yaml"
    assert refused.value.errors[0].line > 20
    assert await additions_history(commune) == []
    async with system_scope():
        stored = await RulePackAddition.count().where(RulePackAddition.committee.code == commune)
    assert stored == 0
