"""A pack as people read it: each part as a table of words, never codes (the plan editor's
overview, a published version read back)."""

from __future__ import annotations

import msgspec

from giamsat.db.scope import system_scope
from giamsat.rulepacks import vocabulary as vocab
from giamsat.rulepacks.loader import Loaded
from giamsat.rulepacks.model import Actions, Rule, RulePack
from giamsat.rulepacks.tables import Alternative, other_text, to_table
from giamsat.web.i18n import N_, Translator


class RuleLine(msgspec.Struct, frozen=True, kw_only=True):
    """A rule as one line of its decision table: name, conditions (each row), outcome."""

    id: str
    title: str
    conditions: list[list[tuple[str, str]]]
    outcome: list[tuple[str, str]]


class PackWords(msgspec.Struct, frozen=True, kw_only=True):
    pack: RulePack
    indicator_rules: list[RuleLine]
    routing_rules: list[RuleLine]
    levels: dict[str, str]
    clocks: dict[str, str]


_LABELS: dict[str, str] = {
    "signal.channel": N_("Channel"),
    "signal.kind": N_("Kind"),
    "signal.indicators": N_("Indicators"),
    "signal.flags": N_("Flags"),
    "signal.receiving_level": N_("Level receiving the signal"),
    "case.receiving_level": N_("Level holding the case"),
    "subject.managing_level": N_("Cadre managed at"),
    "subject.position": N_("Position"),
    "party_member": N_("Is a party member"),
    "count": N_("Number of signals"),
    "other": N_("Other condition"),
    "open_case": N_("Open a case, priority"),
    "add_findings": N_("Record findings"),
    "record_signal_indicators": N_("Record the signal's indicators"),
    "start_clocks": N_("Start clocks"),
    "propose_delegation": N_("Propose a supervision delegation"),
    "record_at_residence": N_("Record on the member's residence record"),
    "route_to": N_("Route to level"),
    "at_least": N_("at least %(n)s signals"),
    "within": N_("within %(d)s days"),
}
_VOCAB = {
    "signal.channel": vocab.CHANNELS,
    "signal.kind": vocab.SIGNAL_KINDS,
    "signal.flags": vocab.FLAGS,
    "subject.managing_level": vocab.MANAGING_LEVELS,
    "subject.position": vocab.POSITIONS,
}


def _alternative(alt: Alternative, levels: dict[str, str], lang: str) -> list[tuple[str, str]]:
    tr = Translator(lang)
    out: list[tuple[str, str]] = []
    for field, values in alt.cells.items():
        if field in _VOCAB:
            words = [vocab.word(_VOCAB[field], v, lang) for v in values]
        elif field.endswith("receiving_level"):
            words = [levels.get(v, v) for v in values]
        else:
            words = list(values)
        out.append((tr.gettext(_LABELS[field]), ", ".join(words)))
    if alt.party_member is not None:
        out.append(
            (
                tr.gettext(_LABELS["party_member"]),
                vocab.word(vocab.YES_NO, str(alt.party_member).lower(), lang),
            )
        )
    if alt.at_least is not None:
        text = tr.gettext(_LABELS["at_least"], n=alt.at_least)
        if alt.within_days:
            text += " " + tr.gettext(_LABELS["within"], d=alt.within_days)
        out.append((tr.gettext(_LABELS["count"]), text))
    if alt.other is not None:
        out.append((tr.gettext(_LABELS["other"]), other_text(alt.other)))
    return out


def _outcome(
    then: Actions, levels: dict[str, str], clocks: dict[str, str], lang: str
) -> list[tuple[str, str]]:
    tr = Translator(lang)
    yes = vocab.word(vocab.YES_NO, "true", lang)
    out: list[tuple[str, str]] = []
    if then.open_case:
        out.append(
            (tr.gettext(_LABELS["open_case"]), vocab.word(vocab.PRIORITIES, then.open_case, lang))
        )
    if then.add_findings:
        out.append((tr.gettext(_LABELS["add_findings"]), ", ".join(then.add_findings)))
    if then.record_signal_indicators:
        out.append((tr.gettext(_LABELS["record_signal_indicators"]), yes))
    if then.start_clocks:
        out.append(
            (
                tr.gettext(_LABELS["start_clocks"]),
                ", ".join(clocks.get(c, c) for c in then.start_clocks),
            )
        )
    if then.propose_delegation:
        out.append((tr.gettext(_LABELS["propose_delegation"]), yes))
    if then.record_at_residence:
        out.append(
            (tr.gettext(_LABELS["record_at_residence"]), ", ".join(then.record_at_residence))
        )
    if then.route_to:
        out.append((tr.gettext(_LABELS["route_to"]), levels.get(then.route_to, then.route_to)))
    return out


