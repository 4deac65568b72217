"""The pack that decided a case governs what staff may do with it: transfer, pause, overdue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from giamsat.accounts.schemas import UserCreate
from giamsat.accounts.service import create_user
from giamsat.cases.deadlines import sweep_deadlines
from giamsat.cases.schemas import ClockChange, Transfer
from giamsat.cases.tables import Case, CaseEvent
from giamsat.cases.workflow import pause_clock, transfer
from giamsat.db.scope import system_scope
from giamsat.errors import InvalidInput
from giamsat.notifications.tables import Notification
from giamsat.plans.service import publish
from tests.integration.plans.conftest import context_for, first_child, new_cadre, pack_for, send

STRICT = "016"  # Sóc Sơn: the 2022 pack as published (clock not pausable, overdue escalates)
LENIENT = "017"  # Đông Anh: a variant whose answer clock pauses and only reminds when overdue


def _lenient(pack: Path) -> Path:
    rules = pack / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(
        text.replace(
            "    on_overdue: escalate_to_parent\n",
            "    on_overdue: remind\n    pausable: true\n",
            1,
        ),
        encoding="utf-8",
    )
    return pack


async def _district_case(district: str, pack: Path) -> tuple[int, object]:
    """A case the pack routed to ``district``: a workplace report of a dishonest asset
    declaration about a district-managed member, received by the district's first commune."""
    await publish(pack, district, dt.date(2022, 1, 1))
    commune = await context_for(await first_child(district))
    member = await new_cadre(commune, "district", position="party_member")
    signal = await send(commune, member, "workplace", "report", dt.date(2022, 5, 9), ["DD3"])
    async with system_scope():
        row = await Case.select(Case.id).where(Case.cadre == member).first()
    assert row is not None, f"signal {signal} opened no case"
    officer = await create_user(
        district,
        UserCreate(
            username=f"dlp-{district}", role="democracy_law", password="correct-horse-battery"
        ),
    )
    return int(row["id"]), await context_for(district, officer)


async def test_a_case_is_never_handed_below_the_level_its_pack_routes_to(db, tmp_path: Path):
    # given a case the 2022 pack routed to the district (district-managed party member)
    case_id, district = await _district_case(STRICT, pack_for(tmp_path, 2022, STRICT))
    commune = await first_child(STRICT)
    # when the district tries to hand it down to one of its communes
    with pytest.raises(InvalidInput) as refused:
        await transfer(district, case_id, Transfer(target=commune, reason="giao xã xử lý"))
    # then the pack refuses, naming the level in words (no rule id); nothing moved
    assert "to the level District;" in refused.value.message
    assert refused.value.params["level"] == "District"
    async with system_scope():
        owner = await Case.select(Case.committee.code).where(Case.id == case_id).first()
    assert owner["committee.code"] == STRICT
    # and handing it up to the city is allowed
    moved = await transfer(district, case_id, Transfer(target="01", reason="vượt thẩm quyền"))
    assert moved.case is not None or moved.status is not None


async def test_pausing_follows_the_pack(db, tmp_path: Path):
    # given a case under the 2022 pack, whose answer clock is not pausable
    case_id, district = await _district_case("018", pack_for(tmp_path, 2022, "018"))
    # when staff try to pause it, then the pack refuses and says which clock
    with pytest.raises(InvalidInput, match="clock for this case cannot be paused"):
        await pause_clock(
            district, case_id, ClockChange(reason="chờ xác minh", on=dt.date(2022, 5, 20))
        )
    # given a case under a pack whose answer clock may pause
    lenient_id, lenient = await _district_case(LENIENT, _lenient(pack_for(tmp_path, 2022, LENIENT)))
    # when staff pause it, then the clock stops and the history says so
    await pause_clock(
        lenient, lenient_id, ClockChange(reason="chờ xác minh", on=dt.date(2022, 5, 20))
    )
    async with system_scope():
        actions = [
            e["action"]
            for e in await CaseEvent.select(CaseEvent.action).where(CaseEvent.case == lenient_id)
        ]
    assert any("pause" in a for a in actions)


async def test_an_overdue_case_reminds_or_escalates_as_its_pack_says(db, tmp_path: Path):
    # given one case under the 2022 pack (escalate) and one under a variant (remind only)
    strict_id, _ = await _district_case("019", pack_for(tmp_path, 2022, "019"))
    lenient_id, _ = await _district_case("020", _lenient(pack_for(tmp_path, 2022, "020")))
    # when the sweep runs well after both due dates, twice
    late = dt.date(2022, 9, 1)
    for _ in range(2):
        await sweep_deadlines(late, within="/01/019/")
        await sweep_deadlines(late, within="/01/020/")
    # then the 2022 case is escalated, the variant's is reminded once and not escalated
    async with system_scope():
        rows = {
            r["id"]: r
            for r in await Case.select(Case.id, Case.escalated, Case.status).where(
                Case.id.is_in([strict_id, lenient_id])
            )
        }
        overdue = await Notification.select(Notification.recipient).where(
            (Notification.kind == "case.overdue") & Notification.link.like(f"%/cases/{lenient_id}")
        )
    assert rows[strict_id]["escalated"] is True
    assert rows[lenient_id]["escalated"] is False
    assert rows[lenient_id]["status"] != "escalated"
    recipients = [n["recipient"] for n in overdue]
    assert recipients
    assert len(recipients) == len(set(recipients))
