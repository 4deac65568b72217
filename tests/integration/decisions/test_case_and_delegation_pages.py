"""Through the pages: a case opened by hand is routed by the pack (another owner only above the
routed one, with a reason), and a case whose pack proposes a supervision delegation shows the
proposal with one button that opens the delegation form prefilled from the case. Every
committee sees what it should and a sibling commune nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import httpx

from giamsat.cases.tables import Case
from giamsat.db.scope import system_scope
from tests.factories import Factory, csrf
from tests.integration.audit.conftest import context_for
from tests.integration.calendar.conftest import frozen_on
from tests.integration.decisions.conftest import DISTRICT, cadre_code, pack_in_force
from tests.integration.decisions.test_cases_by_hand import _second_commune
from tests.integration.plans.conftest import first_child, new_cadre

TODAY = dt.date(2022, 6, 1)


async def _cases() -> int:
    async with system_scope():
        return await Case.count()


async def _open(page: httpx.AsyncClient, code: str, form: dict[str, object]) -> httpx.Response:
    return await page.post(f"/c/{code}/cases/new/", data={"_csrf_token": csrf(page), **form})


async def test_a_case_opened_on_the_page_is_routed_by_the_pack(
    factory: Factory, tmp_path: Path
) -> None:
    await pack_in_force(tmp_path)
    commune = await context_for(await first_child(DISTRICT))
    sibling = await _second_commune()
    code = commune.committee_code
    official = await new_cadre(commune, "province", position="key_official")
    local = await new_cadre(commune, "commune")
    with frozen_on(TODAY):
        officer, _ = await factory.page_client(code)
        outsider, _ = await factory.page_client(sibling.committee_code)
        # given the case list, which offers to open a case, and the form finding the official
        assert 'id="open-case-link"' in (await officer.get(f"/c/{code}/cases")).text
        found = await officer.get(f"/c/{code}/cases/new/", params={"q": await cadre_code(official)})
        assert found.status_code == 200 and f'value="{official}"' in found.text
        assert "Kê khai tài sản" in found.text  # manifestations by name
        # and the sibling commune cannot find the official in its own form
        theirs = await outsider.get(f"/c/{sibling.committee_code}/cases/new/",
                                    params={"q": await cadre_code(official)})  # fmt: skip
        assert f'value="{official}"' not in theirs.text
        before = await _cases()
        # when the officer sends it without a manifestation, then the page says so, input kept
        refused = await _open(officer, code, {"cadre": official, "title": "Nhận quà biếu"})
        assert refused.status_code == 422 and "govuk-error-summary" in refused.text
        assert 'value="Nhận quà biếu"' in refused.text
        # when they name the district as owner, below the city the plan routes it to
        below = await _open(officer, code, {"cadre": official, "indicators": "DD7",
                                             "corruption": "yes", "owner": DISTRICT,
                                             "owner_reason": "gần hơn"})  # fmt: skip
        # then it is refused with nothing written
        assert below.status_code == 403 and "govuk-error-summary" in below.text
        # and the sibling commune cannot open one about the official
        foreign = await _open(outsider, sibling.committee_code,
                              {"cadre": official, "indicators": "DD7"})  # fmt: skip
        assert foreign.status_code == 404
        assert await _cases() == before
        # when the officer opens it as the plan wants
        done = await _open(officer, code, {"cadre": official, "indicators": "DD7",
                                            "corruption": "yes"})  # fmt: skip
        # then the pack routes it to the city; the commune follows its status
        assert done.status_code in (302, 303), done.text
        case_id = int(done.headers["location"].rsplit("/", 1)[1])
        city, _ = await factory.api_client("01")
        case = (await city.get(f"/api/v1/cases/{case_id}")).json()["case"]
        assert (case["committee_code"], case["origin_path"]) == ("01", commune.path)
        assert (await officer.get(f"/c/{code}/cases/{case_id}")).status_code == 200
        assert (
            await outsider.get(f"/c/{sibling.committee_code}/cases/{case_id}")
        ).status_code == 404
        # when a commune-managed cadre's case is given to the district, without and with a reason
        body = {"cadre": local, "indicators": "DD3", "owner": DISTRICT}
        no_reason = await _open(officer, code, body)
        given = await _open(officer, code, body | {"owner_reason": "Có liên quan cán bộ huyện"})
        # then the first is refused, the second owned by the district
        assert no_reason.status_code == 422 and "govuk-error-summary" in no_reason.text
        assert given.status_code in (302, 303), given.text
        district, _ = await factory.api_client(DISTRICT)
        owned = await district.get(f"/api/v1/cases/{given.headers['location'].rsplit('/', 1)[1]}")
        assert owned.json()["case"]["committee_code"] == DISTRICT


async def test_a_proposed_delegation_opens_prefilled_from_the_case(
    factory: Factory, tmp_path: Path
) -> None:
    await pack_in_force(tmp_path)
    commune = await context_for(await first_child(DISTRICT))
    sibling = await _second_commune()
    official = await new_cadre(commune, "province", position="key_official")
    with frozen_on(TODAY):
        # given a corruption case the pack routed to the city and proposes a delegation for
        officer, _ = await factory.page_client(commune.committee_code)
        chosen = {"cadre": official, "indicators": "DD7", "corruption": "yes"}
        done = await _open(officer, commune.committee_code, chosen)
        case_id = int(done.headers["location"].rsplit("/", 1)[1])
        city, _ = await factory.page_client("01")
        # when the city opens the case, then the proposal shows with one button
        page = (await city.get(f"/c/01/cases/{case_id}")).text
        button = re.search(r'href="([^"]+)" id="propose-delegation"', page)
        assert 'id="proposal"' in page and button, page
        # and the commune, which sees only the status, gets no such button
        assert 'id="propose-delegation"' not in (await officer.get(
            f"/c/{commune.committee_code}/cases/{case_id}")).text  # fmt: skip
        # when the city follows it, then the form is prefilled from the case
        form = await city.get(button.group(1).replace("&amp;", "&"))
        assert form.status_code == 200
        name = f"Cán bộ {await cadre_code(official)}"
        assert f'value="{name}"' in form.text  # the person supervised
        assert f'name="case_id" value="{case_id}"' in form.text
        assert re.search(r'value="DD7" checked', form.text)
        # and a sibling commune cannot open the form for the city's case
        outsider, _ = await factory.page_client(sibling.committee_code)
        assert (await outsider.get(f"/c/{sibling.committee_code}/delegations/new/",
                                   params={"case": case_id})).status_code == 404  # fmt: skip
        # when the city sends it as it is, then the delegation is planned for the case
        fields = dict(re.findall(r'name="(case_id|subject|supervised_name|period_start|period_end)"'
                                 r'[^>]*value="([^"]*)"', form.text))  # fmt: skip
        subject = re.search(r'name="subject" rows="3">([^<]*)<', form.text)
        assert subject and subject.group(1)
        sent = await city.post(
            "/c/01/delegations/new/",
            data={
                "_csrf_token": csrf(city),
                **fields,
                "subject": subject.group(1),
                "indicators": "DD7",
            },
        )
        assert sent.status_code in (302, 303), sent.text
        delegation = int(sent.headers["location"].rsplit("/", 1)[1])
        api, _ = await factory.api_client("01")
        planned = (await api.get(f"/api/v1/delegations/{delegation}")).json()
        assert planned["case_id"] == case_id and planned["supervised_name"] == name
        assert [i["code"] for i in planned["indicators"]] == ["DD7"]


GROUP = re.compile(
    r'<details class="govuk-details indicator-group"( open)?>\s*<summary[^>]*>'
    r"<span[^>]*>([^<]+)</span>"
)


async def test_the_picker_names_its_groups_and_a_refused_form_keeps_a_ticked_one_open(
    factory: Factory, tmp_path: Path
) -> None:
    await pack_in_force(tmp_path)
    commune = await context_for(await first_child(DISTRICT))
    code = commune.committee_code
    with frozen_on(TODAY):
        officer, _ = await factory.page_client(code)
        # given the form to open a case by hand
        form = await officer.get(f"/c/{code}/cases/new/")
        groups = GROUP.findall(form.text)
        # then the catalogue comes in named groups: the first open, the others folded away
        assert groups[0] == (
            " open",
            "Suy thoái về đạo đức, lối sống (Nghị quyết Trung ương 4 khóa XII) (9)",
        )
        assert ("", "Những điều đảng viên không được làm (Quy định 37-QĐ/TW) (19)") in groups
        assert "nq4-" not in form.text and "qd37-dieu-cam" not in form.text
        before = await _cases()
        # when a form with one prohibition ticked is sent without the person concerned
        refused = await _open(officer, code, {"indicators": "QD37-3", "title": "Quà biếu"})
        # then it comes back refused, nothing written, the prohibition still ticked and its
        # group open with the count of what is ticked in it
        assert refused.status_code == 422 and "govuk-error-summary" in refused.text
        assert await _cases() == before
        assert (
            " open",
            "Những điều đảng viên không được làm (Quy định 37-QĐ/TW) (1/19)",
        ) in GROUP.findall(refused.text)
        assert re.search(r'value="QD37-3" checked', refused.text)
        # and in English the same groups have English names
        await officer.get(f"/language?to=en&next=/c/{code}/cases/new/")
        english = GROUP.findall((await officer.get(f"/c/{code}/cases/new/")).text)
        assert english[0][1].startswith("Degradation of ethics and lifestyle")