def _lines(
    rules: list[Rule], loaded: Loaded, levels: dict[str, str], clocks: dict[str, str], lang: str
) -> list[RuleLine]:
    out = []
    for rule in rules:
        table = to_table(rule, loaded.fields)
        out.append(
            RuleLine(
                id=rule.id,
                title=rule.title_vi if lang == "vi" else rule.title_en,
                conditions=[_alternative(a, levels, lang) for a in table.alternatives],
                outcome=_outcome(rule.then, levels, clocks, lang),
            )
        )
    return out


def rule_lines(rules: list[Rule], loaded: Loaded, lang: str) -> list[RuleLine]:
    """Rules outside the pack (a lower committee's additions) in the pack's words."""
    view = pack_view(loaded, lang)
    return _lines(rules, loaded, view.levels, view.clocks, lang)


def pack_view(loaded: Loaded, lang: str) -> PackWords:
    """Every part of the pack in the words of ``lang``."""
    pack = loaded.pack
    levels = {lvl.code: lvl.title_vi if lang == "vi" else lvl.title_en for lvl in pack.rules.levels}
    clocks = {c.id: c.title_vi if lang == "vi" else c.title_en for c in pack.rules.clocks}

    def lines(section: str) -> list[RuleLine]:
        return _lines(getattr(pack.rules, section), loaded, levels, clocks, lang)

    return PackWords(
        pack=pack,
        indicator_rules=lines("indicator_rules"),
        routing_rules=lines("routing_rules"),
        levels=levels,
        clocks=clocks,
    )


async def publisher_name(user_id: int | None) -> str:
    """Who published a version, by name (the account may belong to the issuing committee)."""
    if user_id is None:
        return "—"
    from giamsat.accounts.tables import User

    async with system_scope():
        row = await User.select(User.full_name, User.username).where(User.id == user_id).first()
    if row is None:
        return "—"
    return str(row["full_name"] or row["username"])


_CHANGE_LABELS: dict[str, str] = {
    "open_case": N_("Case opened"),
    "priority": N_("Priority"),
    "findings": N_("Findings"),
    "route_to_level": N_("Level taking the case"),
    "forward_up": N_("Forwarded up to the level above"),
    "clocks": N_("Clocks (working days)"),
    "propose_delegation": N_("Delegation proposed"),
    "fired": N_("Rules applied"),
}


def change_words(
    changes: dict[str, list[object]], view: PackWords, lang: str
) -> list[tuple[str, str, str]]:
    """One simulated change as (what, before, after) in words: no codes, no Python lists."""
    titles = {r.id: r.title for r in [*view.indicator_rules, *view.routing_rules]}

    def words(field: str, value: object) -> str:
        if value is None or value == [] or value == {}:
            return "—"
        if isinstance(value, bool):
            return vocab.word(vocab.YES_NO, str(value).lower(), lang)
        if field == "priority":
            return vocab.word(vocab.PRIORITIES, str(value), lang)
        if field == "route_to_level":
            return view.levels.get(str(value), str(value))
        if field == "fired" and isinstance(value, list):
            return "; ".join(titles.get(str(v), str(v)) for v in value)
        if isinstance(value, dict):
            return ", ".join(f"{view.clocks.get(str(k), str(k))}: {v}" for k, v in value.items())
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return str(value)

    tr = Translator(lang)
    return [
        (
            tr.gettext(_CHANGE_LABELS[field]) if field in _CHANGE_LABELS else field,
            words(field, pair[0]),
            words(field, pair[1]),
        )
        for field, pair in changes.items()
        if isinstance(pair, list) and len(pair) == 2
    ]
