"""Building the narrow ChannelContext a plugin sees, for one committee and one request.

Plugins are synchronous and run in worker threads, so ``find_cadre`` cannot query the database.
The cadres a submission may name are looked up beforehand (every short value of the submission
is a candidate code) and the plugin gets a plain dictionary look-up over that result: entries of
the committee's subtree, then nameplates (code, name, position only) of entries registered by its
ancestors, so a commune can name a district- or city-managed cadre. The indicator codes are the
catalogue of the rule pack in force for the committee (see :mod:`giamsat.intake.indicators`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import cast

import msgspec

from giamsat import clock
from giamsat.cadres.repository import CadreRepository
from giamsat.cadres.schemas import CadreNameplate, CadreView
from giamsat.channels import CadreRef, ChannelContext, Choice, FormSchema
from giamsat.channels.structs import CommitteeLevel
from giamsat.intake.indicators import BUILT_IN, IndicatorCatalogue, catalogue_in_force
from giamsat.intake.settings_repo import ConfigValue
from giamsat.tenancy.context import TenantContext, context_for_committee

#: What a register entry's code looks like (``giamsat.cadres.schemas.CadreCode``).
_CODE = re.compile(r"^[A-Za-z0-9._-]{1,32}$")
_LEVEL_FOR_REF = {"residence": "residential-group"}

#: A register entry a signal may be linked to: the committee's own subtree's, or an ancestor's.
NamedCadre = CadreView | CadreNameplate


def bare_context(
    ctx: TenantContext,
    config: Mapping[str, ConfigValue] | None = None,
    catalogue: IndicatorCatalogue = BUILT_IN,
) -> ChannelContext:
    """A context without cadre look-ups (for listing forms and formats)."""
    return ChannelContext(
        committee_code=ctx.committee_code,
        committee_level=cast(CommitteeLevel, ctx.committee_level),
        committee_name=ctx.committee_name,
        config=dict(config or {}),
        indicator_codes=catalogue.codes,
        indicator_source=catalogue.source,
        catalogue=catalogue.entries(),
    )


async def form_context(
    ctx: TenantContext,
    config: Mapping[str, ConfigValue] | None = None,
    on_date: date | None = None,
) -> ChannelContext:
    """A context without cadre look-ups but with the indicator catalogue in force."""
    catalogue = await catalogue_in_force(ctx.path, on_date or clock.today())
    return bare_context(ctx, config, catalogue)


def with_catalogue(schema: FormSchema, catalogue: IndicatorCatalogue) -> FormSchema:
    """The form with its choice-less indicator fields offering the catalogue in force, so a
    new indicator of this year's pack shows up without any change to the channel."""
    if not any(f.type == "indicator" and not f.choices for f in schema.fields):
        return schema
    choices = [Choice(entry.code, entry.label(80), entry.text_en) for entry in catalogue.entries()]
    fields = [
        msgspec.structs.replace(f, choices=choices)
        if f.type == "indicator" and not f.choices
        else f
        for f in schema.fields
    ]
    return msgspec.structs.replace(schema, fields=fields)


def candidate_codes(values: Iterable[str | Sequence[str]]) -> list[str]:
    """Every value that could be a cadre code (the register's pattern: a name, a date or a
    sentence never is, so a sheet's names are not looked up as codes)."""
    found: set[str] = set()
    for value in values:
        if isinstance(value, str):
            found.add(value)
        else:
            found.update(value)
    stripped = {text.strip() for text in found}  # each distinct text once
    return sorted(text for text in stripped if _CODE.match(text))


def cadre_ref(view: NamedCadre) -> CadreRef:
    """What a plugin may see of an entry; an ancestor's nameplate has no managing level."""
    if isinstance(view, CadreNameplate):
        return CadreRef(code=view.code, full_name=view.full_name, position=view.position)
    level = _LEVEL_FOR_REF.get(view.managing_level, view.managing_level)
    return CadreRef(
        code=view.code,
        full_name=view.full_name,
        position=view.position,
        managing_level=cast(CommitteeLevel, level),
    )


async def named_cadres(ctx: TenantContext, codes: list[str]) -> dict[str, NamedCadre]:
    """Entries for ``codes``: the subtree's first, then the ancestors' nameplates."""
    if not codes:
        return {}
    repo = CadreRepository(ctx)
    found: dict[str, NamedCadre] = dict(await repo.find_many(codes))
    missing = [code for code in codes if code not in found]
    if missing:
        found.update(await repo.find_ancestor_registered_nameplates(missing))
    return found


async def channel_context(
    ctx: TenantContext,
    config: Mapping[str, ConfigValue],
    codes: list[str],
    on_date: date | None = None,
) -> tuple[ChannelContext, dict[str, NamedCadre]]:
    """The plugin's context with ``codes`` pre-resolved; call inside the committee's scope."""
    cadres = await named_cadres(ctx, codes)
    refs = {code: cadre_ref(view) for code, view in cadres.items()}
    base = await form_context(ctx, config, on_date)
    return msgspec.structs.replace(base, find_cadre=refs.get), cadres


async def operator_context(code: str) -> TenantContext:
    """A committee's space for operator commands and the demo (acting as its admin, no user)."""
    return await context_for_committee(code, username="operator", role="admin")
