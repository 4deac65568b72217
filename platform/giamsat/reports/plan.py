"""The reporting plan (kế hoạch báo cáo): periods, deadlines, what rolls up, what is suppressed.

:func:`load_plan` reads the shipped ``rules/<plan>/reporting.yaml`` (figures, narrative sections,
partner organisations, and the seed year's period). :func:`plan_for` is the plan a committee
works with: that, plus one period per yearly pack published over the committee (its own or an
ancestor's), each from the pack's plan dates and its ``reporting`` deadline. So every published
pack yields its reporting period, with no file to write.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import msgspec
import yaml

from giamsat.errors import ConfigurationError, InvalidInput
from giamsat.plans.service import published_over
from giamsat.web.i18n import N_

REPO = Path(__file__).resolve().parents[3]
RULES_DIR = REPO / "rules"
DEFAULT_PLAN = "2022-ha-noi"
#: The submission kind of a committee's own report; partner organisations use their code.
COMMITTEE_KIND = "committee"


class Period(msgspec.Struct, frozen=True, kw_only=True):
    """A reporting period: the work it covers and the day its reports are due."""

    id: str
    #: The period's name in the plan's words ("Năm 2022"), and in English ("Year 2022").
    name: str
    name_en: str = ""
    starts_on: date
    ends_on: date
    deadline: date
    remind_days_before: list[int] = msgspec.field(default_factory=lambda: [3, 1])
    #: The plan the period reports on, when it is not the shipped plan's own.
    plan_reference: str = ""


class FigureDefinition(msgspec.Struct, frozen=True, kw_only=True):
    """A family of figures that rolls up; ``sensitive`` families are suppressed outside."""

    family: str
    title: str
    sensitive: bool = False


class NarrativeSectionSpec(msgspec.Struct, frozen=True, kw_only=True):
    """A narrative section of the report; a ``required`` one must be written before submitting."""

    key: str
    heading: str
    #: The heading on an English page (the printed report keeps the Vietnamese one).
    heading_en: str = ""
    required: bool = True


class PartnerOrg(msgspec.Struct, frozen=True, kw_only=True):
    """A socio-political organisation reporting its channel to the Front at its level."""

    code: str
    name: str


class ReportingPlan(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the reports area needs from a yearly plan."""

    plan_reference: str
    year: int
    suppression_threshold: int
    periods: list[Period]
    figures: list[FigureDefinition]
    mandatory_sections: list[NarrativeSectionSpec]
    partners: list[PartnerOrg] = msgspec.field(default_factory=list)
    partner_figures: list[str] = msgspec.field(default_factory=list)

    def __post_init__(self) -> None:
        if self.suppression_threshold < 1:
            raise ConfigurationError("suppression_threshold must be at least 1")
        ids = [p.id for p in self.periods]
        if len(set(ids)) != len(ids) or not ids:
            raise ConfigurationError(
                N_("The reporting plan needs its periods, each named once: %(periods)s."),
                params={"periods": ", ".join(ids)},
            )
        for period in self.periods:
            if not period.starts_on <= period.ends_on:
                raise ConfigurationError(
                    N_("The reporting period %(period)s starts after it ends."),
                    params={"period": period.name},
                )

    def period(self, period_id: str) -> Period:
        """The period named ``period_id``, or a clear refusal naming the ones that exist."""
        for period in self.periods:
            if period.id == period_id:
                return period
        known = ", ".join(p.id for p in self.periods)
        raise InvalidInput(
            N_("There is no reporting period “%(period)s” in the plan (it has: %(known)s)."),
            field="period",
            params={"period": period_id, "known": known},
        )

    def current_period(self, today: date) -> Period:
        """The period whose deadline is next (or the last one once all have passed)."""
        upcoming = sorted(
            (p for p in self.periods if p.deadline >= today), key=lambda p: p.deadline
        )
        return upcoming[0] if upcoming else max(self.periods, key=lambda p: p.deadline)

    def partner(self, code: str) -> PartnerOrg:
        for org in self.partners:
            if org.code == code:
                return org
        raise InvalidInput(
            N_("This partner organisation does not report under the plan."), field="kind"
        )

    @property
    def sensitive_families(self) -> frozenset[str]:
        return frozenset(f.family for f in self.figures if f.sensitive)

    @property
    def families(self) -> list[str]:
        return [f.family for f in self.figures]


def plan_from_mapping(data: dict[str, Any]) -> ReportingPlan:
    """Validate a plain mapping (YAML, a pack's aggregation section) into a plan."""
    try:
        return msgspec.convert(data, ReportingPlan, strict=False)
    except msgspec.ValidationError as exc:
        raise ConfigurationError(
            N_("The reporting plan is not valid: %(error)s"), params={"error": str(exc)}
        ) from exc


