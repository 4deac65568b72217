"""A sheet above ``sheet_job_rows`` rows is kept in the request and decided afterwards by a job.

In the 2026 tree with the city's plan in force, a ward's letter register (the staff channel)
of five letters about four cadres: the upload answers at once with the job (202 on the API,
the job's page on the web), the job decides the letters in batches and counts them (four cases
opened, five letters on a case), a small sheet is still decided in the request, another ward
sees no job, a worker that died is taken over after its lease without counting twice, and the
``decisions.pending`` job deciding the same letters never decides one twice.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime, timedelta

import httpx

from giamsat.cases.tables import Case
from giamsat.channels import ChannelRegistry
from giamsat.db.scope import system_scope
from giamsat.decisions.service import decide_pending
from giamsat.intake.sheet_jobs import claim, run_batch, run_jobs
from giamsat.intake.tables import DecisionJob, IntakeSubmission
from giamsat.signals.tables import Signal
from tests.conftest import Database
from tests.factories import Factory, csrf
from tests.integration.calendar.conftest import frozen_on
from tests.integration.decisions.conftest import Tree
from tests.integration.intake.conftest import enable, new_cadre
from tests.tree2026 import CITY, OTHER_COMMUNE, SIBLING, WARD

TODAY = dt.date(2026, 3, 10)
HEADER = "ngay_ghi_tren_don,ngay_tiep_nhan,nguoi_gui,ma_can_bo,bieu_hien,noi_dung\n"
API = "/api/v1/intake/staff/bulk/letter-register"
PAGE = f"/c/{WARD}/intake/staff/bulk/letter-register"
#: Sheets of more than this many rows become jobs in these tests.
JOB_ROWS = 3
LEASE = timedelta(seconds=120)


def _tree(db: Database) -> Tree:
    return Tree(name="2026", db=db, today=TODAY, plan_from=dt.date(2026, 1, 1), ward=WARD,
                sibling=SIBLING, parent=CITY, lower_level="commune", press_desk=WARD,
                outsider=OTHER_COMMUNE)  # fmt: skip


def _sheet(cadres: list[str]) -> bytes:
    """A letter register: one letter about each cadre named, received today."""
    lines = [
        f"2026-03-01,2026-03-10,,{cadre},DD3,Kê khai tài sản không trung thực\n" for cadre in cadres
    ]
    return (HEADER + "".join(lines)).encode("utf-8")


async def _api(db: Database, code: str) -> httpx.AsyncClient:
    factory = Factory(db)
    user = await factory.user(code)
    client = factory.client(sheet_job_rows=JOB_ROWS, sheet_job_poll_seconds=0)
    login = await client.post("/api/v1/auth/login", json=factory.login_json(code, user))
    login.raise_for_status()
    client.headers["Authorization"] = f"Bearer {login.json()['token']}"
    return client


async def _page(db: Database, code: str) -> httpx.AsyncClient:
    factory = Factory(db)
    user = await factory.user(code)
    client = factory.client(sheet_job_rows=JOB_ROWS, sheet_job_poll_seconds=0)
    assert (await factory.page_login(client, code, user)).status_code in (302, 303)
    return client


async def _five_letters(db: Database, registry: ChannelRegistry) -> list[str]:
    """The ward with its staff channel on and four cadres; the first is named twice."""
    ward = await Tree.context(_tree(db), WARD)
    await enable(ward, registry, "staff")
    cadres = [await new_cadre(ward) for _ in range(4)]
    return [cadres[0], *cadres]


async def _signals(ids: list[int]) -> list[dict[str, object]]:
    async with system_scope():
        return list(await Signal.select(Signal.id, Signal.status, Signal.case_id).where(
            Signal.id.is_in(ids)).order_by(Signal.id))  # fmt: skip


async def _cases_of(ids: list[int]) -> set[int]:
    return {int(str(s["case_id"])) for s in await _signals(ids) if s["case_id"] is not None}


async def _ids_of(client: httpx.AsyncClient, body: dict[str, object]) -> list[int]:
    """The signals of an uploaded sheet, as its submission's outcome lists them."""
    outcome = (await client.get(f"/api/v1/submissions/{body['submission_id']}")).json()
    return [int(s["signal_id"]) for s in outcome["signals"]]


