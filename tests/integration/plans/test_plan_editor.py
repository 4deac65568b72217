"""The city writes next year's plan in the browser: a draft copied from last year, a new rule
and a new deadline through the editor's forms, wrong edits refused beside their inputs with
the draft unchanged, then submission by the Democracy & Law department and approval by
another member of the standing board. The other committee sees none of it."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from giamsat.plans.drafts import list_drafts
from giamsat.plans.service import history, publish
from giamsat.rulepacks.conditions import parse_condition
from giamsat.rulepacks.loader import read_pack
from giamsat.rulepacks.tables import meaning
from giamsat.tenancy.levels import Level
from giamsat.tenancy.service import create_committee
from tests.factories import csrf
from tests.integration.plans.conftest import RULES, context_for, pack_for

WASTE_RULE = {
    "id": "waste-public-assets",
    "title_vi": "Lãng phí tài chính, tài sản công (biểu hiện 6) có từ 2 phản ánh trong 180 ngày",
    "title_en": (
        "Waste of public finances or assets (manifestation 6) reported twice within 180 days"
    ),
    "a0.signal.indicators": "DD6",
    "a0.at_least": "2",
    "a0.within_days": "180",
    "open_case": "high",
    "add_findings": "DD6",
    "start_clocks": "answer",
    "propose_delegation": "1",
    "alternatives": "1",
    "action": "save",
}


async def _committees(suffix: str) -> tuple[str, str]:
    mine, other = f"93{suffix}1", f"93{suffix}2"
    for code in (mine, other):
        await create_committee(code, f"Quận Thử {code}", "quận", "01", Level.DISTRICT)
    return mine, other


def _revision(html: str) -> str:
    found = re.search(r'name="revision" value="(\d+)"', html)
    assert found, "the page carries the draft's revision"
    return found.group(1)


async def _start(client, code: str) -> str:
    listing = await client.get(f"/c/{code}/plans/drafts")
    assert listing.status_code == 200, listing.text
    base = re.search(r'<option value="(\d+)"', listing.text)
    assert base, listing.text
    made = await client.post(
        f"/c/{code}/plans/drafts",
        data={"base": base.group(1), "year": "2023", "_csrf_token": csrf(client)},
    )
    assert made.status_code in (302, 303), made.text
    return made.headers["location"]


@pytest.mark.slow
async def test_city_writes_2023_from_2022_and_the_board_publishes_it(db, factory, tmp_path):
    # given the 2022 pack published by a committee, and its officer and two board members
    code, other = await _committees("1")
    await publish(pack_for(tmp_path, 2022, code), code, __import__("datetime").date(2022, 1, 1))
    officer, _ = await factory.page_client(code, "democracy_law")
    board, _ = await factory.page_client(code, "standing_board")

    # when the officer starts the 2023 plan from the 2022 one
    draft = await _start(officer, code)
    page = await officer.get(draft)
    # then the draft speaks 2023 already, with last year's rules as a table of words
    assert page.status_code == 200
    assert "năm 2023" in page.text and "01/01/2023 – 31/12/2023" in page.text
    assert "Phản ánh, tố cáo về tham nhũng" in page.text
    assert "escalate_to_parent" not in page.text and "record_signal_indicators" not in page.text

    # when a wrong deadline is typed, then it is refused beside its input and nothing changes
    revision = _revision(page.text)
    wrong = await officer.post(
        f"{draft}/reporting",
        data={
            "deadline": "20/11/2023",
            "from_levels": "district",
            "to_level": "province",
            "suppress_below": "5",
            "group_by": "indicator",
            "revision": revision,
            "_csrf_token": csrf(officer),
        },
    )
    assert wrong.status_code == 422
    assert "ngày phải viết dạng 2023-11-20" in wrong.text
    assert 'value="20/11/2023"' in wrong.text  # the input is kept
    assert _revision((await officer.get(draft)).text) == revision

    # when a rule names a code outside the catalogue, then it is refused at that input
    bad = await officer.post(
        f"{draft}/rules/indicator_rules",
        data={
            **WASTE_RULE,
            "a0.signal.indicators": "DD66",
            "revision": revision,
            "_csrf_token": csrf(officer),
        },
    )
    assert bad.status_code == 422
    assert "mã biểu hiện &#39;DD66&#39; không có trong gói quy tắc" in bad.text
    assert 'href="#f-a0-signal-indicators"' in bad.text
    assert _revision((await officer.get(draft)).text) == revision

    # when the officer checks the rule as they type, then the same problem is shown, unsaved
    check = await officer.post(
        f"{draft}/rules/indicator_rules/check",
        data={
            **WASTE_RULE,
            "a0.within_days": "180",
            "a0.at_least": "",
            "revision": revision,
            "_csrf_token": csrf(officer),
        },
    )
    assert check.status_code == 200
    assert "ít nhất bao nhiêu thông tin" in check.text

    # when the new waste rule and the new deadline are saved
    saved = await officer.post(
        f"{draft}/rules/indicator_rules",
        data={**WASTE_RULE, "revision": revision, "_csrf_token": csrf(officer)},
    )
    assert saved.status_code in (302, 303), saved.text
    revision = _revision((await officer.get(draft)).text)
    deadline = await officer.post(
        f"{draft}/reporting",
        data={
            "deadline": "2023-11-20",
            "from_levels": "district",
            "to_level": "province",
            "suppress_below": "5",
            "group_by": ["indicator", "channel", "kind", "level"],
            "revision": revision,
            "_csrf_token": csrf(officer),
        },
    )
    assert deadline.status_code in (302, 303), deadline.text

    # when a second person saves from the page opened before that save
    stale = await board.post(
        f"{draft}/reporting",
        data={
            "deadline": "2023-11-21",
            "from_levels": "district",
            "to_level": "province",
            "suppress_below": "5",
            "group_by": "indicator",
            "revision": revision,
            "_csrf_token": csrf(board),
        },
    )
    # then they are told who saved first, and nothing of theirs is kept
    assert stale.status_code == 422
    assert "đã lưu dự thảo lúc" in stale.text

    # when the officer submits and tries to approve, then only the board may approve
    page = await officer.get(draft)
    assert "Lãng phí tài chính, tài sản công" in page.text
    assert "20/11/2023" in page.text
    submitted = await officer.post(
        f"{draft}/submit", data={"revision": _revision(page.text), "_csrf_token": csrf(officer)}
    )
    assert submitted.status_code in (302, 303), submitted.text
    refused = await officer.post(
        f"{draft}/approve", data={"effective_from": "2023-01-01", "_csrf_token": csrf(officer)}
    )
    assert refused.status_code == 403

    # and the other committee sees no draft of it, by list or by id
    stranger, _ = await factory.page_client(other, "standing_board")
    assert (await stranger.get(draft.replace(f"/c/{code}/", f"/c/{other}/"))).status_code == 404
    assert "Kế hoạch năm 2023" not in (await stranger.get(f"/c/{other}/plans/drafts")).text

    # when the board reads the changes, runs the simulation and approves
    review = await board.get(draft)
    assert "Lãng phí tài chính" in review.text.split('id="changes"')[1]
    assert "25/11/2022" in review.text and "20/11/2023" in review.text
    simulated = await board.post(f"{draft}/simulate", data={"_csrf_token": csrf(board)})
    assert simulated.status_code == 200 and 'id="simulation"' in simulated.text
    approved = await board.post(
        f"{draft}/approve", data={"effective_from": "2023-01-01", "_csrf_token": csrf(board)}
    )
    assert approved.status_code in (302, 303), approved.text

    # then the published version reads back with its rules, deadline and publisher
    version = await board.get(approved.headers["location"])
    assert version.status_code == 200
    assert "Lãng phí tài chính, tài sản công" in version.text and "20/11/2023" in version.text
    assert 'id="publisher"' in version.text
    zipped = await board.get(approved.headers["location"] + ".zip")
    assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"

    # and it means what rules/2023-ha-noi means (compiled packs compared, not text)
    ctx = await context_for(code)
    (done,) = [d for d in await list_drafts(ctx) if d.status == "published"]
    assert_same_meaning(done.loaded(), read_pack(RULES / "2023-ha-noi"))


def assert_same_meaning(built, shipped) -> None:
    new, old = built.pack, shipped.pack
    assert new.plan.year == old.plan.year == 2023
    assert (new.plan.effective_from, new.plan.effective_to) == (
        old.plan.effective_from,
        old.plan.effective_to,
    )
    assert new.plan.name == old.plan.name and new.plan.id == old.plan.id
    assert new.indicators == old.indicators
    for part in ("levels", "channels", "clocks", "reporting"):
        assert getattr(new.rules, part) == getattr(old.rules, part), part
    for section in ("indicator_rules", "routing_rules"):
        olds = {r.id: r for r in getattr(old.rules, section)}
        news = {r.id: r for r in getattr(new.rules, section)}
        assert news.keys() == olds.keys(), section
        for rule_id, rule in news.items():
            was = olds[rule_id]
            assert (rule.title_vi, rule.title_en, rule.then) == (
                was.title_vi,
                was.title_en,
                was.then,
            )
            assert meaning(parse_condition(rule.when, built.fields)) == meaning(
                parse_condition(was.when, shipped.fields)
            ), rule_id


async def test_the_drafter_cannot_approve_their_own_plan(db, factory, tmp_path):
    # given a board member who drafts and submits a plan
    code, _ = await _committees("2")
    await publish(pack_for(tmp_path, 2022, code), code, __import__("datetime").date(2022, 1, 1))
    board, _ = await factory.page_client(code, "standing_board")
    draft = await _start(board, code)
    page = await board.get(draft)
    await board.post(
        f"{draft}/submit", data={"revision": _revision(page.text), "_csrf_token": csrf(board)}
    )
    # when they approve it themselves, then it is refused and nothing is published
    own = await board.post(
        f"{draft}/approve", data={"effective_from": "2023-01-01", "_csrf_token": csrf(board)}
    )
    assert own.status_code == 403
    assert "Người soạn dự thảo không tự phê duyệt" in own.text
    # when another member returns it with a comment, then the drafter reads it and may edit
    second, _ = await factory.page_client(code, "standing_board")
    back = await second.post(
        f"{draft}/return",
        data={"comment": "Bổ sung quy tắc về lãng phí", "_csrf_token": csrf(second)},
    )
    assert back.status_code in (302, 303)
    page = await board.get(draft)
    assert "Bổ sung quy tắc về lãng phí" in page.text
    assert "Thêm quy tắc biểu hiện" in page.text or "Add an indicator rule" in page.text


#: (what is wrong, the form it is sent to, the fields sent, the field it must be shown at,
#: a piece of the Vietnamese message)
MALFORMED_EDITS = [
    ("no rule id", "rules/indicator_rules", {"id": ""}, "id", "Cần tên ngắn của quy tắc"),
    (
        "no Vietnamese name",
        "rules/indicator_rules",
        {"title_vi": ""},
        "title_vi",
        "Quy tắc cần có tên",
    ),
    (
        "no English name",
        "rules/indicator_rules",
        {"title_en": ""},
        "title_en",
        "Quy tắc cần có tên",
    ),
    ("an id already used", "rules/indicator_rules", {"id": "corruption-signal"}, "id", "đã dùng"),
    (
        "no outcome",
        "rules/indicator_rules",
        {"open_case": "", "add_findings": "", "start_clocks": "", "propose_delegation": ""},
        "outcome",
        "chưa có kết quả nào",
    ),
    (
        "no condition",
        "rules/indicator_rules",
        {"a0.signal.indicators": "", "a0.at_least": "", "a0.within_days": ""},
        "a0-conditions",
        "chưa có điều kiện nào",
    ),
    (
        "window without count",
        "rules/indicator_rules",
        {"a0.at_least": ""},
        "a0-at_least",
        "ít nhất bao nhiêu thông tin",
    ),
    (
        "count in words",
        "rules/indicator_rules",
        {"a0.at_least": "hai"},
        "a0-at_least",
        "số nguyên dương",
    ),
    (
        "days in words",
        "rules/indicator_rules",
        {"a0.within_days": "-3"},
        "a0-within_days",
        "số nguyên dương",
    ),
    (
        "unknown indicator",
        "rules/indicator_rules",
        {"a0.signal.indicators": "DD66"},
        "a0-signal-indicators",
        "DD66",
    ),
    ("unknown finding", "rules/indicator_rules", {"add_findings": "DD99"}, "add_findings", "DD99"),
    ("unknown clock", "rules/indicator_rules", {"start_clocks": "reply"}, "start_clocks", "reply"),
    (
        "unknown channel",
        "rules/indicator_rules",
        {"a0.signal.channel": "facebook"},
        "a0-signal-channel",
        "facebook",
    ),
    (
        "unknown field in other",
        "rules/indicator_rules",
        {"a0.other": "subject.party_card == true"},
        "a0-other",
        "subject.party_card",
    ),
    (
        "unreadable other",
        "rules/indicator_rules",
        {"a0.other": "signal.kind ~ report"},
        "a0-other",
        "không đọc được",
    ),
    (
        "routing without level",
        "rules/routing_rules",
        {
            "route_to": "",
            "a0.signal.indicators": "",
            "a0.at_least": "",
            "a0.within_days": "",
            "a0.subject.managing_level": "central",
        },
        "route_to",
        "Chọn cấp nhận vụ việc",
    ),
    (
        "routing to an unknown level",
        "rules/routing_rules",
        {
            "route_to": "ward",
            "a0.signal.indicators": "",
            "a0.at_least": "",
            "a0.within_days": "",
            "a0.subject.managing_level": "central",
        },
        "route_to",
        "ward",
    ),
    (
        "deadline day/month/year",
        "reporting",
        {"deadline": "20/11/2023"},
        "deadline",
        "ngày phải viết dạng 2023-11-20",
    ),
    ("deadline month 20", "reporting", {"deadline": "2023-20-11"}, "deadline", "không có tháng 20"),
    (
        "suppression in words",
        "reporting",
        {"suppress_below": "năm"},
        "suppress_below",
        "số nguyên dương",
    ),
    (
        "plan ends before it starts",
        "plan",
        {"effective_to": "2022-12-31"},
        "effective_to",
        "Ngày kết thúc phải sau ngày bắt đầu",
    ),
    ("plan with an empty name", "plan", {"name_vi": ""}, "name_vi", "Không được để trống"),
]

_BASE_FORMS = {
    "rules/indicator_rules": WASTE_RULE,
    "rules/routing_rules": {
        "id": "route-new",
        "title_vi": "Chuyển mới",
        "title_en": "Route new",
        "alternatives": "1",
        "action": "save",
    },
    "reporting": {
        "deadline": "2023-11-20",
        "from_levels": "district",
        "to_level": "province",
        "suppress_below": "5",
        "group_by": "indicator",
    },
    "plan": {
        "id": "hn-2023",
        "name_vi": "Kế hoạch 2023",
        "name_en": "Plan 2023",
        "year": "2023",
        "effective_from": "2023-01-01",
        "effective_to": "2023-12-31",
    },
}


async def test_twenty_malformed_edits_are_each_refused_at_their_input(db, factory, tmp_path):
    # given a 2023 draft copied from the 2022 plan
    code, _ = await _committees("3")
    await publish(pack_for(tmp_path, 2022, code), code, __import__("datetime").date(2022, 1, 1))
    officer, _ = await factory.page_client(code, "democracy_law")
    draft = await _start(officer, code)
    before = (await officer.get(draft)).text
    revision = _revision(before)
    assert len(MALFORMED_EDITS) >= 20
    for what, form, fields, at, message in MALFORMED_EDITS:
        # when one wrong edit is sent
        data = {**_BASE_FORMS[form], **fields, "revision": revision, "_csrf_token": csrf(officer)}
        data = {k: v for k, v in data.items() if v != ""}
        resp = await officer.post(f"{draft}/{form}", data=data)
        # then it is refused with its message linked to (or beside) its input
        assert resp.status_code == 422, (what, resp.status_code)
        assert message in resp.text.replace("&#39;", "'"), what
        assert f'href="#f-{at}"' in resp.text, what
        # and the draft is unchanged
        assert _revision((await officer.get(draft)).text) == revision, what
    assert (await officer.get(draft)).text.count("govuk-table__row") == before.count(
        "govuk-table__row"
    )


async def test_the_plan_files_go_out_as_a_zip_and_come_back(db, factory, tmp_path):
    # given a draft and its files downloaded as a zip (what a city keeps in git)
    code, _ = await _committees("4")
    await publish(pack_for(tmp_path, 2022, code), code, __import__("datetime").date(2022, 1, 1))
    officer, _ = await factory.page_client(code, "democracy_law")
    draft = await _start(officer, code)
    revision = _revision((await officer.get(draft)).text)
    zipped = await officer.get(f"{draft}/yaml")
    assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(zipped.content))
    files = {Path(n).name: archive.read(n).decode() for n in archive.namelist()}
    # when a spoilt copy is uploaded, then it is refused at its line and nothing changes
    spoilt = io.BytesIO()
    with zipfile.ZipFile(spoilt, "w") as out:
        for name, text in files.items():
            out.writestr(f"plan/{name}", text.replace("working_days: 20", "working_days: 0"))
    refused = await officer.post(
        f"{draft}/workbook",
        data={"revision": revision, "_csrf_token": csrf(officer)},
        files={"workbook": ("ke-hoach.zip", spoilt.getvalue(), "application/zip")},
    )
    assert refused.status_code == 422
    assert "số ngày làm việc phải lớn hơn 0" in refused.text
    assert _revision((await officer.get(draft)).text) == revision
    # when the edited files come back with a new deadline, then the draft takes them
    edited = io.BytesIO()
    with zipfile.ZipFile(edited, "w") as out:
        for name, text in files.items():
            out.writestr(f"plan/{name}", text.replace("2023-11-25", "2023-11-20"))
    taken = await officer.post(
        f"{draft}/workbook",
        data={"revision": revision, "_csrf_token": csrf(officer)},
        files={"workbook": ("ke-hoach.zip", edited.getvalue(), "application/zip")},
    )
    assert taken.status_code in (302, 303), taken.text
    page = await officer.get(draft)
    assert _revision(page.text) != revision and "20/11/2023" in page.text


async def test_a_commune_writes_its_additions_in_the_same_editor(db, factory):
    # given a district's plan in force over one of its communes, on a day of 2027
    from giamsat.plans.additions import additions_history
    from tests.integration.calendar.conftest import frozen_on
    from tests.packs import city_pack_for

    district, commune = "93061", "93062"
    await create_committee(district, "Quận Thử Bổ Sung", "quận", "01", Level.DISTRICT)
    await create_committee(commune, "Phường Thử Bổ Sung", "phường", district, Level.COMMUNE)
    day = __import__("datetime").date(2027, 3, 1)
    await publish(city_pack_for(2027, district), district, __import__("datetime").date(2027, 1, 1))
    with frozen_on(day):
        officer, _ = await factory.page_client(commune, "democracy_law")
        board, _ = await factory.page_client(commune, "standing_board")
        # when the commune's officer starts its additions
        made = await officer.post(
            f"/c/{commune}/plans/drafts",
            data={"kind": "addition", "year": "2027", "_csrf_token": csrf(officer)},
        )
        assert made.status_code in (302, 303), made.text
        draft = made.headers["location"]
        page = await officer.get(draft)
        assert page.status_code == 200 and "Quy định bổ sung năm 2027" in page.text
        assert 'href="' + draft + '/workbook"' not in page.text  # no plan parts to edit
        revision = _revision(page.text)
        rule = {
            **WASTE_RULE,
            "id": "phuong-lang-phi",
            "revision": revision,
            "_csrf_token": csrf(officer),
        }
        # when it reuses a rule id of the district's plan, then it is refused at the id
        taken = await officer.post(
            f"{draft}/rules/indicator_rules", data={**rule, "id": "corruption-signal"}
        )
        assert taken.status_code == 422 and 'href="#f-id"' in taken.text
        # when it adds a rule of its own, then the rule is kept in its additions
        saved = await officer.post(f"{draft}/rules/indicator_rules", data=rule)
        assert saved.status_code in (302, 303), saved.text
        page = await officer.get(draft)
        assert (
            "Lãng phí tài chính, tài sản công" in page.text.split('id="table-indicator_rules"')[1]
        )
        # when it is submitted and another member of the board approves it
        await officer.post(
            f"{draft}/submit", data={"revision": _revision(page.text), "_csrf_token": csrf(officer)}
        )
        approved = await board.post(
            f"{draft}/approve", data={"effective_from": "2027-03-01", "_csrf_token": csrf(board)}
        )
        assert approved.status_code in (302, 303), approved.text
    # then the addition is published for the commune's subtree
    assert [a.addition_id for a in await additions_history(commune)] == [f"{commune}-2027-bo-sung"]


async def test_a_committee_starts_its_plan_from_the_plan_above(db, factory, tmp_path):
    # given a district's published plan over one of its communes (row-level security on)
    district, commune = "93071", "93072"
    await create_committee(district, "Quận Thử Gốc", "quận", "01", Level.DISTRICT)
    await create_committee(commune, "Phường Thử Gốc", "phường", district, Level.COMMUNE)
    await publish(
        pack_for(tmp_path, 2022, district), district, __import__("datetime").date(2022, 1, 1)
    )
    officer, _ = await factory.page_client(commune, "democracy_law")
    # when the commune starts a plan of its own from the district's
    listing = await officer.get(f"/c/{commune}/plans/drafts")
    versions = await history(commune)
    made = await officer.post(
        f"/c/{commune}/plans/drafts",
        data={"base": str(versions[0].id), "year": "2023", "_csrf_token": csrf(officer)},
    )
    # then the draft is made from the district's files, issued by the commune
    assert listing.status_code == 200
    assert made.status_code in (302, 303), made.text
    (draft,) = await list_drafts(await context_for(commune))
    assert (
        'issuing_committee: "93072"' in draft.files["pack.yaml"]
        or "issuing_committee: '93072'" in draft.files["pack.yaml"]
    )
