"""Indicator codes come from the rule pack in force for the committee, not from a fixed list:
a pack that adds an indicator makes it usable at once; without a pack the built-in list applies
and the error says so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from giamsat.channels import (
    ChannelInfo,
    ChannelRegistry,
    FormField,
    FormSchema,
    SignalDraft,
    Submission,
    SubmissionInvalid,
    build_registry,
    hookimpl,
)
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.intake.context import bare_context, with_catalogue
from giamsat.intake.indicators import catalogue_in_force
from giamsat.intake.service import submit_form
from giamsat.plans.service import publish
from giamsat.signals.tables import Signal
from tests.integration.audit.conftest import context_for
from tests.integration.intake.conftest import enable, new_cadre
from tests.integration.plans.conftest import first_child, pack_for

DISTRICT = "274"  # Hoài Đức: no other test publishes a pack here
NEW_CODE = "MT1"
NEW_INDICATOR = f"""
- code: {NEW_CODE}
  group: nq4-dao-duc-loi-song
  text_vi: Gây ô nhiễm môi trường nơi cư trú
  text_en: Polluting the neighbourhood
  source: test pack of the next year
  verified: false
"""


class TaggingChannel:
    """A channel whose indicator field lists no choices: it takes the catalogue in force."""

    @hookimpl
    def channel_info(self) -> ChannelInfo:
        return ChannelInfo(
            name="tagging",
            label_vi="Gắn tiêu chí",
            label_en="Tagging",
            description="",
            levels=["commune"],
            submitter_roles=[],
            version="1",
        )

    @hookimpl
    def channel_forms(self) -> list[FormSchema]:
        fields = [
            FormField(name="cadre", label_vi="Mã cán bộ", label_en="Cadre", type="cadre"),
            FormField(
                name="indicator",
                label_vi="Tiêu chí",
                label_en="Indicator",
                type="indicator",
                required=True,
            ),
        ]
        return [FormSchema(id="tag", title_vi="Gắn", title_en="Tag", kind="report", fields=fields)]

    @hookimpl
    def channel_signals(self, submission: Submission) -> list[SignalDraft]:
        return [
            SignalDraft(
                channel="tagging",
                kind="report",
                cadre_code=str(submission.values["cadre"]),
                indicator_codes=[str(submission.values["indicator"])],
                source="test",
                received_on=submission.received_on,
            )
        ]


@pytest.fixture(scope="module")
def tagging() -> ChannelRegistry:
    registry = build_registry(entry_points=False)
    registry.add("test-tagging", TaggingChannel())
    return registry


async def _seen_by(code: str, signal_ids: list[int]) -> int:
    """How many of the signals the committee sees, filtered as the application filters (RLS
    repeats the filter on PostgreSQL)."""
    ctx = await context_for(code)
    async with tenant_scope(ctx.path):
        return await Signal.count().where(
            Signal.id.is_in(signal_ids) & Signal.tenant_path.like(ctx.path + "%")
        )


def _with_new_indicator(folder: Path) -> Path:
    catalogue = folder / "indicators.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + NEW_INDICATOR, encoding="utf-8")
    return folder


async def test_a_pack_with_a_new_indicator_needs_no_code(
    db: object, tagging: ChannelRegistry, tmp_path: Path
) -> None:
    # given the district's pack in force with a new indicator, and a commune below it
    pack = _with_new_indicator(pack_for(tmp_path, 2022, DISTRICT))
    published = await publish(pack, DISTRICT, dt.date(2022, 1, 1))
    commune = await context_for(await first_child(DISTRICT))
    await enable(commune, tagging, "tagging")
    cadre = await new_cadre(commune)
    # when the commune's form is shown and a signal names the new indicator
    catalogue = await catalogue_in_force(commune.path, dt.date(2022, 6, 1))
    form = with_catalogue(
        tagging.form("tagging", bare_context(commune, {}, catalogue), "tag"), catalogue
    )
    result = await submit_form(
        commune, tagging, "tagging", "tag", {"cadre": cadre, "indicator": NEW_CODE},
        received_on=dt.date(2022, 6, 1),
    )  # fmt: skip
    # then the form offers it with the pack's wording and the signal carries it
    assert catalogue.pack_version == published.version
    offered = {c.value: c.label_vi for c in form.fields[1].choices}
    assert offered[NEW_CODE] == f"{NEW_CODE}. Gây ô nhiễm môi trường nơi cư trú"
    async with tenant_scope(commune.path):
        rows = await Signal.select(Signal.indicator_codes).where(
            Signal.id.is_in(result.signal_ids))  # fmt: skip
    assert [r["indicator_codes"] for r in rows] in ([[NEW_CODE]], [f'["{NEW_CODE}"]'])
    # and a commune of another district sees nothing of that signal
    assert await _seen_by("00001", result.signal_ids) == 0


async def test_without_a_pack_the_built_in_catalogue_applies_and_the_error_says_so(
    db: object, tagging: ChannelRegistry
) -> None:
    # given Phúc Xá, under a district and city that published no pack
    commune = await context_for("00001")
    await enable(commune, tagging, "tagging")
    cadre = await new_cadre(commune)
    # when a signal names a code only a newer pack has
    with pytest.raises(SubmissionInvalid) as refused:
        await submit_form(
            commune, tagging, "tagging", "tag", {"cadre": cadre, "indicator": NEW_CODE}
        )
    # then it is refused, and the message says the built-in catalogue was used
    (error,) = refused.value.errors
    assert error.field == "indicator"
    assert "chưa ban hành kế hoạch giám sát" in error.message_vi
    assert "no rule pack published" in error.message_en
    # and a code of the built-in list is accepted and stored in Phúc Xá only
    accepted = await submit_form(
        commune, tagging, "tagging", "tag", {"cadre": cadre, "indicator": "DD3"}
    )
    async with system_scope():
        assert await Signal.count().where(Signal.id.is_in(accepted.signal_ids)) == 1
    assert await _seen_by("00004", accepted.signal_ids) == 0
