"""The condition language of ``when:`` (small, typed) parsed into an expression tree.

A condition is an atom string or a mapping ``{any: [...]}`` / ``{all: [...]}`` nesting
further conditions. Atoms:

* ``FIELD == VALUE`` (also ``!=``, ``<``, ``<=``, ``>``, ``>=``)
* ``FIELD in [V1, V2]`` / ``FIELD not in [V1, V2]``
* ``FIELD has V`` / ``FIELD has [V1, V2]`` for set fields (any of the values)
* ``count(signals [where P and P …]) OP NUMBER [within N days]`` where each ``P`` is a
  signal predicate written without the ``signal.`` prefix (``indicator in [DD3]``,
  ``channel == "press"``, ``flags has corruption``).

A rule matches a case when **some signal** of the case satisfies the condition (subject
fields and counts are the same for every signal of the case).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from giamsat.web.i18n import N_, Word

Value = str | int | float | bool

COMPARE_OPS = ("==", "!=", "<", "<=", ">", ">=")


@dataclass(frozen=True)
class FieldType:
    """What a field holds: ``enum`` (closed set), ``set`` (of enum values), ``bool``."""

    kind: str
    allowed: frozenset[str] = frozenset()
    what: str = "value"


@dataclass(frozen=True)
class Cmp:
    field: str
    op: str
    value: Value


@dataclass(frozen=True)
class In:
    field: str
    values: tuple[Value, ...]
    negate: bool


@dataclass(frozen=True)
class Has:
    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Count:
    """A windowed count of the case's signals; ``where`` uses ``signal.`` fields."""

    where: tuple[Cmp | In | Has, ...]
    within_days: int | None
    op: str
    value: int | float


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class AllOf:
    items: tuple[Expr, ...]


Expr = Cmp | In | Has | Count | AnyOf | AllOf


#: The kinds of values a field holds, as staff call them (``FieldType.what``: catalogue ids).
WHAT_WORDS = (
    N_("managing level"),
    N_("position kind"),
    N_("channel"),
    N_("signal kind"),
    N_("indicator code"),
    N_("flag"),
    N_("committee level"),
    N_("value"),
)


class ConditionError(ValueError):
    """A condition is malformed or references something the pack does not define.

    ``template`` is the English catalogue id (``N_``) and ``params`` fill it: the pack's
    problem list words it for staff in Vietnamese (``PackError.worded``)."""

    def __init__(self, template: str, where: tuple[str | int, ...] = (), **params: object) -> None:
        super().__init__(template % params if params else template)
        self.path = where
        self.template = template
        self.params = params


_TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?![A-Za-z])|(?P<str>\"[^\"]*\")"
    r"|(?P<op>==|!=|<=|>=|<|>)|(?P<punct>[\[\](),])|(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*))"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ConditionError(
                N_("cannot read %(rest)s in condition %(text)s"),
                rest=repr(text[pos:]),
                text=repr(text),
            )
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, text: str, fields: dict[str, FieldType]) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.pos = 0
        self.fields = fields

    def peek(self) -> tuple[str, str]:
        return self.toks[self.pos] if self.pos < len(self.toks) else ("end", "")

    def take(self, kind: str | None = None, value: str | None = None) -> str:
        tok_kind, tok_value = self.peek()
        if (kind and tok_kind != kind) or (value and tok_value != value):
            wanted = value or kind
            raise ConditionError(
                N_("expected %(wanted)s but found %(found)s"),
                wanted=repr(wanted),
                found=repr(tok_value) if tok_value else Word(N_("the end of the condition")),
            )
        self.pos += 1
        return tok_value

    def value(self) -> Value:
        kind, text = self.peek()
        self.pos += 1
        if kind == "num":
            number = float(text)
            return int(text) if re.fullmatch(r"-?\d+", text) else number
        if kind == "str":
            return text[1:-1]
        if kind == "name":
            return {"true": True, "false": False}.get(text, text)
        raise ConditionError(
            N_("expected a value but found %(found)s"),
            found=repr(text) if text else Word(N_("the end of the condition")),
        )

    def values(self) -> tuple[Value, ...]:
        if self.peek()[1] != "[":
            return (self.value(),)
        self.take("punct", "[")
        items = [self.value()]
        while self.peek()[1] == ",":
            self.take("punct", ",")
            items.append(self.value())
        self.take("punct", "]")
        return tuple(items)

    def field_atom(self, prefix: str) -> Cmp | In | Has:
        name = self.take("name")
        if prefix and name == "indicator":
            name = "indicators"
        field = f"{prefix}{name}"
        ftype = self.fields.get(field)
        if ftype is None:
            raise ConditionError(
                N_("condition references missing field %(field)s"), field=repr(field)
            )
        kind, text = self.peek()
        if kind == "op":
            self.pos += 1
            atom: Cmp | In | Has = Cmp(field, text, self.value())
        elif text == "has" or (text == "in" and ftype.kind == "set"):
            self.pos += 1
            atom = Has(field, tuple(str(v) for v in self.values()))
        elif text == "in":
            self.pos += 1
            atom = In(field, self.values(), negate=False)
        elif text == "not":
            self.pos += 1
            self.take("name", "in")
            atom = In(field, self.values(), negate=True)
        else:
            raise ConditionError(
                N_("expected an operator (==, in, has…) after %(field)s, found %(found)s"),
                field=repr(field),
                found=repr(text) if text else Word(N_("the end of the condition")),
            )
        _check_types(atom, ftype)
        return atom

    def count(self) -> Count:
        self.take("name", "count")
        self.take("punct", "(")
        self.take("name", "signals")
        where: list[Cmp | In | Has] = []
        if self.peek()[1] == "where":
            self.pos += 1
            where.append(self.field_atom("signal."))
            while self.peek()[1] == "and":
                self.pos += 1
                where.append(self.field_atom("signal."))
        self.take("punct", ")")
        op = self.take("op")
        number = self.value()
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise ConditionError(
                N_("count() must be compared with a number, not %(value)s"), value=repr(number)
            )
        within: int | None = None
        if self.peek()[1] == "within":
            self.pos += 1
            days = self.value()
            if not isinstance(days, int) or isinstance(days, bool) or days < 1:
                raise ConditionError(
                    N_("'within' needs a positive whole number of days: %(value)s"),
                    value=repr(days),
                )
            self.take("name", "days")
            within = days
        return Count(tuple(where), within, op, number)

    def atom(self) -> Expr:
        atom: Expr = self.count() if self.peek()[1] == "count" else self.field_atom("")
        if self.pos != len(self.toks):
            raise ConditionError(
                N_("unexpected %(text)s after a complete condition"), text=repr(self.peek()[1])
            )
        return atom


