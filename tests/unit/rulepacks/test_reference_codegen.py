"""The reference evaluator's generated function: pack values stay values, never code."""

from __future__ import annotations

import math

from giamsat.rulepacks.reference import fired_function, matches


def test_texts_with_quotes_and_code_are_compared_as_text():
    # given a condition whose text would be code if it were pasted into the source
    hostile = "x') or True or ('"
    # when rows are matched, then only the exact text matches
    assert matches({"signal__channel": hostile}, {"signal__channel": hostile})
    assert not matches({"signal__channel": hostile}, {"signal__channel": "x"})
    assert not matches({"signal__channel": hostile}, {})


def test_floats_infinity_and_bool_number_distinction_follow_the_engine():
    # given comparisons against values with no Python literal, and equality on numbers
    # when matched, then infinity compares as a number and True is not 1
    assert matches({"$lt": {"count__0": math.inf}}, {"count__0": 3})
    assert not matches({"$gte": {"count__0": math.inf}}, {"count__0": 3})
    assert matches({"count__0": 2}, {"count__0": 2.0})
    assert not matches({"count__0": 1}, {"count__0": True})
    assert not matches({"flag": True}, {"flag": 1})


def test_a_rule_fires_when_any_row_matches():
    # given two rules and rows where each matches a different row
    fired = fired_function({
        "a": {"all": [{"m": {"$or": [{"k": "p"}, {"k": "q"}]}}]},
        "b'c": {"all": [{"m": {"$and": [{"f__1": True}, {"$neq": {"n": 0}}]}}]},
    })  # fmt: skip
    # when the rows are evaluated, then both keys fire, each from its own row
    assert fired([{"k": "q"}, {"f__1": True, "n": 2}]) == {"a", "b'c"}
    assert fired([{"k": "z", "f__1": True, "n": 0}]) == set()