async def _kept() -> tuple[int, int, int]:
    """How many signals, submissions and decision jobs the database holds, every committee's."""
    async with system_scope():
        return (int(await Signal.count()), int(await IntakeSubmission.count()),
                int(await DecisionJob.count()))  # fmt: skip


async def _cases_about(cadre_codes: list[str]) -> int:
    from giamsat.cadres.tables import Cadre

    async with system_scope():
        cadres = await Cadre.select(Cadre.id).where(Cadre.code.is_in(cadre_codes))
        return int(await Case.count().where(Case.cadre.is_in([c["id"] for c in cadres])))


async def test_a_big_sheet_answers_at_once_and_its_job_decides_it(
    tree2026: Database, registry: ChannelRegistry
) -> None:
    tree2026.bind()
    with frozen_on(TODAY):
        # given a ward's officer and a letter register of five rows (the threshold is three)
        cadres = await _five_letters(tree2026, registry)
        officer = await _api(tree2026, WARD)
        # when the register is uploaded
        sent = await officer.post(API, files={"file": ("so.csv", _sheet(cadres), "text/csv")})
        # then the answer comes at once: 202, every row kept, the job named with its status
        assert sent.status_code == 202, sent.text
        body = sent.json()
        job_url = body["job_url"]
        assert sent.headers["location"] == job_url == f"/api/v1/decision-jobs/{body['job_id']}"
        assert body["accepted"] is True and body["signals"] == 5
        job = body["job"]
        assert (job["id"], job["status_url"], job["state"]) == (body["job_id"], job_url, "queued")
        assert (job["rows"], job["total"], job["decided"], job["cases_opened"]) == (5, 5, 0, 0)
        # and it lists no signal nor row: the submission's outcome names them
        assert (body["signal_ids"], body["rows"], body["routes"]) == ([], [], [])
        outcome = (await officer.get(f"/api/v1/submissions/{body['submission_id']}")).json()
        ids = [s["signal_id"] for s in outcome["signals"]]
        assert len(ids) == 5
        # and nothing is decided yet: the job waits
        assert {s["status"] for s in await _signals(ids)} == {"received"}
        queued = (await officer.get(job_url)).json()
        assert (queued["state"], queued["decided"], queued["total"], queued["rows"]) == (
            "queued", 0, 5, 5,
        )  # fmt: skip
        # when a worker decides its first batch of two
        lease = await claim("worker-a", lease=LEASE)
        assert lease is not None
        assert await run_batch(lease, lease_for=LEASE, batch=2) is True
        # then the API shows the progress
        running = (await officer.get(job_url)).json()
        assert (running["state"], running["decided"]) == ("running", 2)
        assert running["cases_opened"] == 1 and running["attached"] == 2
        # when the worker goes on to the end
        while await run_batch(lease, lease_for=LEASE, batch=2):
            pass
        assert await run_jobs(tree2026.settings(), owner="worker-a", batch=2) == 0
        # then the job is done: five letters decided, four cases opened, five on a case
        done = (await officer.get(job_url)).json()
        assert (done["state"], done["decided"], done["total"]) == ("done", 5, 5)
        assert (done["cases_opened"], done["attached"], done["errors"]) == (4, 5, 0)
        # and the cases exist: one per cadre, the first cadre's two letters on one case
        assert len(await _cases_of(ids)) == 4
        assert all(s["status"] == "attached" for s in await _signals(ids))
        # and another ward and a commune of another province get 404 for the job
        for code in (SIBLING, OTHER_COMMUNE):
            other = await _api(tree2026, code)
            assert (await other.get(job_url)).status_code == 404


