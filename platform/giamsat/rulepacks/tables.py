"""Rules as decision tables: each rule a row of condition columns and outcome columns.

The pack's YAML stays the canonical form; this module reads a rule's ``when`` into table
cells and writes cells back into a ``when``. Reading the columns of one row:

* each condition cell holds a list of values and matches when the signal (or the cadre)
  has **any** of them; an empty cell matches everything;
* the cells of one row must **all** match (and the same signal must satisfy every signal
  column);
* "at least N signals within D days" turns the row's signal columns into a count: at least N
  of the case's signals match them within D days;
* a rule may take several rows (its id repeated, outcome written once): any row may match;
* "other condition" holds anything the columns cannot say, in the pack's condition language.

Hit policy: in the indicator table every matching row applies (DMN *collect*); priorities
combine by maximum. In the routing table the most senior matching level wins (DMN
*priority*).
"""

from __future__ import annotations

import re
from typing import Any, Final

import msgspec
import yaml

from giamsat.rulepacks.conditions import (
    AllOf,
    AnyOf,
    Cmp,
    ConditionError,
    Count,
    Expr,
    FieldType,
    Has,
    In,
    parse_condition,
)
from giamsat.rulepacks.model import Actions, Rule

#: Condition columns, in table order: (field, kind). ``in`` = one value of a list,
#: ``has`` = a set field holding any of the list, ``bool`` = yes / no.
CONDITION_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("signal.channel", "in"),
    ("signal.kind", "in"),
    ("signal.indicators", "has"),
    ("signal.flags", "has"),
    ("signal.receiving_level", "in"),
    ("case.receiving_level", "in"),
    ("subject.managing_level", "in"),
    ("subject.position", "in"),
    ("subject.is_party_member", "bool"),
)
_COLUMN_KIND = dict(CONDITION_COLUMNS)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")


class Alternative(msgspec.Struct, frozen=True, kw_only=True):
    """One row's conditions: ``cells`` maps a condition column's field to its values."""

    cells: dict[str, list[str]] = msgspec.field(default_factory=dict)
    party_member: bool | None = None
    at_least: int | None = None
    within_days: int | None = None
    #: Anything the columns cannot say, as a condition (an atom or an any/all mapping).
    other: str | dict[str, Any] | None = None


class TableRule(msgspec.Struct, frozen=True, kw_only=True):
    """A rule as the table shows it: its name, its rows of conditions, its outcome."""

    id: str
    title_vi: str
    title_en: str
    alternatives: list[Alternative]
    then: Actions


def _cell_of(atom: Cmp | In | Has, fields: dict[str, FieldType]) -> tuple[str, Any] | None:
    """The column an atom fills and its value, or None when no column can hold it."""
    kind = _COLUMN_KIND.get(atom.field)
    if kind is None or atom.field not in fields:
        return None
    if kind == "bool":
        if isinstance(atom, Cmp) and atom.op == "==" and isinstance(atom.value, bool):
            return atom.field, atom.value
        return None
    if kind == "has" and isinstance(atom, Has):
        return atom.field, list(atom.values)
    if kind == "in" and isinstance(atom, Cmp) and atom.op == "==" and isinstance(atom.value, str):
        return atom.field, [atom.value]
    plain = isinstance(atom, In) and not atom.negate
    if kind == "in" and plain and all(isinstance(v, str) for v in atom.values):  # type: ignore[union-attr]
        return atom.field, [str(v) for v in atom.values]  # type: ignore[union-attr]
    return None


def _row_of(items: tuple[Expr, ...], fields: dict[str, FieldType]) -> Alternative | None:
    """A row for atoms that must all hold, or None when the columns cannot say it."""
    cells: dict[str, list[str]] = {}
    party_member: bool | None = None
    at_least: int | None = None
    within: int | None = None
    counted = False
    for item in items:
        if isinstance(item, Count):
            if counted or item.op != ">=" or not isinstance(item.value, int):
                return None
            counted, at_least, within = True, item.value, item.within_days
            for where in item.where:
                found = _cell_of(where, fields)
                if found is None or not found[0].startswith("signal.") or found[0] in cells:
                    return None
                cells[found[0]] = found[1]
            continue
        if not isinstance(item, Cmp | In | Has):
            return None
        found = _cell_of(item, fields)
        if found is None:
            return None
        column, value = found
        if column == "subject.is_party_member":
            if party_member is not None:
                return None
            party_member = value
        elif column in cells or (counted and column.startswith("signal.")):
            return None
        else:
            cells[column] = value
    if counted and any(
        not isinstance(i, Count) and i.field.startswith("signal.")  # type: ignore[union-attr]
        for i in items
    ):
        return None
    return Alternative(
        cells=cells, party_member=party_member, at_least=at_least, within_days=within
    )


def _alternatives(expr: Expr, fields: dict[str, FieldType]) -> list[Alternative] | None:
    branches = expr.items if isinstance(expr, AnyOf) else (expr,)
    rows: list[Alternative] = []
    for branch in branches:
        row = _row_of(branch.items if isinstance(branch, AllOf) else (branch,), fields)
        if row is None:
            return None
        rows.append(row)
    return rows


