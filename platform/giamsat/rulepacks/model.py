"""The pack format: YAML files of one plan folder, decoded into msgspec structs.

A folder holds ``pack.yaml`` (the plan), ``indicators.yaml`` (catalogue),
``rules.yaml`` (levels, channels, clocks, indicator and routing rules, reporting schedule)
and ``examples.yaml`` (cases with expected outcomes). See ``rules/README.md``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec

from giamsat.rulepacks.facts import CaseFacts, Priority


class Text(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A name in Vietnamese and English."""

    vi: str
    en: str


class LegalBasis(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A document the plan implements (nghị quyết, quy định, hướng dẫn …)."""

    code: str
    title_vi: str
    issued_on: dt.date | None = None
    #: ``false`` until the code, title and date are checked against the signed document.
    verified: bool = True
    note: str = ""


class Plan(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Kế hoạch giám sát: the yearly plan a pack carries."""

    id: str
    name: Text
    year: int
    issuing_committee: str
    effective_from: dt.date
    effective_to: dt.date
    legal_bases: list[LegalBasis] = msgspec.field(default_factory=list)


class Indicator(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One catalogue entry (biểu hiện / nhiệm vụ / điều cấm) a signal can be tagged with."""

    code: str
    group: str
    text_vi: str
    text_en: str
    source: str
    verified: bool


class Level(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A Front committee level; ``parent`` is where a case is forwarded up to."""

    code: str
    parent: str | None
    title_vi: str
    title_en: str


class Clock(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A deadline in working days; ``complex_working_days`` applies to complex cases."""

    id: str
    title_vi: str
    title_en: str
    working_days: int
    complex_working_days: int
    on_overdue: Literal["escalate_to_parent", "remind"] = "escalate_to_parent"
    #: May staff pause this clock (tạm dừng tính hạn), e.g. while another body verifies facts?
    pausable: bool = False


class Actions(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The whitelist of platform verbs a rule may name; a pack never carries code."""

    open_case: Priority | None = None
    add_findings: list[str] = msgspec.field(default_factory=list)
    record_signal_indicators: bool = False
    start_clocks: list[str] = msgspec.field(default_factory=list)
    propose_delegation: bool = False
    route_to: str | None = None
    #: Residence duties (e.g. NCT1–NCT7 of Quy định 213): those a signal names become findings
    #: on the party member's residence record at the commune where the member lives, not a case.
    record_at_residence: list[str] = msgspec.field(default_factory=list)


class Rule(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A named rule: its titles are what staff see as the reason it fired."""

    id: str = msgspec.field(name="id")
    title_vi: str
    title_en: str
    when: str | dict[str, Any]
    then: Actions


class Reporting(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """What rolls up the tree and by when; counts below ``suppress_below`` are hidden."""

    deadline: dt.date
    from_levels: list[str]
    to_level: str
    suppress_below: int
    group_by: list[Literal["indicator", "channel", "kind", "level"]]
    #: ``false`` while the deadline is not taken from the signed plan; ``note`` says why.
    verified: bool = True
    note: str = ""


class RuleSet(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The decoded ``rules.yaml``."""

    levels: list[Level]
    channels: list[str]
    clocks: list[Clock]
    indicator_rules: list[Rule]
    routing_rules: list[Rule]
    reporting: Reporting
    #: Phân loại: working days a signal the pack cannot decide yet (no cadre or no indicator)
    #: may wait for staff to classify it before they are reminded; ``None``: never reminded.
    triage_working_days: Annotated[int, msgspec.Meta(gt=0, le=60)] | None = None


class Expectation(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Expected parts of a decision; fields left out are not checked."""

    open_case: bool | None = None
    priority: Priority | None = None
    findings: list[str] | None = None
    route_to_level: str | None = None
    forward_up: bool | None = None
    clocks: dict[str, int] | None = None
    propose_delegation: bool | None = None
    fired: list[str] | None = None
    residence_duties: list[str] | None = None


class Example(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A worked case; validation evaluates it and compares with ``expect``."""

    id: str
    title_vi: str
    facts: CaseFacts
    expect: Expectation


class RulePack(msgspec.Struct, frozen=True):
    """A whole validated pack; ``version`` is ``<plan id>@<content hash>``."""

    plan: Plan
    indicators: list[Indicator]
    rules: RuleSet
    examples: list[Example]
    content_hash: str

    @property
    def version(self) -> str:
        """The pack version id recorded with every decision."""
        return f"{self.plan.id}@{self.content_hash[:12]}"
