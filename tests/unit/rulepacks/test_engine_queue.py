"""A sid is never deleted while its actions are queued: the C engine would crash the process.

Each scenario runs in a child process, so that a crash shows as a failed test (its exit
status) instead of taking pytest down with it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from giamsat.rulepacks import compile_pack, load_pack
from giamsat.rulepacks.durable_eval import Engine

ROOT = Path(__file__).resolve().parents[3]

#: A case of the 2023 pack on which several rules fire (several queued actions).
_SETUP = textwrap.dedent(
    f"""
    import datetime as dt, json
    import durable_rules_engine as raw
    from giamsat.rulepacks import CaseFacts, Signal, Subject, compile_pack, load_pack
    from giamsat.rulepacks.compiler import fact_rows
    from giamsat.rulepacks.durable_eval import DurableEvaluator, Engine
    from giamsat.rulepacks.reference import ReferenceEvaluator

    compiled = compile_pack(load_pack({str(ROOT / "rules" / "2023-ha-noi")!r}))
    as_of = dt.date(2023, 7, 1)
    case = CaseFacts(
        case_id="c", as_of=as_of, receiving_level="commune",
        subject=Subject(id="s", managing_level="district", is_party_member=True,
                        position="head"),
        signals=[
            Signal(id=f"x{{n}}", channel="press", kind="report", indicators=["DD7", "DD1"],
                   received_on=as_of - dt.timedelta(days=n), receiving_level="commune",
                   flags=["corruption"])
            for n in range(3)
        ],
    )
    """
)


def _child(body: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _SETUP + textwrap.dedent(body)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deleting_a_sid_with_queued_actions_crashes_the_bare_engine() -> None:
    # given a case asserted straight into the C engine, its actions queued and not taken
    # when its state is deleted (what batching through durable.engine ends up doing)
    done = _child(
        """
        handle = raw.create_ruleset("bare", json.dumps(compiled.ruleset))
        # one deletion crashes only sometimes (freed memory may still look valid); two hundred
        # in a row crash every time
        for n in range(200):
            code, _ = raw.assert_facts(handle, json.dumps(fact_rows(compiled, case, f"q{n}")))
            assert code == 0
            raw.delete_state(handle, f"q{n}")
        print("survived")
        """
    )
    # then the process dies (these are the conditions the engine wrapper must never create)
    assert done.returncode != 0 and "survived" not in done.stdout, done.stdout + done.stderr


def test_the_engine_takes_queued_actions_before_deleting_and_keeps_deciding() -> None:
    # given the same conditions: a sid whose actions were left queued in the engine
    # when our engine releases that sid, then goes on evaluating cases
    done = _child(
        """
        engine = Engine()
        engine.register(compiled.ruleset_name, compiled.ruleset)
        rows = fact_rows(compiled, case, "queued")
        code, _ = raw.assert_facts(engine.handle(compiled.ruleset_name), json.dumps(rows))
        left = engine.release(compiled.ruleset_name, "queued")
        durable, reference = DurableEvaluator(), ReferenceEvaluator()
        agree = all(
            durable.fired(compiled, case) == reference.fired(compiled, case) for _ in range(50)
        )
        fired = sorted(durable.fired(compiled, case))
        print(json.dumps({"left": left, "agree": agree, "fired": fired}))
        """
    )
    # then the process survives: the queued actions were taken first
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["left"] >= 2
    # and later cases still decide as the reference evaluator does, several rules firing
    assert result["agree"] is True
    assert len(result["fired"]) >= 2


def test_rows_of_another_sid_are_refused_before_anything_is_asserted() -> None:
    # given an engine and rows that carry two different sids (a batch of cases)
    compiled = compile_pack(load_pack(ROOT / "rules" / "2023-ha-noi"))
    engine = Engine()
    engine.register(compiled.ruleset_name, compiled.ruleset)
    rows = [{"sid": "a", "id": "row0"}, {"sid": "b", "id": "row1"}]
    # when they are asserted as one case / then it is refused, naming the sid
    with pytest.raises(ValueError, match="'a'"):
        engine.fired(compiled.ruleset_name, rows, "a")
    # and nothing was left queued for either sid
    assert engine.release(compiled.ruleset_name, "a") == 0
    assert json.dumps(rows)  # the rows themselves are untouched