def _check_types(atom: Cmp | In | Has, ftype: FieldType) -> None:
    values: tuple[Value, ...] = atom.values if isinstance(atom, In | Has) else (atom.value,)
    if isinstance(atom, Has) and ftype.kind != "set":
        raise ConditionError(
            N_("'has' needs a set field; %(field)s holds one value"), field=repr(atom.field)
        )
    if isinstance(atom, Cmp | In) and ftype.kind == "set":
        raise ConditionError(
            N_("%(field)s holds several values: use 'has'"), field=repr(atom.field)
        )
    if isinstance(atom, Cmp) and atom.op not in ("==", "!=") and ftype.kind != "int":
        raise ConditionError(
            N_("%(op)s compares numbers; %(field)s is not a number"),
            op=repr(atom.op),
            field=repr(atom.field),
        )
    for value in values:
        if ftype.kind == "bool":
            if not isinstance(value, bool):
                raise ConditionError(
                    N_("%(field)s is true or false, not %(value)s"),
                    field=repr(atom.field),
                    value=repr(value),
                )
        elif isinstance(value, bool) or not isinstance(value, str):
            raise ConditionError(
                N_("%(field)s is compared with text, not %(value)s"),
                field=repr(atom.field),
                value=repr(value),
            )
        elif ftype.allowed and value not in ftype.allowed:
            raise ConditionError(
                N_("unknown %(what)s %(value)s in condition on %(field)s"),
                what=Word(ftype.what),
                value=repr(value),
                field=repr(atom.field),
            )


def parse_condition(
    raw: Any, fields: dict[str, FieldType], path: tuple[str | int, ...] = ()
) -> Expr:
    """Parse a ``when:`` value; raise :class:`ConditionError` carrying the sub-path."""
    if isinstance(raw, str):
        try:
            return _Parser(raw, fields).atom()
        except ConditionError as exc:
            raise ConditionError(exc.template, path, **exc.params) from None
    if isinstance(raw, dict) and len(raw) == 1:
        ((key, items),) = raw.items()
        if key in ("any", "all") and isinstance(items, list) and items:
            parsed = tuple(
                parse_condition(item, fields, (*path, key, i)) for i, item in enumerate(items)
            )
            return AnyOf(parsed) if key == "any" else AllOf(parsed)
    raise ConditionError(
        N_(
            "a condition is a text atom or a mapping with one key 'any' or 'all' holding a "
            "non-empty list"
        ),
        path,
    )


def referenced(expr: Expr) -> tuple[set[str], set[Count]]:
    """Return the fields and the counts an expression uses (for compact fact rows)."""
    if isinstance(expr, AnyOf | AllOf):
        fields: set[str] = set()
        counts: set[Count] = set()
        for item in expr.items:
            sub_fields, sub_counts = referenced(item)
            fields |= sub_fields
            counts |= sub_counts
        return fields, counts
    if isinstance(expr, Count):
        return set(), {expr}
    return {expr.field}, set()
