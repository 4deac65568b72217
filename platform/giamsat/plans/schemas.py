"""Boundary structs of published plans: publishing, history and simulation results."""

from __future__ import annotations

import datetime as dt

import msgspec

from giamsat.rulepacks import PackError


class PackVersionView(msgspec.Struct, frozen=True, kw_only=True):
    """One published version, as the history and the active-pack lookups show it."""

    id: int
    committee_code: str
    issuer_path: str
    plan_id: str
    version: str
    year: int
    name: str
    effective_from: dt.date
    published_at: dt.datetime
    published_by: int | None
    #: The plan's last day (``plan.effective_to``, inclusive): the version is in force from
    #: ``effective_from`` to this day and never after it.
    effective_to: dt.date | None = None
    #: In a publish result only: the lower committees' additions to the version this one
    #: replaces, which no longer apply from its date (republish or carry them over).
    additions_left_behind: list[AdditionView] = msgspec.field(default_factory=list)


class AdditionView(msgspec.Struct, frozen=True, kw_only=True):
    """A lower committee's published addition to one pack version."""

    id: int
    committee_code: str
    tenant_path: str
    addition_id: str
    base_version: str
    content_hash: str
    effective_from: dt.date
    published_at: dt.datetime
    published_by: int | None


class AdditionRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """An addition to publish or check through the API: its YAML text and effective date."""

    content: str
    effective_from: dt.date
    filename: str = "addition.yaml"


class AdditionSimulationRequest(msgspec.Struct, frozen=True, kw_only=True,
                                forbid_unknown_fields=True):  # fmt: skip
    """A candidate addition to simulate over the caller's subtree (nothing is stored)."""

    content: str
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    filename: str = "addition.yaml"


class CarryOverRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Carry the caller's additions over to the version in force on ``effective_from``."""

    effective_from: dt.date


class ValidationReport(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of validating a candidate: ``errors`` empty means it may be published."""

    ok: bool
    version: str | None
    errors: list[PackError]
    #: ``file:line: rule: message`` for each error, in Vietnamese.
    rendered: list[str]
    #: Worth a look, but publishing may go ahead (e.g. examples still dated last year).
    warnings: list[PackError] = msgspec.field(default_factory=list)
    rendered_warnings: list[str] = msgspec.field(default_factory=list)


class PublishRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A pack to publish through the API: its files as ``{filename: YAML text}``."""

    files: dict[str, str]
    effective_from: dt.date


class CandidateRequest(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A pack to validate or simulate through the API."""

    files: dict[str, str]
    period_from: dt.date | None = None
    period_to: dt.date | None = None


class SimulatedChange(msgspec.Struct, frozen=True, kw_only=True):
    """How one signal's decision would change (no personal data: ids and rule ids only)."""

    signal_id: int
    cadre_id: int
    received_on: dt.date
    receiving_level: str
    changes: dict[str, list[object]]


class SimulationReport(msgspec.Struct, frozen=True, kw_only=True):
    """What the candidate would change over the period, against the active pack's decisions."""

    committee_code: str
    candidate_version: str
    active_version: str | None
    period_from: dt.date
    period_to: dt.date
    signals: int
    cases_opened: int
    cases_not_opened: int
    routed_elsewhere: int
    clock_changes: int
    other_changes: int
    changes: list[SimulatedChange]
    #: Cases that would open either way but with another priority.
    priority_changes: int = 0
