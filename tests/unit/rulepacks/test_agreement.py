"""durable_rules and the reference evaluator always decide alike; per-case sids are freed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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

ROOT = Path(__file__).resolve().parents[3]
PACK_2023 = load_pack(ROOT / "rules" / "2023-ha-noi")
COMPILED = compile_pack(PACK_2023)
CODES = [
    i.code
    for i in PACK_2023.indicators
    if i.group in ("nq4-dao-duc-loi-song", "dao-duc-cong-vu", "qd213-noi-cu-tru")
]
LEVELS = [lvl.code for lvl in PACK_2023.rules.levels]
AS_OF = dt.date(2023, 7, 1)

signals = st.builds(
    Signal,
    id=st.uuids().map(str),
    channel=st.sampled_from(PACK_2023.rules.channels),
    kind=st.sampled_from(
        ["report", "complaint", "denunciation", "feedback", "survey", "assessment"]
    ),
    indicators=st.lists(st.sampled_from(CODES), max_size=3, unique=True),
    received_on=st.integers(min_value=-1, max_value=400).map(
        lambda d: AS_OF - dt.timedelta(days=d)
    ),
    receiving_level=st.sampled_from(LEVELS),
    flags=st.lists(
        st.sampled_from(["corruption", "press", "anonymous", "complex"]), max_size=2, unique=True
    ),
)
facts = st.builds(
    CaseFacts,
    case_id=st.just("case"),
    as_of=st.just(AS_OF),
    receiving_level=st.sampled_from(LEVELS),
    subject=st.builds(
        Subject,
        id=st.just("cb"),
        managing_level=st.sampled_from(
            ["central", "province", "district", "commune", "residence_party_cell"]
        ),
        is_party_member=st.booleans(),
        position=st.sampled_from(["head", "key_official", "cadre", "party_member"]),
    ),
    signals=st.lists(signals, min_size=1, max_size=6),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=facts)
def test_durable_and_reference_agree(case: CaseFacts) -> None:
    # given generated facts / when both evaluators decide / then the decisions are equal
    assert DurableEvaluator().evaluate(COMPILED, case) == ReferenceEvaluator().evaluate(
        COMPILED, case
    )


def test_many_cases_in_a_row_free_their_sids() -> None:
    # given more cases than the engine's 1,024 live sids per ruleset
    case = CaseFacts(
        case_id="c",
        as_of=AS_OF,
        receiving_level="commune",
        subject=Subject(id="s", managing_level="district", is_party_member=True, position="head"),
        signals=[
            Signal(
                id="x",
                channel="press",
                kind="report",
                indicators=["DD7"],
                received_on=AS_OF,
                receiving_level="commune",
                flags=["corruption"],
            )
        ],
    )
    evaluator = DurableEvaluator()
    # when 1,100 are evaluated one after another (a MemoryError would surface here)
    decisions = [evaluator.evaluate(COMPILED, case) for _ in range(1100)]
    # then every evaluation completed with the same decision
    assert len(decisions) == 1100
    assert all(d == decisions[0] for d in decisions)
    assert decisions[0].open_case and decisions[0].priority == "high"


async def test_async_wrapper_runs_off_the_loop() -> None:
    from giamsat.rulepacks import AsyncDurableEvaluator

    # given the async wrapper and an example case
    evaluator = AsyncDurableEvaluator()
    example = PACK_2023.examples[0]
    try:
        # when awaited / then it gives the reference decision
        got = await evaluator.evaluate(COMPILED, example.facts)
    finally:
        evaluator.close()
    assert got == ReferenceEvaluator().evaluate(COMPILED, example.facts)
