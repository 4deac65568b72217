"""The Plans page and the API explain a broken pack at its line, in Vietnamese; the month-20
date that once crashed the check answers 422 with every problem listed, nothing stored."""

from __future__ import annotations

from giamsat.plans.files import read_folder
from giamsat.plans.service import history
from tests.factories import csrf
from tests.integration.plans.conftest import pack_for


async def test_page_validate_lists_every_problem_in_vietnamese(db, factory, tmp_path):
    # given district 281's pack with an impossible deadline and a misspelt plan field
    files = read_folder(pack_for(tmp_path, 2022, "281"))
    files["rules.yaml"] = files["rules.yaml"].replace(
        "deadline: 2022-11-25", "deadline: 2022-20-11"
    )
    files["pack.yaml"] = files["pack.yaml"].replace("  year: 2022", "  year: 2022\n  yaer: 2022")
    client, _ = await factory.page_client("281", "standing_board")
    before = await history("281")
    uploads = [("files", (name, text.encode(), "application/yaml")) for name, text in files.items()]
    # when the officer presses Publish on the Plans page
    resp = await client.post(
        "/c/281/plans",
        data={"action": "publish", "effective_from": "2022-01-01", "_csrf_token": csrf(client)},
        files=uploads,
    )
    # then the page answers 422 naming both problems in Vietnamese, and nothing is published
    assert resp.status_code == 422, resp.text
    assert "không có tháng 20" in resp.text
    assert "mục &#39;yaer&#39; không có trong định dạng" in resp.text
    # and the same page in English names them in English
    await client.get("/language", params={"to": "en", "next": "/"})
    english = await client.post(
        "/c/281/plans",
        data={"action": "publish", "effective_from": "2022-01-01", "_csrf_token": csrf(client)},
        files=uploads,
    )
    assert english.status_code == 422
    assert "there is no month 20" in english.text and "không có tháng 20" not in english.text
    assert await history("281") == before
    # and the other district's staff see no trace of it
    other, _ = await factory.page_client("277", "standing_board")
    assert "2022-20-11" not in (await other.get("/c/277/plans")).text


async def test_api_validate_returns_located_messages_in_both_languages(db, factory, tmp_path):
    # given a pack whose deadline is written day/month/year
    files = read_folder(pack_for(tmp_path, 2022, "282"))
    files["rules.yaml"] = files["rules.yaml"].replace(
        "deadline: 2022-11-25", "deadline: 25/11/2022"
    )
    client, _ = await factory.api_client("282", "democracy_law")
    # when validated through the API
    resp = await client.post("/api/v1/plans/validate", json={"files": files})
    # then the one error points at the line, with the form to write in Vietnamese and English
    assert resp.status_code in (200, 422), resp.text
    body = resp.json()
    assert body["ok"] is False
    (error,) = body["errors"]
    assert error["file"].endswith("rules.yaml") and error["line"] > 1
    assert (
        error["message_vi"]
        == "ngày phải viết dạng 2022-11-25 (năm-tháng-ngày), không phải 25/11/2022"
    )
    assert "year-month-day" in error["message"]
