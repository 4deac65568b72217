"""Fact rows and windowed counts, planned once per compiled pack and filled per case.

Both evaluators consume these rows, so this is the shared hot path: everything that depends
only on the pack (row keys, set members, count predicates, the committee guards of lower
committees' additions) is worked out in :func:`plan_rows` when the pack is compiled; filling
a case's rows is then a few attribute reads and dictionary writes per signal.
"""

from __future__ import annotations

import datetime as dt
import operator
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from giamsat.rulepacks.conditions import Cmp, Count, Has, In, Value
from giamsat.rulepacks.facts import CaseFacts, Signal

SignalTest = Callable[[Signal], bool]

COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def nfc(text: str) -> str:
    """NFC-normalise: an NFD "Phường" would match neither equality nor patterns."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def norm(value: Any) -> Any:
    return nfc(value) if isinstance(value, str) else value


def field_key(name: str) -> str:
    """Row key of a scalar field (``signal.channel`` → ``signal__channel``)."""
    return name.replace(".", "__")


def set_key(name: str, index: int) -> str:
    """Row key of one member of a set field (indices keep codes like ``DD-CV`` safe)."""
    return f"{field_key(name)}__{index}"


def count_key(index: int) -> str:
    return f"count__{index}"


def scope_key(index: int) -> str:
    """Row key of the guard "the receiving committee lies in addition scope ``index``"."""
    return f"scope__{index}"


def _atom_test(atom: Cmp | In | Has) -> SignalTest:
    """A predicate on one signal for a ``count(signals where …)`` atom."""
    attr = atom.field.partition(".")[2]
    if isinstance(atom, Has):
        wanted = frozenset(nfc(v) for v in atom.values)

        def has(s: Signal) -> bool:
            values = getattr(s, attr)
            # A value found as written is already NFC; only non-ASCII misses need normalising.
            if not wanted.isdisjoint(values):
                return True
            return any(nfc(v) in wanted for v in values if not v.isascii())

        return has
    if isinstance(atom, In):
        members = frozenset(norm(v) for v in atom.values)
        if atom.negate:
            return lambda s: norm(getattr(s, attr)) not in members
        return lambda s: norm(getattr(s, attr)) in members
    op, right = COMPARE[atom.op], norm(atom.value)
    return lambda s: bool(op(norm(getattr(s, attr)), right))


@dataclass(frozen=True)
class CountPlan:
    """One windowed count: its row key, window and the signal predicates it requires."""

    key: str
    within_days: int | None
    tests: tuple[SignalTest, ...]

    def total(self, facts: CaseFacts, windows: dict[int | None, list[Signal]] | None = None) -> int:
        """How many of the case's signals satisfy the count inside its window (``windows``
        shares each window's signals between the counts of one case)."""
        within = self.within_days
        signals = windows.get(within) if windows is not None else None
        if signals is None:
            signals = facts.signals
            if within is not None:
                latest = facts.as_of
                earliest = latest - dt.timedelta(days=within)
                signals = [s for s in signals if earliest < s.received_on <= latest]
            if windows is not None:
                windows[within] = signals
        tests = self.tests
        if not tests:
            return len(signals)
        if len(tests) == 1:
            # Each test returns a bool, so summing the results counts the matches.
            return sum(map(tests[0], signals))
        return sum(1 for s in signals if all(test(s) for test in tests))


@dataclass(frozen=True)
class RowPlan:
    """What a fact row holds for one compiled pack, with every key precomputed
    (``set_fields`` maps each set field's attribute to ``{member: row key}``)."""

    case_fields: tuple[tuple[str, str, str], ...]
    signal_fields: tuple[tuple[str, str], ...]
    set_fields: tuple[tuple[str, dict[str, str]], ...]
    counts: tuple[CountPlan, ...]
    scopes: tuple[tuple[str, str], ...]


def plan_rows(
    scalar_fields: tuple[str, ...],
    set_values: dict[str, tuple[str, ...]],
    counts: tuple[Count, ...],
    scopes: tuple[str, ...],
) -> RowPlan:
    """Plan the rows of a pack from the fields, counts and addition scopes its rules use."""
    case_fields: list[tuple[str, str, str]] = []
    signal_fields: list[tuple[str, str]] = []
    for name in scalar_fields:
        scope, _, attr = name.partition(".")
        if scope == "signal":
            signal_fields.append((field_key(name), attr))
        else:
            case_fields.append((field_key(name), scope, attr))
    return RowPlan(
        case_fields=tuple(case_fields),
        signal_fields=tuple(signal_fields),
        set_fields=tuple(
            (
                name.partition(".")[2],
                {nfc(member): set_key(name, i) for i, member in enumerate(members)},
            )
            for name, members in set_values.items()
        ),
        counts=tuple(
            CountPlan(count_key(i), c.within_days, tuple(_atom_test(a) for a in c.where))
            for i, c in enumerate(counts)
        ),
        scopes=tuple((scope_key(i), path) for i, path in enumerate(scopes)),
    )


def build_rows(plan: RowPlan, facts: CaseFacts, sid: str) -> list[dict[str, Any]]:
    """One fact row per signal; the case-wide part (counts, subject, guards) is built once."""
    common: dict[str, Any] = {"sid": sid}
    windows: dict[int | None, list[Signal]] = {}
    for count in plan.counts:
        common[count.key] = count.total(facts, windows)
    for key, scope, attr in plan.case_fields:
        source: Any = facts.subject if scope == "subject" else facts
        common[key] = norm(getattr(source, attr))
    path = facts.committee_path
    for key, prefix in plan.scopes:
        common[key] = bool(path) and path.startswith(prefix)
    rows: list[dict[str, Any]] = []
    signal_fields, set_fields = plan.signal_fields, plan.set_fields
    for index, signal in enumerate(facts.signals):
        row = common.copy()
        row["id"] = f"row{index}"
        for key, attr in signal_fields:
            value = getattr(signal, attr)
            row[key] = value if value.__class__ is not str or value.isascii() else nfc(value)
        # Only members present are written: conditions on set fields only ever ask
        # ``key == true``, and a missing key fails that in both evaluators, so a row need
        # not carry a hundred ``false`` indicator flags.
        for attr, keys in set_fields:
            for member in getattr(signal, attr):
                member_key = keys.get(member)
                if member_key is None and not member.isascii():
                    member_key = keys.get(nfc(member))  # keys are NFC; an NFD member is not
                if member_key is not None:
                    row[member_key] = True
        rows.append(row)
    return rows


def compare(left: Any, op: str, right: Value) -> bool:
    """The six comparison operators, shared by counts and the reference evaluator."""
    return bool(COMPARE[op](left, right))
