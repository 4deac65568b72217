"""The sender reads where each signal went: no case (and the pack that decided), a case at the
committee's own level with its number and due date, or a case at the district shown only by its
level, status and due date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from giamsat.cadres.tables import Cadre
from giamsat.channels import ChannelRegistry
from giamsat.db.paging import PageRequest
from giamsat.db.scope import system_scope
from giamsat.errors import NotFound
from giamsat.intake import outcomes, service
from giamsat.plans.service import publish
from tests.integration.audit.conftest import context_for
from tests.integration.intake.conftest import enable
from tests.integration.plans.conftest import first_child, new_cadre, pack_for

DISTRICT = "008"  # no other area's tests publish a pack here


async def _code(cadre_id: int) -> str:
    async with system_scope():
        row = await Cadre.select(Cadre.code).where(Cadre.id == cadre_id).first()
    assert row is not None
    return str(row["code"])


async def test_each_signal_says_where_it_went(
    db: object, registry: ChannelRegistry, tmp_path: Path
):
    # given the 2022 pack in force for the district, and a commune below it with both channels
    published = await publish(pack_for(tmp_path, 2022, DISTRICT), DISTRICT, dt.date(2022, 1, 1))
    commune = await context_for(await first_child(DISTRICT))
    for channel in ("workplace", "residence"):
        await enable(commune, registry, channel)
    cadre = await _code(await new_cadre(commune, "commune"))
    member = await _code(await new_cadre(commune, "district", position="party_member"))
    report = {"cadre": cadre, "indicator": "DD5", "union": "CĐ phường", "content": "Nội dung"}

    # when two workplace reports about a commune cadre arrive a month apart
    first = await service.submit_form(
        commune, registry, "workplace", "report", report, received_on=dt.date(2022, 3, 1)
    )
    second = await service.submit_form(
        commune, registry, "workplace", "report", report, received_on=dt.date(2022, 4, 4),
        idempotency_key="cd-2022-04-04",
    )  # fmt: skip
    # and a residence survey rates a district-managed member short on a duty
    survey = {"residential_group": "TDP 5", "cadre": member, "surveyed_on": "09/05/2022"}
    third = await service.submit_form(
        commune, registry, "residence", "survey", survey | {"nct3": "chua_tot"},
        received_on=dt.date(2022, 5, 9),
    )  # fmt: skip

    # then the first opened no case, and says which pack decided so
    [lone] = (await outcomes.by_id(commune, first.submission_id)).signals
    assert (lone.where, lone.decided_by) == ("no_case", published.version)
    assert published.version in lone.text_en
    # and the second went to a case at the commune, with its number and due date
    by_key = await outcomes.by_key(commune, "cd-2022-04-04")
    [at_commune] = by_key.signals
    assert by_key.submission_id == second.submission_id and by_key.settled
    assert (at_commune.where, at_commune.case_level) == ("case", "commune")
    assert at_commune.case_number and at_commune.due_on and at_commune.due_on > dt.date(2022, 4, 4)
    assert at_commune.due_on.strftime("%d/%m/%Y") in at_commune.text_vi
    # and the survey went onto the member's residence record at the commune, with no case
    [recorded] = (await outcomes.by_id(commune, third.submission_id)).signals
    assert (recorded.where, recorded.case_level, recorded.case_number) == ("residence", None, None)
    assert "NCT3" in recorded.text_vi and commune.committee_name in recorded.text_vi
    # and the feed lists the three, oldest first; another commune reads none of them
    feed = await outcomes.feed(commune, PageRequest())
    assert [i.submission_id for i in feed.items][-3:] == [
        first.submission_id, second.submission_id, third.submission_id,
    ]  # fmt: skip
    other = await context_for("00004")
    mine = {first.submission_id, second.submission_id, third.submission_id}
    assert not mine & {i.submission_id for i in (await outcomes.feed(other, PageRequest())).items}
    with pytest.raises(NotFound):
        await outcomes.by_id(other, third.submission_id)
