"""Triage through the pages (phân loại): a committee's staff find the signals the pack cannot
decide yet in their queue, open the files sent with one, register the person it is about on the
spot, choose the manifestations by name and let the pack route it; or close a report as outside
the Front's remit, and its sender reads the reason. A signal waiting too long is reminded. A
sibling commune sees none of it, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import httpx
import time_machine

from giamsat.audit.tables import AuditEntry
from giamsat.db.scope import system_scope
from giamsat.jobs.registry import load_registry
from giamsat.jobs.runner import run_job
from giamsat.notifications.tables import Notification
from giamsat.signals.tables import Signal, SignalIndicator
from tests.conftest import Database
from tests.factories import Factory, csrf
from tests.integration.audit.conftest import context_for
from tests.integration.decisions.conftest import DISTRICT, pack_in_force
from tests.integration.decisions.test_cases_by_hand import _second_commune
from tests.integration.plans.conftest import first_child
from tests.integration.portal.conftest import csrf_of, receipt_on

SENT = dt.datetime(2022, 6, 1, 2, 0, tzinfo=dt.UTC)  # 09:00 in Hà Nội
PDF = b"%PDF-1.4\n% evidence\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


async def _report(public: httpx.AsyncClient, ward: str, content: str, **files: object) -> str:
    token, form_token = await csrf_of(public, f"/portal/{ward}/report")
    sent = await public.post(f"/portal/{ward}/report", data={
        "_csrf_token": token, "token": form_token, "subject_kind": "cadre",
        "kind": "denunciation", "cadre_name": "Trần Văn Quan", "cadre_unit": "Sở X",
        "content": content, "anonymous": "on",
    }, files=files or None)  # fmt: skip
    assert sent.status_code == 201, sent.text
    return receipt_on(sent.text)


async def _status_page(public: httpx.AsyncClient, code: str) -> str:
    token, _ = await csrf_of(public, "/portal/status")
    page = await public.post("/portal/status", data={"_csrf_token": token, "code": code})
    assert page.status_code == 200, page.text
    return page.text


def _signal_on(queue_html: str, words: str) -> int:
    match = re.search(r'/triage/(\d+)">' + re.escape(words), queue_html)
    assert match, queue_html[-3000:]
    return int(match.group(1))


async def _audited(signal_id: int) -> list[str]:
    async with system_scope():
        rows = await AuditEntry.select(AuditEntry.action).where(
            (AuditEntry.subject_type == "signal") & (AuditEntry.subject_id == str(signal_id))
        )
    return [r["action"] for r in rows]


async def test_staff_classify_a_report_registering_its_person_on_the_spot(
    factory: Factory, tmp_path: Path
) -> None:
    await pack_in_force(tmp_path)
    ward = await context_for(await first_child(DISTRICT))
    sibling = await _second_commune()
    code = ward.committee_code
    with time_machine.travel(SENT, tick=True):
        # given an anonymous portal report with a PDF, sent to the commune
        public = factory.client()
        await _report(public, code, "Nhận quà biếu khi cấp phép xây dựng",
                      evidence=("biên bản.pdf", PDF, "application/pdf"))  # fmt: skip
        officer, first = await factory.page_client(code)
        colleague, _ = await factory.page_client(code)
        outsider, _ = await factory.page_client(sibling.committee_code)
        # when an officer opens the home page, then triage is in the menu and the work queue
        home = (await officer.get(f"/c/{code}/")).text
        assert f'href="/c/{code}/triage/"' in home and 'id="queue-triage"' in home
        # and the queue lists the report with its channel, received date and waiting days
        queue = await officer.get(f"/c/{code}/triage/")
        assert queue.status_code == 200
        signal_id = _signal_on(queue.text, "Nhận quà biếu")
        assert "01/06/2022" in queue.text and "Phản ánh của Nhân dân" in queue.text
        assert "0 ngày làm việc" in queue.text
        # and a sibling commune sees none of it, neither in its queue nor by address
        assert (
            "Nhận quà biếu" not in (await outsider.get(f"/c/{sibling.committee_code}/triage/")).text
        )
        assert (
            await outsider.get(f"/c/{sibling.committee_code}/triage/{signal_id}")
        ).status_code == 404
        assert (await outsider.get(f"/c/{code}/triage/{signal_id}")).status_code == 403
        # when the officer opens the signal, then its file is a safe download
        page = (await officer.get(f"/c/{code}/triage/{signal_id}")).text
        link = re.search(r'href="(/c/\d+/signals/\d+/attachments/(\d+))"', page)
        assert link, page
        got = await officer.get(link.group(1))
        assert got.status_code == 200 and got.content == PDF
        assert got.headers["content-type"].startswith("application/pdf")
        assert got.headers["content-disposition"].startswith("attachment;")
        assert "filename*=UTF-8''bi%C3%AAn%20b%E1%BA%A3n.pdf" in got.headers["content-disposition"]
        assert got.headers["x-content-type-options"] == "nosniff"
        assert got.headers["cache-control"] == "no-store"
        # and never to the sibling commune, as if it did not exist
        foreign = f"/c/{sibling.committee_code}/signals/{signal_id}/attachments/{link.group(2)}"
        assert (await outsider.get(foreign)).status_code == 404
        # when the officer sends the form with a new person without a name and no manifestation
        form = {"_csrf_token": csrf(officer), "action": "classify", "cadre": "new",
                "position": "Phó Giám đốc Sở X", "workplace": "Sở X", "managing_level": "province",
                "kind": "denunciation", "corruption": "yes"}  # fmt: skip
        refused = await officer.post(f"/c/{code}/triage/{signal_id}", data=form)
        # then the page comes back with an error summary and what they typed
        assert refused.status_code == 422
        assert "govuk-error-summary" in refused.text and "Phó Giám đốc Sở X" in refused.text
        # when they complete it: the person's name and corruption (DD7) chosen by name
        assert "Tham nhũng" in page or "DD7" in page
        form |= {"full_name": "Trần Văn Quan", "indicators": "DD7", "_csrf_token": csrf(officer)}
        done = await officer.post(f"/c/{code}/triage/{signal_id}", data=form)
        again = await colleague.post(f"/c/{code}/triage/{signal_id}",
                                     data=form | {"_csrf_token": csrf(colleague)})  # fmt: skip
        # then the first is taken and the second refused, naming who was first
        assert done.status_code in (302, 303), done.text
        case_id = int(re.search(r"case=(\d+)", done.headers["location"]).group(1))  # type: ignore[union-attr]
        assert again.status_code == 409 and first.full_name in again.text
        # and the pack routed it to the city with a 20-working-day clock
        city, _ = await factory.api_client("01")
        case = (await city.get(f"/api/v1/cases/{case_id}")).json()["case"]
        assert (case["committee_code"], case["clock_days"]) == ("01", 20)
        # and the person is in the commune's register; the signal left the queue
        register = (await officer.get(f"/c/{code}/cadres/?q=tran van quan")).text
        assert "Trần Văn Quan" in register
        assert "Nhận quà biếu" not in (await officer.get(f"/c/{code}/triage/")).text
        # and its indicator rows were written with it (the one signal writer)
        async with system_scope():
            codes = await SignalIndicator.select(SignalIndicator.code).where(
                SignalIndicator.signal == signal_id)  # fmt: skip
        assert [r["code"] for r in codes] == ["DD7"]
        # and every step is audited
        audited = await _audited(signal_id)
        for action in ("signal.attachment_downloaded", "signal.classified"):
            assert action in audited, audited
        # and the city can open the file of its case's signal too; the sibling still cannot
        city_page, _ = await factory.page_client("01")
        case_page = (await city_page.get(f"/c/01/cases/{case_id}")).text
        assert f"/signals/{signal_id}/attachments/" in case_page
        assert (
            await outsider.get(f"/c/{sibling.committee_code}/cases/{case_id}")
        ).status_code == 404


async def test_a_report_closed_as_outside_the_remit_shows_its_reason_to_the_sender(
    factory: Factory, tmp_path: Path
) -> None:
    await pack_in_force(tmp_path)
    ward = await context_for(await first_child(DISTRICT))
    sibling = await _second_commune()
    code = ward.committee_code
    with time_machine.travel(SENT, tick=True):
        # given a citizen's report about a neighbour's quarrel
        public = factory.client()
        receipt = await _report(public, code, "Hàng xóm cãi nhau ồn ào")
        officer, user = await factory.page_client(code)
        outsider, _ = await factory.page_client(sibling.committee_code)
        signal_id = _signal_on((await officer.get(f"/c/{code}/triage/")).text, "Hàng xóm")
        # when the officer closes it without a reason, then it is refused with the summary
        close = {"_csrf_token": csrf(officer), "action": "close", "reason": " "}
        refused = await officer.post(f"/c/{code}/triage/{signal_id}", data=close)
        assert refused.status_code == 422 and "govuk-error-summary" in refused.text
        # and a sibling commune cannot close it
        foreign = await outsider.post(f"/c/{sibling.committee_code}/triage/{signal_id}",
                                      data=close | {"_csrf_token": csrf(outsider),
                                                    "reason": "x"})  # fmt: skip
        assert foreign.status_code == 404
        # when they give the reason
        reason = "Việc tranh chấp giữa hàng xóm do tổ hòa giải ở cơ sở giải quyết."
        done = await officer.post(f"/c/{code}/triage/{signal_id}",
                                  data=close | {"reason": reason})  # fmt: skip
        assert done.status_code in (302, 303), done.text
        # then the sender sees the stage and the reason in plain words, never the officer
        status = await _status_page(public, receipt)
        assert "Không thuộc phạm vi xem xét của Mặt trận" in status and reason in status
        assert user.username not in status and user.full_name not in status
        assert "rejected" not in status and "outside_remit" not in status
        assert "signal.closed_outside_remit" in await _audited(signal_id)


async def test_a_signal_waiting_too_long_is_reminded_once(
    factory: Factory, db: Database, tmp_path: Path
) -> None:
    await pack_in_force(tmp_path)
    ward = await context_for(await first_child(DISTRICT))
    sibling = await _second_commune()
    code = ward.committee_code
    with time_machine.travel(SENT, tick=True):
        public = factory.client()
        await _report(public, code, "Cán bộ địa chính gây khó dễ")
    job = load_registry().get("decisions.triage_reminders")
    # given the report still waiting nine working days later (the 2022 pack allows seven)
    later = dt.datetime(2022, 6, 14, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(later, tick=True):
        officer, user = await factory.page_client(code)
        outsider, other = await factory.page_client(sibling.committee_code)
        # when the reminder job runs (twice)
        first = await run_job(job, db.settings(), now=later)
        await run_job(job, db.settings(), now=later + dt.timedelta(hours=1))
        # then the commune's officer is reminded once, with a link to the queue
        async with system_scope():
            mine = await Notification.select(Notification.link).where(
                (Notification.recipient == user.id) & (Notification.kind == "triage.overdue")
            )
            theirs = await Notification.count().where(Notification.recipient == other.id)
            waiting = await Signal.select(Signal.id).where(
                (Signal.committee == ward.committee_id) & (Signal.body.like("%gây khó dễ%"))
            )
        assert first.status == "done", first.describe()
        assert [n["link"] for n in mine] == [f"/c/{code}/triage/"]
        # and the sibling commune's staff are not
        assert theirs == 0
        # and the home page's line shows it overdue; the queue tags it
        home = (await officer.get(f"/c/{code}/")).text
        assert "chờ quá thời hạn của kế hoạch" in home
        queue = (await officer.get(f"/c/{code}/triage/")).text
        assert "9 ngày làm việc" in queue and "Quá hạn" in queue
        assert "signal.triage_reminded" in await _audited(waiting[0]["id"])
        assert "gây khó dễ" not in (await outsider.get(f"/c/{sibling.committee_code}/triage/")).text
