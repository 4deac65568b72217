"""Simulating a commune's candidate addition over its own signals: cases it would open or
re-prioritise are reported, a sibling's signals are not looked at, and nothing is stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from giamsat.db.scope import system_scope
from giamsat.plans.additions import AdditionRejected, additions_history
from giamsat.plans.service import publish
from giamsat.plans.simulation import simulate_addition
from giamsat.signals.tables import Signal
from tests.integration.plans.conftest import RULES, context_for, new_cadre, pack_for, send
from tests.integration.plans.test_additions import ROUTING, _children

ADDITION = (RULES / "additions" / "ba-dinh-2022.yaml").read_text(encoding="utf-8")


async def _case_id(signal_id: int) -> object:
    async with system_scope():
        row = await Signal.select(Signal.case_id).where(Signal.id == signal_id).first()
    assert row is not None
    return row["case_id"]


LOW_CASE = """indicator_rules:
  - id: duty-one-low
    title_vi: Nhiệm vụ 1 ở nơi cư trú → vụ việc mức thấp (bản thử)
    title_en: Residence duty 1 → a low-priority case (test copy)
    when: signal.indicators has NCT1
    then: {open_case: low}
"""


def _with_low_case(pack: Path) -> Path:
    rules = pack / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("indicator_rules:\n", LOW_CASE, 1), encoding="utf-8")
    return pack


async def test_simulated_addition_reports_new_and_reprioritised_cases(db, tmp_path):
    # given district 021's 2022 pack, with a rule opening a low case on a residence duty (the
    # city's pack records duties on the residence record instead), and residence signals in two
    # of its communes
    district = "021"
    await publish(_with_low_case(pack_for(tmp_path, 2022, district)), district, dt.date(2022, 1, 1))
    adder_code, sibling_code = await _children(district)
    adder, sibling = await context_for(adder_code), await context_for(sibling_code)
    waste = await send(adder, await new_cadre(adder, "commune"), "residence", "report",
                       dt.date(2022, 3, 1), ["DD6"])  # fmt: skip
    duties = await send(adder, await new_cadre(adder, "commune"), "residence", "report",
                        dt.date(2022, 3, 2), ["NCT1", "DD6"])  # fmt: skip
    await send(sibling, await new_cadre(sibling, "commune"), "residence", "report",
               dt.date(2022, 3, 1), ["DD6"])  # fmt: skip
    assert await _case_id(waste) is None and await _case_id(duties) is not None
    before = await additions_history(adder_code)
    # when the first commune simulates its candidate addition over 2022
    report = await simulate_addition(ADDITION, adder_code, dt.date(2022, 1, 1),
                                     dt.date(2022, 12, 31))  # fmt: skip
    # then the waste signal would open a case and the duties case would rise to normal
    assert report.signals == 2  # the sibling's signal lies outside the adder's subtree
    by_signal = {c.signal_id: c.changes for c in report.changes}
    assert set(by_signal) == {waste, duties}
    assert by_signal[waste]["open_case"] == [False, True]
    assert by_signal[duties]["priority"] == ["low", "normal"]
    assert (report.cases_opened, report.priority_changes) == (1, 1)
    # and nothing was stored
    assert await additions_history(adder_code) == before
    assert await _case_id(waste) is None


async def test_simulating_a_weakening_addition_is_refused(db, tmp_path):
    # given district 009's 2022 pack
    district = "009"
    await publish(pack_for(tmp_path, 2022, district), district, dt.date(2022, 1, 1))
    adder_code = (await _children(district))[0]
    # when a commune simulates an addition that routes cases, then it is refused at its line
    with pytest.raises(AdditionRejected) as refused:
        await simulate_addition(ADDITION + ROUTING, adder_code, dt.date(2022, 1, 1),
                                dt.date(2022, 12, 31))  # fmt: skip
    assert any(e.rule_id == "routing_rules" and e.line > 1 for e in refused.value.errors)
