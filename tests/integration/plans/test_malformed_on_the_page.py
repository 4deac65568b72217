"""Every malformed pack of the suite, uploaded on the Plans page, answers 422 with its problems
at their lines in Vietnamese; none answers 500 and nothing is published."""

from __future__ import annotations

from giamsat.plans.files import read_folder
from giamsat.plans.service import history
from giamsat.rulepacks import validate_pack
from tests.factories import csrf
from tests.integration.plans.conftest import MALFORMED


async def test_each_malformed_pack_is_explained_on_the_page(db, factory):
    # given a democracy-law officer of a district on the Plans page
    client, _ = await factory.page_client("282", "democracy_law")
    before = await history("282")
    fixtures = sorted(p for p in MALFORMED.iterdir() if p.is_dir())
    assert len(fixtures) >= 20
    for fixture in fixtures:
        files = read_folder(fixture)
        uploads = [("files", (n, t.encode(), "application/yaml")) for n, t in files.items()]
        # when the malformed pack is validated through the page
        resp = await client.post(
            "/c/282/plans", data={"action": "validate", "_csrf_token": csrf(client)}, files=uploads
        )
        # then the page lists its problems with their lines, in Vietnamese
        assert resp.status_code == 422, (fixture.name, resp.status_code)
        for error in validate_pack(fixture):
            shown = f":{error.line}: {error.rule_id}: "
            assert shown in resp.text.replace("&#39;", "'"), (fixture.name, shown)
    # and nothing was published
    assert await history("282") == before
