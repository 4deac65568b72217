"""A new city version leaves the lower committees' additions behind: the publish result and
the plans page list them; carry-over republishes those that still pass and reports the rest."""

from __future__ import annotations

import datetime as dt

from giamsat.plans.additions import active_ruleset, additions_history, publish_addition
from giamsat.plans.carry_over import carry_over, left_behind_for
from giamsat.plans.service import publish
from tests.integration.plans.conftest import RULES, context_for, pack_for
from tests.integration.plans.test_additions import _children

ADDITION = RULES / "additions" / "ba-dinh-2022.yaml"
#: Valid against 2022; 2023 introduced a rule with this id, so it no longer passes.
CLASHING = """addition:
  id: waste-2022
  title_vi: Bổ sung về lãng phí
indicator_rules:
  - id: waste-public-assets
    title_vi: Lãng phí
    title_en: Waste
    when: signal.indicators has DD6
    then: {open_case: normal, add_findings: [DD6]}
"""


async def test_new_version_lists_left_behind_additions_and_carry_over_republishes(
    db, factory, tmp_path
):
    # given district 250's 2022 pack and two additions of its first commune
    district = "250"
    await publish(pack_for(tmp_path, 2022, district), district, dt.date(2022, 1, 1))
    adder_code, sibling_code = await _children(district)
    await publish_addition(ADDITION, adder_code, dt.date(2022, 2, 1))
    await publish_addition((CLASHING, "waste.yaml"), adder_code, dt.date(2022, 2, 1))
    # when the district publishes its 2023 version
    v2023 = await publish(pack_for(tmp_path, 2023, district), district, dt.date(2023, 1, 1))
    # then the publish result lists both additions as no longer applying
    assert sorted(a.addition_id for a in v2023.additions_left_behind) == [
        "ba-dinh-2022-bo-sung", "waste-2022"]  # fmt: skip
    adder = await context_for(adder_code)
    assert len(await left_behind_for(adder.path)) == 2
    assert (await active_ruleset(adder.path, dt.date(2023, 3, 1))).version == v2023.version
    # and the commune's plans page lists them under "no longer apply"; the sibling's does not
    page, _ = await factory.page_client(adder_code, "read_only")
    html = (await page.get(f"/c/{adder_code}/plans")).text
    assert 'id="left-behind"' in html and "waste-2022" in html
    other, _ = await factory.page_client(sibling_code, "read_only")
    assert 'id="left-behind"' not in (await other.get(f"/c/{sibling_code}/plans")).text
    # when the commune carries its additions over to 2023
    report = await carry_over(adder_code, dt.date(2023, 1, 1))
    # then the one that still passes is republished against 2023; the other fails, with why
    assert [v.addition_id for v in report.carried] == ["ba-dinh-2022-bo-sung"]
    assert [v.base_version for v in report.carried] == [v2023.version]
    assert [f.addition_id for f in report.failed] == ["waste-2022"]
    assert any("waste-public-assets" in m and "already used" in m
               for m in report.failed[0].errors)  # fmt: skip
    assert (await active_ruleset(adder.path, dt.date(2023, 3, 1))).version.startswith(
        v2023.version + "+")  # fmt: skip
    left = await left_behind_for(adder.path)
    assert [a.addition_id for a in left] == ["waste-2022"]
    # and a second carry-over republishes nothing twice
    again = await carry_over(adder_code, dt.date(2023, 1, 1))
    assert (again.carried, again.already_carried) == ([], ["ba-dinh-2022-bo-sung"])
    versions = [a.base_version for a in await additions_history(adder_code)]
    assert versions.count(v2023.version) == 1
    # and the sibling commune sees nothing of the adder's left-behind additions
    sibling = await context_for(sibling_code)
    assert await left_behind_for(sibling.path) == []


async def test_carry_over_and_addition_simulation_through_the_api(db, factory, tmp_path):
    # given district 004's 2022 pack, a commune's addition to it, then the 2023 version
    district = "004"
    await publish(pack_for(tmp_path, 2022, district), district, dt.date(2022, 1, 1))
    adder_code, _ = await _children(district)
    await publish_addition(ADDITION, adder_code, dt.date(2022, 2, 1))
    await publish(pack_for(tmp_path, 2023, district), district, dt.date(2023, 1, 1))
    officer, _ = await factory.api_client(adder_code, "democracy_law")
    board, _ = await factory.api_client(adder_code, "standing_board")
    # when staff simulate the addition over 2023, then a report comes back and nothing is stored
    body = {
        "content": ADDITION.read_text(encoding="utf-8"),
        "period_from": "2023-01-01",
        "period_to": "2023-12-31",
    }
    simulated = await officer.post("/api/v1/plans/additions/simulate", json=body)
    assert simulated.status_code == 200, simulated.text
    assert simulated.json()["committee_code"] == adder_code
    # when a non-approver asks for carry-over, then it is refused and nothing is republished
    refused = await officer.post("/api/v1/plans/additions/carry-over",
                                 json={"effective_from": "2023-01-01"})  # fmt: skip
    assert refused.status_code == 403
    assert len(await additions_history(adder_code)) == 1
    # when the board carries over to a day no plan is in force, in Vietnamese then in English
    name = (await context_for(adder_code)).committee_name
    early = {"effective_from": "2000-06-01"}
    none_vi = await board.post("/api/v1/plans/additions/carry-over", json=early)
    await board.get("/language", params={"to": "en", "next": "/"})
    none_en = await board.post("/api/v1/plans/additions/carry-over", json=early)
    await board.get("/language", params={"to": "vi", "next": "/"})
    # then it is refused naming the commune and the day, in the caller's language
    assert (none_vi.status_code, none_en.status_code) == (422, 422)
    assert none_vi.json()["message"] == (
        f"Ngày 01/06/2000, {name} chưa có kế hoạch nào đang áp dụng: không có kế hoạch để "
        "chuyển các quy định bổ sung sang."
    )
    assert none_en.json()["message"] == (
        f"No plan is in force for {name} on 01/06/2000: there is nothing to carry the "
        "additions over to."
    )
    assert len(await additions_history(adder_code)) == 1
    # when the standing board carries over, then the addition is republished for 2023
    done = await board.post("/api/v1/plans/additions/carry-over",
                            json={"effective_from": "2023-01-01"})  # fmt: skip
    assert done.status_code == 200, done.text
    assert [a["addition_id"] for a in done.json()["carried"]] == ["ba-dinh-2022-bo-sung"]
    assert len(await additions_history(adder_code)) == 2