async def test_the_upload_page_goes_to_the_jobs_page_which_follows_it(
    tree2026: Database, registry: ChannelRegistry
) -> None:
    tree2026.bind()
    with frozen_on(TODAY):
        # given a ward's staff member on the register's upload page
        cadres = await _five_letters(tree2026, registry)
        client = await _page(tree2026, WARD)
        assert (await client.get(PAGE)).status_code == 200
        # when a register of five rows is uploaded
        sheet = {"file": ("so.csv", _sheet(cadres), "text/csv")}
        sent = await client.post(PAGE, data={"_csrf_token": csrf(client)}, files=sheet)
        # then the browser is sent to the job's page, which polls while the job waits
        assert sent.status_code in (302, 303), sent.text
        job_page = sent.headers["location"]
        assert job_page.startswith(f"/c/{WARD}/decision-jobs/")
        waiting = await client.get(job_page)
        assert waiting.status_code == 200
        assert 'hx-trigger="every 2s"' in waiting.text and "Đang chờ" in waiting.text
        assert 'id="job-decided">0 / 5' in waiting.text
        # and the upload page links it
        assert job_page in (await client.get(PAGE)).text
        # when the job has run
        await run_jobs(tree2026.settings())
        # then the poll's fragment shows the final counts and polls no more
        fragment = await client.get(job_page, headers={"HX-Request": "true"})
        assert fragment.text.lstrip().startswith("<div") and "<html" not in fragment.text
        assert 'data-state="done"' in fragment.text and "hx-trigger" not in fragment.text
        assert 'id="job-decided">5 / 5' in fragment.text and 'id="job-opened">4<' in fragment.text
        # and in English too
        await client.get("/language", params={"to": "en", "next": job_page})
        english = await client.get(job_page)
        assert "Deciding a sheet" in english.text and "Cases opened" in english.text
        # and another ward's staff get 403 or 404, on its code or their own
        other = await _page(tree2026, SIBLING)
        number = job_page.rsplit("/", 1)[1]
        assert (await other.get(job_page)).status_code in (403, 404)
        assert (await other.get(f"/c/{SIBLING}/decision-jobs/{number}")).status_code == 404


async def test_a_small_sheet_is_still_decided_in_the_request(
    tree2026: Database, registry: ChannelRegistry
) -> None:
    tree2026.bind()
    with frozen_on(TODAY):
        # given a register of three rows (the threshold)
        cadres = await _five_letters(tree2026, registry)
        officer = await _api(tree2026, WARD)
        # when it is uploaded
        sent = await officer.post(API, files={"file": ("so.csv", _sheet(cadres[:3]), "text/csv")})
        # then it is decided before the answer: 201, every letter on a case, no job
        assert sent.status_code == 201, sent.text
        body = sent.json()
        assert body["job_id"] is None and body["job_url"] == ""
        assert [r["case_id"] is not None for r in body["routes"]] == [True, True, True]


async def test_a_job_whose_worker_died_is_taken_over_without_counting_twice(
    tree2026: Database, registry: ChannelRegistry
) -> None:
    tree2026.bind()
    with frozen_on(TODAY):
        # given a job of five letters whose worker decided two, then died
        cadres = await _five_letters(tree2026, registry)
        officer = await _api(tree2026, WARD)
        body = (await officer.post(API, files={"file": ("so.csv", _sheet(cadres),
                                                        "text/csv")})).json()  # fmt: skip
        t0 = datetime.now(UTC)
        dead = await claim("worker-a", lease=LEASE, now=t0)
        assert dead is not None
        assert await run_batch(dead, lease_for=LEASE, batch=2, now=t0) is True
        # when another worker looks before the lease ran out, it finds nothing to take
        assert await claim("worker-b", lease=LEASE, now=t0 + timedelta(seconds=60)) is None
        # when it looks after the lease ran out, it takes the job over and finishes it
        later = t0 + LEASE + timedelta(seconds=1)
        taken = await claim("worker-b", lease=LEASE, now=later)
        assert taken is not None and taken.job_id == body["job_id"]
        while await run_batch(taken, lease_for=LEASE, batch=2, now=later):
            pass
        # and the first worker, coming back with a batch, is refused: its lease is gone
        assert await run_batch(dead, lease_for=LEASE, batch=2, now=later) is False
        # then every count is exact: five decided, four cases, five on a case
        job = (await officer.get(body["job_url"])).json()
        assert (job["state"], job["decided"], job["cases_opened"], job["attached"]) == (
            "done", 5, 4, 5,
        )  # fmt: skip
        # and each cadre has exactly one case
        assert len(await _cases_of(await _ids_of(officer, body))) == 4
        assert await _cases_about(cadres) == 4