def overlay_pack_reporting(plan: ReportingPlan, reporting: Any) -> ReportingPlan:
    """Let the rule pack's ``reporting`` section (deadline, ``suppress_below``) win over the YAML.

    The pack is the published truth for what it defines; the YAML adds what the pack format does
    not carry yet (periods, narrative sections, partner organisations).
    """
    if isinstance(reporting, msgspec.Struct):
        reporting = msgspec.to_builtins(reporting)
    if not isinstance(reporting, dict):
        raise ConfigurationError("the rule pack's reporting section must be a mapping")
    threshold = int(reporting.get("suppress_below", plan.suppression_threshold))
    deadline = reporting.get("deadline")
    if isinstance(deadline, str):
        deadline = date.fromisoformat(deadline)
    periods = [
        msgspec.structs.replace(p, deadline=deadline)
        if isinstance(deadline, date) and p.id == str(plan.year)
        else p
        for p in plan.periods
    ]
    return msgspec.structs.replace(plan, suppression_threshold=threshold, periods=periods)


def plan_from_pack(pack: Any, base: ReportingPlan | None = None) -> ReportingPlan:
    """Build the plan from a loaded rule pack: its ``aggregation`` section when it has one,
    else the YAML plan (``base``) overlaid with the pack's ``rules.reporting``."""
    section = getattr(pack, "aggregation", None)
    if section is None and isinstance(pack, dict):
        section = pack.get("aggregation")
    if section is not None:
        if isinstance(section, msgspec.Struct):
            section = msgspec.to_builtins(section)
        return plan_from_mapping(dict(section))
    rules = getattr(pack, "rules", None)
    reporting = getattr(rules, "reporting", None)
    if reporting is None:
        raise ConfigurationError("the rule pack has neither an aggregation nor a reporting section")
    return overlay_pack_reporting(base or load_plan(with_pack=False), reporting)


def load_plan(
    name: str = DEFAULT_PLAN, rules_dir: Path = RULES_DIR, *, with_pack: bool = True
) -> ReportingPlan:
    """The plan of ``rules/<name>/``: ``reporting.yaml``, overlaid with the pack's own reporting
    section (``rules.yaml`` → ``reporting``) when the pack has one."""
    folder = rules_dir / name
    path = folder / "reporting.yaml"
    if not path.is_file():
        raise ConfigurationError(
            N_("There is no reporting plan at %(file)s."), params={"file": str(path)}
        )
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ConfigurationError(
            N_("%(file)s must hold a mapping (names and values)."), params={"file": str(path)}
        )
    plan = plan_from_mapping(data)
    rules_file = folder / "rules.yaml"
    if with_pack and rules_file.is_file():
        rules = yaml.safe_load(rules_file.read_text(encoding="utf-8")) or {}
        if isinstance(rules, dict) and isinstance(rules.get("reporting"), dict):
            plan = overlay_pack_reporting(plan, rules["reporting"])
    return plan


def period_of_pack(pack: Any, remind_days_before: list[int] | None = None) -> Period:
    """The reporting period of a yearly pack: its plan's year, up to its reporting deadline."""
    plan, reporting = pack.plan, pack.rules.reporting
    ends_on = min(reporting.deadline, plan.effective_to)
    return Period(
        id=str(plan.year),
        name=f"Năm {plan.year}",
        name_en=f"Year {plan.year}",
        starts_on=min(plan.effective_from, ends_on),
        ends_on=ends_on,
        deadline=reporting.deadline,
        remind_days_before=list(remind_days_before or [3, 1]),
        plan_reference=plan.name.vi,
    )


async def plan_for(committee_path: str, base: ReportingPlan | None = None) -> ReportingPlan:
    """The plan as ``committee_path`` sees it: ``base`` (the shipped plan) with one period per
    year that a pack published over the committee covers. For a year several issuers or
    versions cover, the nearest issuer's latest version decides."""
    base = base or load_plan()
    known = {p.id for p in base.periods}
    best: dict[int, tuple[tuple[int, date, int], Any]] = {}
    for published in await published_over(committee_path):
        view = published.view
        rank = (len(view.issuer_path), view.effective_from, view.id)
        if view.year not in best or rank > best[view.year][0]:
            best[view.year] = (rank, published)
    remind = base.periods[0].remind_days_before
    extra = [
        period_of_pack(published.pack(), remind)
        for year, (_, published) in sorted(best.items())
        if str(year) not in known
    ]
    if not extra:
        return base
    periods = sorted([*base.periods, *extra], key=lambda p: (p.starts_on, p.id))
    return msgspec.structs.replace(base, periods=periods)