def to_table(rule: Rule, fields: dict[str, FieldType]) -> TableRule:
    """Read a rule into table rows; what the columns cannot say goes to "other"."""
    try:
        rows = _alternatives(parse_condition(rule.when, fields), fields)
    except ConditionError:
        rows = None
    if rows is None:
        rows = [Alternative(other=rule.when)]
    return TableRule(
        id=rule.id,
        title_vi=rule.title_vi,
        title_en=rule.title_en,
        alternatives=rows,
        then=rule.then,
    )


def _value(text: str) -> str:
    return text if _NAME.match(text) and text not in ("true", "false") else f'"{text}"'


def _atom(field: str, values: list[str]) -> str:
    listed = f"[{', '.join(map(_value, values))}]"
    if _COLUMN_KIND[field] == "has":
        return f"{field} has {_value(values[0]) if len(values) == 1 else listed}"
    if len(values) == 1:
        return f'{field} == "{values[0]}"'
    return f"{field} in {listed}"


def condition_items(row: Alternative) -> list[tuple[str, Any]]:
    """The atoms of one row in column order, each with the column key it comes from
    (``at_least`` for the count, ``other`` for the free condition)."""
    items: list[tuple[str, Any]] = []
    signal_atoms: list[str] = []
    for field, _kind in CONDITION_COLUMNS:
        if field == "subject.is_party_member":
            if row.party_member is not None:
                items.append((field, f"{field} == {'true' if row.party_member else 'false'}"))
            continue
        values = row.cells.get(field)
        if not values:
            continue
        if row.at_least is not None and field.startswith("signal."):
            signal_atoms.append(_atom(field, values).removeprefix("signal."))
        else:
            items.append((field, _atom(field, values)))
    if row.at_least is not None:
        where = f" where {' and '.join(signal_atoms)}" if signal_atoms else ""
        within = f" within {row.within_days} days" if row.within_days else ""
        items.insert(0, ("at_least", f"count(signals{where}) >= {row.at_least}{within}"))
    if row.other is not None:
        items.append(("other", row.other))
    return items


def _condition(row: Alternative) -> list[Any]:
    return [item for _key, item in condition_items(row)]


def to_when(alternatives: list[Alternative]) -> str | dict[str, Any]:
    """The ``when`` of a rule's rows: one row's atoms all hold; any of several rows."""
    branches: list[Any] = []
    for row in alternatives:
        items = _condition(row)
        branches.append(items[0] if len(items) == 1 else {"all": items})
    return branches[0] if len(branches) == 1 else {"any": branches}


def to_rule(table: TableRule) -> Rule:
    """The pack rule a table rule stands for."""
    return Rule(
        id=table.id,
        title_vi=table.title_vi,
        title_en=table.title_en,
        when=to_when(table.alternatives),
        then=table.then,
    )


def other_text(other: str | dict[str, Any] | None) -> str:
    """How the "other condition" cell shows a condition (an atom, or a flow mapping)."""
    if other is None:
        return ""
    if isinstance(other, str):
        return other
    return str(yaml.safe_dump(other, default_flow_style=True, allow_unicode=True, width=10_000))


def read_other(text: str) -> str | dict[str, Any] | None:
    """The condition written in an "other condition" cell (None when blank)."""
    text = text.strip()
    if not text:
        return None
    if text.startswith("{"):
        loaded = yaml.safe_load(text)
        if isinstance(loaded, dict):
            return loaded
    return text


# -- meaning, for comparing two packs --------------------------------------------------------


def _canon_atom(atom: Cmp | In | Has) -> tuple[Any, ...]:
    if isinstance(atom, Cmp) and atom.op == "==" and isinstance(atom.value, str):
        return ("in", atom.field, frozenset([atom.value]))
    if isinstance(atom, In) and not atom.negate:
        return ("in", atom.field, frozenset(atom.values))
    if isinstance(atom, Has):
        return ("has", atom.field, frozenset(atom.values))
    if isinstance(atom, In):
        return ("not in", atom.field, frozenset(atom.values))
    return ("cmp", atom.field, atom.op, atom.value)


def meaning(expr: Expr) -> frozenset[frozenset[tuple[Any, ...]]]:
    """A rule condition as a set of alternatives, each a set of atoms that must all hold.

    Two conditions with the same meaning written differently (``==`` or a one-value ``in``,
    atoms in another order, ``all`` of one item) give the same result.
    """
    if isinstance(expr, AnyOf):
        return frozenset().union(*(meaning(i) for i in expr.items))
    if isinstance(expr, AllOf):
        combined: frozenset[frozenset[tuple[Any, ...]]] = frozenset([frozenset()])
        for item in expr.items:
            combined = frozenset(a | b for a in combined for b in meaning(item))
        return combined
    if isinstance(expr, Count):
        where = frozenset(_canon_atom(w) for w in expr.where)
        return frozenset([frozenset([("count", where, expr.within_days, expr.op, expr.value)])])
    return frozenset([frozenset([_canon_atom(expr)])])
