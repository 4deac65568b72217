"""Building the narrow ChannelContext a plugin sees, for one committee and one request.

Plugins are synchronous and run in worker threads, so ``find_cadre`` cannot query the database.
The cadres a submission may name are looked up beforehand (every short value of the submission
is a candidate code) and the plugin gets a plain dictionary look-up over that result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import cast

from giamsat.cadres.repository import CadreRepository
from giamsat.cadres.schemas import CadreView
from giamsat.channels import CadreRef, ChannelContext
from giamsat.channels.structs import CommitteeLevel
from giamsat.db.scope import system_scope
from giamsat.errors import NotFound
from giamsat.intake.indicators import DEFAULT_INDICATOR_CODES
from giamsat.intake.settings_repo import ConfigValue
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.tables import Committee

_MAX_CODE = 32
_LEVEL_FOR_REF = {"residence": "residential-group"}


def bare_context(
    ctx: TenantContext, config: Mapping[str, ConfigValue] | None = None
) -> ChannelContext:
    """A context without cadre look-ups (for listing forms and formats)."""
    return ChannelContext(
        committee_code=ctx.committee_code,
        committee_level=cast(CommitteeLevel, ctx.committee_level),
        committee_name=ctx.committee_name,
        config=dict(config or {}),
        indicator_codes=DEFAULT_INDICATOR_CODES,
    )


def candidate_codes(values: Iterable[str | Sequence[str]]) -> list[str]:
    """Every value short enough to be a cadre code."""
    found: set[str] = set()
    for value in values:
        for item in [value] if isinstance(value, str) else value:
            text = item.strip()
            if 0 < len(text) <= _MAX_CODE:
                found.add(text)
    return sorted(found)


def cadre_ref(view: CadreView) -> CadreRef:
    level = _LEVEL_FOR_REF.get(view.managing_level, view.managing_level)
    return CadreRef(
        code=view.code,
        full_name=view.full_name,
        position=view.position,
        managing_level=cast(CommitteeLevel, level),
    )


async def channel_context(
    ctx: TenantContext, config: Mapping[str, ConfigValue], codes: list[str]
) -> tuple[ChannelContext, dict[str, CadreView]]:
    """The plugin's context with ``codes`` pre-resolved; call inside the committee's scope."""
    cadres = await CadreRepository(ctx).find_many(codes) if codes else {}
    refs = {code: cadre_ref(view) for code, view in cadres.items()}
    base = bare_context(ctx, config)
    return (
        ChannelContext(
            committee_code=base.committee_code,
            committee_level=base.committee_level,
            committee_name=base.committee_name,
            config=base.config,
            indicator_codes=base.indicator_codes,
            find_cadre=refs.get,
        ),
        cadres,
    )


async def operator_context(code: str) -> TenantContext:
    """A committee's space for operator commands and the demo (acting as its admin, no user)."""
    async with system_scope():
        row = await Committee.select().where(Committee.code == code.strip()).first()
    if row is None:
        raise NotFound(f"Không có Ủy ban MTTQ mã {code} (no such committee)", field="committee")
    return TenantContext(
        committee_id=row["id"],
        committee_code=row["code"],
        committee_name=row["name"],
        committee_level=row["level"],
        path=row["path"],
        username="operator",
        role="admin",
    )
