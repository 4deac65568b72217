"""The plans API: approvers publish for their own committee; other roles are refused, and a
refusal reads in the caller's language."""

from __future__ import annotations

import datetime as dt

from giamsat.plans.files import read_folder
from giamsat.plans.service import history
from tests.integration.plans.conftest import context_for, pack_for


async def test_publish_through_the_api_needs_an_approver(db, factory, tmp_path):
    # given district 275's pack files and two users of that district
    files = read_folder(pack_for(tmp_path, 2022, "275"))
    officer, _ = await factory.api_client("275", "read_only")
    board, _ = await factory.api_client("275", "standing_board")
    body = {"files": files, "effective_from": "2022-01-01"}
    # when a read-only user tries to publish, then it is refused and nothing is stored
    refused = await officer.post("/api/v1/plans/publish", json=body)
    assert refused.status_code == 403
    assert await history("275") == []
    # when the standing board publishes, then the version is listed with its plan's last day
    done = await board.post("/api/v1/plans/publish", json=body)
    assert done.status_code == 201, done.text
    overview = (await board.get("/api/v1/plans/")).json()
    assert overview["history"][0]["version"] == done.json()["version"]
    assert overview["history"][0]["effective_to"] == "2022-12-31"
    # and, the 2022 plan having ended, no pack is in force today
    assert overview["active"] is None
    assert [v.effective_from for v in await history("275")] == [dt.date(2022, 1, 1)]
    # when the board publishes the same version again, in Vietnamese and then in English
    name = (await context_for("275")).committee_name
    again = await board.post("/api/v1/plans/publish", json=body)
    await board.get("/language", params={"to": "en", "next": "/"})
    again_en = await board.post("/api/v1/plans/publish", json=body)
    late = await board.post("/api/v1/plans/publish", json=body | {"effective_from": "2023-01-01"})
    # then each is refused in the caller's language, the committee by its name, dates as
    # day/month/year, and nothing more is stored
    assert (again.status_code, again_en.status_code, late.status_code) == (409, 409, 422)
    assert again.json()["message"] == f"{name} đã ban hành phiên bản này của kế hoạch."
    assert again_en.json()["message"] == f"{name} has already published this version of the plan."
    assert late.json()["message"] == (
        "The plan ends on 31/12/2022, before 01/01/2023, the day it would come into force: "
        "it would never be in force."
    )
    assert len(await history("275")) == 1
