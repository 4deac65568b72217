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

import msgspec

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
from giamsat.reports.plan import ReportingPlan
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
    rows = [
        [
            f"<{threshold}" if _COUNT.match(cell) and 0 < int(cell) < threshold else cell
            for cell in r
        ]
        for r in section.table_rows
    ]
    return msgspec.structs.replace(section, table_rows=rows)


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