async def test_the_pending_job_and_a_sheet_job_never_decide_a_letter_twice(
    tree2026: Database, registry: ChannelRegistry
) -> None:
    tree2026.bind()
    with frozen_on(TODAY):
        # given a job of five letters that decided its first two
        cadres = await _five_letters(tree2026, registry)
        officer = await _api(tree2026, WARD)
        body = (await officer.post(API, files={"file": ("so.csv", _sheet(cadres),
                                                        "text/csv")})).json()  # fmt: skip
        lease = await claim("worker-a", lease=LEASE)
        assert lease is not None
        assert await run_batch(lease, lease_for=LEASE, batch=2) is True
        # when the decisions.pending job decides every undecided letter meanwhile
        await decide_pending()
        # and the sheet's job then goes on over the same letters
        while await run_batch(lease, lease_for=LEASE, batch=2):
            pass
        # then each letter is decided once: one case per cadre, none opened twice
        assert await _cases_about(cadres) == 4
        assert len(await _cases_of(await _ids_of(officer, body))) == 4
        # and the job counts what became of them, once each
        job = (await officer.get(body["job_url"])).json()
        assert (job["state"], job["decided"], job["cases_opened"], job["attached"]) == (
            "done", 5, 4, 5,
        )  # fmt: skip


async def test_a_big_sheet_with_bad_rows_keeps_nothing_and_names_each_row_and_column(
    tree2026: Database, registry: ChannelRegistry
) -> None:
    tree2026.bind()
    with frozen_on(TODAY):
        # given a register of five rows (a job's size) whose fourth names a code in no register
        # and whose fifth has a letter date that is no date
        cadres = await _five_letters(tree2026, registry)
        lines = _sheet(cadres).decode("utf-8").splitlines(keepends=True)
        lines[4] = lines[4].replace(cadres[3], "KHONGCO01")
        lines[5] = lines[5].replace("2026-03-01", "31/02/2026")
        sheet = {"file": ("so.csv", "".join(lines).encode("utf-8"), "text/csv")}
        officer = await _api(tree2026, WARD)
        before = await _kept()
        # when it is uploaded on the API
        sent = await officer.post(API, files=sheet)
        # then it is refused: every bad row by its line in the sheet and its column, with the
        # problem in Vietnamese and in English
        assert sent.status_code == 422, sent.text
        body = sent.json()
        assert body["accepted"] is False and body["job_id"] is None
        bad = {(r["line"], e["field"]): e for r in body["rows"] if not r["ok"] for e in r["errors"]}
        assert set(bad) == {(5, "ma_can_bo"), (6, "ngay_ghi_tren_don")}, bad
        assert bad[(5, "ma_can_bo")]["message_en"] == "no cadre with this code"
        assert bad[(5, "ma_can_bo")]["message_vi"] == "Không tìm thấy cán bộ có mã này"
        assert bad[(6, "ngay_ghi_tren_don")]["message_en"] == "not a date (dd/mm/yyyy)"
        # and nothing is kept: no letter, no case about any of the cadres, no job
        assert await _cases_about(cadres) == 0
        assert await _kept() == before
        # when a member of staff uploads it on the page, in English
        client = await _page(tree2026, WARD)
        await client.get("/language", params={"to": "en", "next": PAGE})
        page = await client.post(PAGE, data={"_csrf_token": csrf(client)}, files=sheet)
        # then the page lists each problem by row and column, in English, and keeps nothing
        assert page.status_code == 422, page.text[:300]
        assert ">5</td>" in page.text and ">ma_can_bo</td>" in page.text
        assert ">6</td>" in page.text and ">ngay_ghi_tren_don</td>" in page.text
        assert "no cadre with this code" in page.text and "Không tìm thấy" not in page.text
        assert await _kept() == before
        # and another ward sees no job of it either
        other = await _api(tree2026, SIBLING)
        assert (await other.get("/api/v1/decision-jobs/1")).status_code == 404
