"""Each enabled channel's part of the committee's period report (phần báo cáo của các kênh).

For every channel the committee has enabled, in the order of the channels' names, the plugin's
``channel_report_sections`` hook gets the committee's own signals of that channel received in the
period (never their text: the summary is left out) and the catalogue in force at the period's
end. A plugin that fails there is blocked like anywhere else and its part becomes a note; the
report still renders. Outside the committee (exports) a plugin's small counts are suppressed like
the report's own figures.
"""

from __future__ import annotations

import asyncio
import re
from functools import cache

import msgspec
import yaml

from giamsat.cadres.tables import Cadre
from giamsat.channels import (
    ChannelBlocked,
    ChannelRegistry,
    ReportRequest,
    ReportSection,
    SignalDraft,
    UnknownChannel,
)
from giamsat.db.scope import tenant_scope
from giamsat.intake.channels_service import enabled_for_reports
from giamsat.intake.context import form_context
from giamsat.plans.service import indicator_names
from giamsat.reports.plan import DEFAULT_PLAN, RULES_DIR, ReportingPlan
from giamsat.reports.schemas import ChannelPart
from giamsat.signals.tables import Signal
from giamsat.tenancy.context import TenantContext

_COUNT = re.compile(r"^\d+$")


async def _drafts(
    ctx: TenantContext, channel: str, plan: ReportingPlan, period_id: str
) -> list[SignalDraft]:
    period = plan.period(period_id)
    rows = await Signal.select(
        Signal.channel,
        Signal.kind,
        Signal.cadre,
        Signal.indicator_codes,
        Signal.facts,
        Signal.source,
        Signal.occurred_on,
        Signal.received_on,
        Signal.anonymous,
    ).where(
        (Signal.committee == ctx.committee_id)
        & (Signal.channel == channel)
        & (Signal.received_on >= period.starts_on)
        & (Signal.received_on <= period.ends_on)
    )
    cadre_ids = sorted({row["cadre"] for row in rows if row["cadre"]})
    codes: dict[int, str] = {}
    if cadre_ids:
        found = await Cadre.select(Cadre.id, Cadre.code).where(Cadre.id.is_in(cadre_ids))
        codes = {row["id"]: row["code"] for row in found}
    return [
        SignalDraft(
            channel=row["channel"],
            kind=row["kind"],
            cadre_code=codes.get(row["cadre"]),
            indicator_codes=_list(row["indicator_codes"]),
            facts=_dict(row["facts"]),
            source=row["source"],
            occurred_on=row["occurred_on"],
            received_on=row["received_on"],
            anonymous=row["anonymous"],
        )
        for row in rows
    ]


def _list(value: object) -> list[str]:
    decoded = msgspec.json.decode(value) if isinstance(value, str | bytes) else value
    return [str(v) for v in decoded] if isinstance(decoded, list) else []


def _dict(value: object) -> dict[str, str | int | bool]:
    decoded = msgspec.json.decode(value) if isinstance(value, str | bytes) else value
    if not isinstance(decoded, dict):
        return {}
    return {str(k): v for k, v in decoded.items() if isinstance(v, str | int | bool)}


def _suppressed(section: ReportSection, threshold: int) -> ReportSection:
    """Counts in the plugin's table above zero and below the threshold shown as ``"<N"``."""

    def hide(rows: list[list[str]]) -> list[list[str]]:
        return [
            [
                f"<{threshold}" if _COUNT.match(cell) and 0 < int(cell) < threshold else cell
                for cell in r
            ]
            for r in rows
        ]

    return msgspec.structs.replace(
        section, table_rows=hide(section.table_rows), table_rows_en=hide(section.table_rows_en)
    )


async def channel_parts(
    ctx: TenantContext,
    registry: ChannelRegistry,
    plan: ReportingPlan,
    period_id: str,
    *,
    leaving: bool = False,
) -> list[ChannelPart]:
    """Every channel the committee enabled, in a stable order, with its report sections."""
    period = plan.period(period_id)
    parts = []
    for info, config in await enabled_for_reports(ctx, registry):
        channel = info.name
        async with tenant_scope(ctx.path):
            drafts = await _drafts(ctx, channel, plan, period_id)
        context = await form_context(ctx, config, period.ends_on)
        request = ReportRequest(
            period_start=period.starts_on, period_end=period.ends_on, signals=drafts
        )
        base = ChannelPart(channel=channel, label_vi=info.label_vi, label_en=info.label_en)
        try:
            sections = await asyncio.to_thread(
                registry.channel_report_sections, channel, context, request
            )
        except ChannelBlocked as blocked:
            parts.append(
                msgspec.structs.replace(
                    base,
                    note_vi="Phần này không hiển thị được: plugin của kênh đang bị khóa do lỗi "
                    f"({blocked.reason}).",
                    note_en="This part is missing: the channel's plugin is blocked "
                    f"({blocked.reason}).",
                )
            )
            continue
        except UnknownChannel:
            continue
        if leaving:
            sections = [_suppressed(s, plan.suppression_threshold) for s in sections]
        if sections:
            parts.append(msgspec.structs.replace(base, sections=sections))
    return parts


async def report_names(
    ctx: TenantContext, registry: ChannelRegistry, plan: ReportingPlan, period_id: str
) -> dict[str, tuple[str, str]]:
    """Code → (Vietnamese, English) name for every code a report's figure keys may hold: the
    indicators of the pack in force at the period's end, the answer values of the enabled
    channels' forms, and the partner organisations."""
    period = plan.period(period_id)
    names: dict[str, tuple[str, str]] = {o.code: (o.name, o.name) for o in plan.partners}
    for info, config in await enabled_for_reports(ctx, registry):
        context = await form_context(ctx, config, period.ends_on)
        try:
            forms = await asyncio.to_thread(registry.forms, info.name, context)
        except (ChannelBlocked, UnknownChannel):
            continue
        for form in forms:
            for field in form.fields:
                for choice in field.choices:
                    vi, en = (
                        _unprefixed(choice.value, t) for t in (choice.label_vi, choice.label_en)
                    )
                    names.setdefault(choice.value, (vi, en))
    indicators = await indicator_names(ctx.path, period.ends_on) or shipped_indicators()
    names.update({code: (vi, en or vi) for code, (vi, en) in indicators.items()})
    return names


@cache
def shipped_indicators(plan_name: str = DEFAULT_PLAN) -> dict[str, tuple[str, str]]:
    """The shipped plan's catalogue (when no pack is published over the committee): only the
    entries checked against the source document (``verified`` not false)."""
    path = RULES_DIR / plan_name / "indicators.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        str(item["code"]): (
            " ".join(str(item.get("text_vi", "")).split()),
            " ".join(str(item.get("text_en", "")).split()),
        )
        for item in data.get("indicators", [])
        if item.get("verified", True) is not False and item.get("text_vi")
    }


def _unprefixed(code: str, label: str) -> str:
    """A choice label without its own code in front ("DD1. Cá nhân …" → "Cá nhân …"): pages
    show the code as a tag beside the name."""
    for lead in (f"{code}. ", f"{code} - ", f"{code}: "):
        if label.startswith(lead):
            return label[len(lead) :]
    return label
