"""The case page's merge form offers a bounded choice: the 20 most recently received open cases
of the committee, those about the same person first, and a search by case number for the
others; never a case of another committee, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re

from giamsat.cases.opening import open_case
from giamsat.cases.schemas import CaseView, OpenCase
from tests.factories import Factory
from tests.integration.cases.conftest import context_for, new_case
from tests.integration.plans.conftest import new_cadre

OWN, SIBLING = "00667", "00670"  # two communes of Huyện Thanh Trì
FIRST = dt.date(2025, 1, 20)


def _offered(html: str) -> list[str]:
    """The case numbers of the merge form's choices, in order."""
    select = re.search(r'<select class="govuk-select" id="into".*?</select>', html, re.S)
    return re.findall(r"<option [^>]*>([^<·]+?) ·", select.group(0)) if select else []


async def _about(code: str, cadre_id: int, received: dt.date) -> CaseView:
    ctx = await context_for(code)
    return await open_case(
        ctx.committee_id,
        OpenCase(owner=code, origin=code, title="Phản ánh về cùng một người", received_on=received,
                 cadre_id=cadre_id, subject_name="Ông Trần Văn Một", findings=["DD3"],
                 pack_version="hn-2022.1"),
    )  # fmt: skip


async def test_merge_form_offers_twenty_recent_cases_the_same_person_first_and_a_search(
    db: object, factory: Factory
) -> None:
    # given the oldest open case of the commune about a person, 25 newer ones about nobody
    # in particular, a new case about the same person, and 3 cases of the sibling commune
    person = await new_cadre(await context_for(OWN), "commune")
    same_person = await _about(OWN, person, FIRST)
    others = [await new_case(OWN, received=FIRST + dt.timedelta(days=n)) for n in range(1, 26)]
    case = await _about(OWN, person, FIRST + dt.timedelta(days=30))
    theirs = [await new_case(SIBLING, received=FIRST + dt.timedelta(days=n)) for n in range(3)]
    page, _ = await factory.page_client(OWN)
    # when the officer opens the new case's page
    shown = await page.get(f"/c/{OWN}/cases/{case.id}")
    offered = _offered(shown.text)
    # then 20 cases are offered: the same person's first, then the most recently received,
    # never the case itself nor the sibling's
    assert shown.status_code == 200
    assert len(offered) == 20 and offered[0] == same_person.number
    assert offered[1:] == [c.number for c in reversed(others)][:19]
    assert case.number not in offered and not {c.number for c in theirs} & set(offered)
    # when it searches for an older case, not offered, by its number
    older = others[5].number
    assert older not in offered
    found = await page.get(f"/c/{OWN}/cases/{case.id}", params={"merge_number": older})
    # then that case is offered, alone, with the form open
    assert _offered(found.text) == [older]
    assert re.search(r'<details class="govuk-details" id="merge" open>', found.text)
    # and a number of the sibling's finds nothing, saying so in plain words
    other = await page.get(f"/c/{OWN}/cases/{case.id}", params={"merge_number": theirs[0].number})
    assert _offered(other.text) == [] and 'id="merge-none"' in other.text
    # and the sibling's officer sees none of the commune's cases on its own case's page
    sibling, _ = await factory.page_client(SIBLING)
    own_page = await sibling.get(f"/c/{SIBLING}/cases/{theirs[0].id}")
    assert own_page.status_code == 200
    assert not set(_offered(own_page.text)) & {c.number for c in [same_person, case, *others]}
    assert (await sibling.get(f"/c/{SIBLING}/cases/{case.id}")).status_code == 404
