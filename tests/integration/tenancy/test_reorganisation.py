"""Hà Nội moves to the registers of 1 January and 1 July 2025, with its open work.

These tests run on a database of their own (the session's database keeps the 2023 tree that
the other tests rely on), on SQLite and on PostgreSQL under row-level security.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import time_machine

from giamsat.cases.tables import Case, CaseClock, CaseEvent
from giamsat.db.engine import close_pool, start_pool
from giamsat.db.migrate import app_role_of, migrate
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.db.testing import create_postgres_database, drop_postgres_database, postgres_reachable
from giamsat.errors import Conflict, InvalidInput
from giamsat.reports.plan import load_plan
from giamsat.reports.schemas import SubmitRequest
from giamsat.reports.submissions import draft_report, submit, submitted_report
from giamsat.tenancy.context import context_for_committee
from giamsat.tenancy.register import REGISTERS, read_register
from giamsat.tenancy.reorganisation import plan_province
from giamsat.tenancy.reorganising import apply, preview
from giamsat.tenancy.repository import CommitteeRepository
from giamsat.tenancy.service import import_units
from giamsat.tenancy.tables import Committee, Reorganisation
from tests.conftest import PG_SERVER, REGISTER, Database
from tests.factories import PASSWORD, Factory, csrf
from tests.integration.cases.conftest import new_case
from tests.integration.reports.conftest import context_of
from tests.integration.reports.test_rollup import NARRATIVE

GIAMSAT = str(Path(sys.executable).with_name("giamsat"))
JAN, JUL = REGISTERS["2025-01"], REGISTERS["2025-07"]
TODAY = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
async def hanoi(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Database]:
    """A database of its own with the 2023 Hà Nội tree and open work in Quận Ba Đình."""
    if request.param == "sqlite":
        owner_url = url = f"sqlite:///{tmp_path_factory.mktemp('reorg') / 'giamsat.sqlite'}"
    else:
        reason = await postgres_reachable(PG_SERVER)
        if reason:
            if os.environ.get("CI") == "true":
                pytest.fail(f"PostgreSQL is required under CI and unreachable: {reason}")
            pytest.skip(f"PostgreSQL unreachable: {reason}")
        owner_url, url = await create_postgres_database(PG_SERVER)
    await migrate(owner_url, app_role_of(url, owner_url))
    db = Database(backend=request.param, url=url, owner_url=owner_url)
    engine = db.bind()
    await start_pool(engine)
    await import_units(read_register(REGISTER, "01"), with_central=False)
    yield db
    await close_pool(engine)
    if request.param == "postgres":
        await drop_postgres_database(PG_SERVER, owner_url)


async def _open_cases() -> dict[int, tuple[str, dt.date | None]]:
    async with system_scope():
        rows = await Case.select(Case.id, Case.tenant_path, Case.due_on).where(
            Case.status.not_in(["closed", "merged"])
        )
    return {r["id"]: (r["tenant_path"], r["due_on"]) for r in rows}


async def test_bad_plans_are_refused_and_move_nothing(hanoi: Database):
    hanoi.bind()
    fresh = await _province_has_2023_tree()
    if not fresh:
        pytest.skip("this database has been reorganised already (module order)")
    # a successor that does not exist on the effective date
    with pytest.raises(InvalidInput, match="does not exist on 01/07/2025"):
        await preview(JUL, dt.date(2025, 7, 1), "01", {"001": "99999"})
    # a cycle
    with pytest.raises(InvalidInput, match="go round in a circle"):
        await preview(JUL, dt.date(2025, 7, 1), "01", {"001": "002", "002": "001"})
    # a committee with open work and no successor (a register without Trúc Bạch)
    await new_case("00004")
    units = [u for u in read_register(JAN.path, "01") if u.code != "00004"]
    async with system_scope():
        plan = await plan_province(JAN, "01", dt.date(2025, 1, 1), {}, units)
    assert [r for r in plan.refusals if "(00004 has open work and no successor" in r]
    async with system_scope():
        assert not await Reorganisation.exists()


async def test_the_city_administrator_previews_then_applies_on_a_page(hanoi: Database):
    hanoi.bind()
    factory = Factory(hanoi)
    if not await _province_has_2023_tree():
        pytest.skip("this database has been reorganised already (module order)")
    # given the city's administrator and a commune's administrator, logged in through the pages
    city, _ = await factory.page_client("01", role="admin")
    commune, _ = await factory.page_client("00001", role="admin")
    form = {"register": "2025-01", "effective": "2025-01-01"}
    # when a commune's administrator tries, then it is refused and nothing changes
    assert (await commune.get("/c/00001/reorganisation/")).status_code == 403
    refused = await commune.post(
        "/c/00001/reorganisation/apply", data={**form, "_csrf_token": csrf(commune)}
    )
    assert refused.status_code == 403
    assert not await _reorganised_on("2025-01")
    # when the city previews the register of 1 January 2025
    shown = await city.post(
        "/c/01/reorganisation/preview", data={**form, "_csrf_token": csrf(city)}
    )
    # then the page lists what would end and start, in Vietnamese, and nothing has changed yet
    assert shown.status_code == 200
    assert "Đơn vị kết thúc ngày 31/12/2024" in shown.text and 'id="ending">53<' in shown.text
    assert not await _reorganised_on("2025-01")
    # when the administrator applies it
    done = await city.post("/c/01/reorganisation/apply", data={**form, "_csrf_token": csrf(city)})
    assert done.status_code == 200 and "Đã áp dụng việc sắp xếp" in done.text
    assert await _reorganised_on("2025-01")
    # and applying again says that nothing changed
    again = await city.post("/c/01/reorganisation/apply", data={**form, "_csrf_token": csrf(city)})
    assert "đã được áp dụng trước đó" in again.text
    # and a bad date is refused with the input kept
    bad = await city.post(
        "/c/01/reorganisation/preview",
        data={"register": "2025-07", "effective": "1/7/2025", "_csrf_token": csrf(city)},
    )
    assert bad.status_code == 422 and 'value="1/7/2025"' in bad.text


async def _reorganised_on(register: str) -> bool:
    async with system_scope():
        return bool(await Reorganisation.count().where(Reorganisation.register == register))


async def test_hanoi_reorganisations_move_open_work_and_keep_history(hanoi: Database):
    hanoi.bind()
    factory = Factory(hanoi)
    # given open cases in Phường Trúc Bạch (00004) and Quận Ba Đình (001), a closed one, and
    # an account of Trúc Bạch
    in_ward = await new_case("00004")
    in_district = await new_case("001")
    closed = await new_case("00004")
    async with system_scope():
        await Case.update({Case.status: "closed"}).where(Case.id == closed.id)
        clocks_before = {
            r["case"]: (r["clock_days"], r["paused_days"])
            for r in await CaseClock.select(
                CaseClock.case, CaseClock.clock_days, CaseClock.paused_days
            )
        }
    truc_bach_user = await factory.user("00004")
    plan_2022 = load_plan()
    await submit(await context_of("001"), plan_2022, "2022",
                 SubmitRequest(narrative=NARRATIVE), dt.date(2022, 11, 20))  # fmt: skip
    before = await _open_cases()
    # when 1 January 2025 is applied, then 1 July 2025 is previewed and applied for the city
    await apply(JAN, dt.date(2025, 1, 1), "01", {}, "test")
    (plan,) = await preview(JUL, dt.date(2025, 7, 1), "01", {})
    started = time.monotonic()
    (outcome,) = await apply(JUL, dt.date(2025, 7, 1), "01", {}, "test")
    seconds = time.monotonic() - started
    print(f"\n[{hanoi.backend}] Hà Nội 2025-07 reorganisation applied in {seconds:.1f} s")
    # then the dry run announced what was applied: 30 districts + 526 communes end, 126 start
    assert outcome.applied
    assert (len(plan.ending), len(plan.starting)) == (556, 126)
    # (accounts: Trúc Bạch's, and the commune administrator of the page test when it ran)
    assert plan.moving().cases == len(before) and plan.moving().accounts >= 1
    assert f"{len(plan.ending)} ended, {len(plan.starting)} started" in outcome.message
    async with system_scope():
        assert (
            await Committee.count().where(
                Committee.path.like("/01/%") & Committee.valid_to.is_null()
            )
            == 1 + 126  # the city and its communes
        )
        ended = await Committee.select(Committee.valid_to).where(Committee.path == "/01/001/")
    assert ended == [{"valid_to": dt.date(2025, 6, 30)}]
    # and open cases before are the open cases of the successors after, clocks unchanged
    after = await _open_cases()
    assert set(after) == set(before)
    assert after[in_ward.id][0] == "/01/00004/"  # Phường Ba Đình
    assert after[in_district.id][0] == "/01/"  # a dissolved district's work goes to the city
    assert {k: v[1] for k, v in after.items()} == {k: v[1] for k, v in before.items()}
    async with tenant_scope("/01/00004/"):
        clocks_after = {
            r["case"]: (r["clock_days"], r["paused_days"])
            for r in await CaseClock.select(
                CaseClock.case, CaseClock.clock_days, CaseClock.paused_days
            )
        }
        history = await CaseEvent.select(CaseEvent.reason).where(
            (CaseEvent.case == in_ward.id) & (CaseEvent.action == "moved_by_succession")
        )
    assert clocks_after[in_ward.id] == clocks_before[in_ward.id]
    assert [h["reason"] for h in history] == [
        (
            "sắp xếp đơn vị hành chính theo danh mục 2025-07, từ 01/07/2025: "
            "Phường Trúc Bạch → Phường Ba Đình"
        )
    ]
    # and the closed case stays with Phường Trúc Bạch, as history
    async with system_scope():
        kept = await Case.select(Case.tenant_path).where(Case.id == closed.id).first()
    assert kept == {"tenant_path": "/01/001/00004/"}
    # and another ward sees none of Ba Đình's cases
    async with tenant_scope("/01/00008/"):
        seen = await Case.select(Case.id).where(Case.id == in_ward.id)
    if hanoi.backend == "postgres":
        assert seen == []
    # and the 2022 report of the dissolved Quận Ba Đình is still readable by the city, and rolls
    # up into the city's 2022 report over the 30 districts of the time
    city = await context_for_committee("01", role="democracy_law", username="t")
    district = await submitted_report(city, plan_2022, "2022", "001", dt.date(2022, 12, 1))
    assert district.committee_name == "Quận Ba Đình"
    report = await draft_report(city, plan_2022, "2022", dt.date(2022, 12, 1))
    assert len(report.children) == 30
    assert [c.status for c in report.children if c.code == "001"] == ["submitted"]
    # and applying again changes nothing and says so
    (again,) = await apply(JUL, dt.date(2025, 7, 1), "01", {}, "test")
    assert not again.applied and "already applied" in again.message
    # and an effective date before the last applied one is refused
    with pytest.raises(Conflict, match="must come after the province's last reorganisation"):
        await preview(JAN, dt.date(2025, 3, 1), "01", {})
    # and the code 00004 means Trúc Bạch on 2023-06-01 and Ba Đình on 2026-01-01
    repo = CommitteeRepository()
    async with system_scope():
        old = await repo.by_code("00004", dt.date(2023, 6, 1))
        new = await repo.by_code("00004", dt.date(2026, 1, 1))
    assert old is not None and (old.name, old.parent_name) == ("Phường Trúc Bạch", "Quận Ba Đình")
    assert new is not None and (new.name, new.parent_name) == ("Phường Ba Đình", "Thành phố Hà Nội")
    # and the account of Trúc Bạch stops, its login naming the successor
    with time_machine.travel(TODAY, tick=False):
        client = factory.client()
        await client.get("/login")
        refused = await client.post(
            "/login",
            data={"committee": "00004", "username": truc_bach_user.username,
                  "password": PASSWORD, "_csrf_token": client.cookies.get("giamsat_csrf", "")},
        )  # fmt: skip
    assert refused.status_code in (401, 422) or "Phường Ba Đình" in refused.text
    assert "Phường Ba Đình (mã 00004)" in refused.text


async def test_the_code_00004_on_each_date_through_api_login_and_cli(hanoi: Database):
    hanoi.bind()
    factory = Factory(hanoi)
    await _reorganised()
    with time_machine.travel(TODAY, tick=False):
        # given a user of Phường Ba Đình and an administrator of the city
        # when the ward's user logs in to 00004 on 2026-12-01 through the login page
        page, _ = await factory.page_client("00004")
        home = await page.get("/c/00004/")
        # then the page is Phường Ba Đình's
        assert home.status_code == 200 and "Phường Ba Đình" in home.text
        assert "Phường Trúc Bạch" not in home.text
        # and through the API, the city reads 00004 on both dates
        api, _ = await factory.api_client("01", role="admin")
        today = (await api.get("/api/v1/committees/00004")).json()
        then = (await api.get("/api/v1/committees/00004", params={"on": "2023-06-01"})).json()
        assert (today["name"], today["parent_code"]) == ("Phường Ba Đình", "01")
        assert (then["name"], then["parent_code"]) == ("Phường Trúc Bạch", "001")
        # and the ward cannot read the Trúc Bạch of 2023 (not in its subtree)
        ward_api, _ = await factory.api_client("00004")
        hidden = await ward_api.get("/api/v1/committees/00004", params={"on": "2023-06-01"})
        assert hidden.status_code == 404
    # and the CLI says the same
    env = {**os.environ, "GIAMSAT_DATABASE_URL": hanoi.url}

    def show(day: str) -> str:
        return subprocess.run(
            [GIAMSAT, "tenants", "show", "00004", "--on", day],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        ).stdout

    shown = [await asyncio.to_thread(show, day) for day in ("2023-06-01", "2026-01-01")]
    assert "Phường Trúc Bạch" in shown[0] and "parent: 001 Quận Ba Đình" in shown[0]
    assert "Phường Ba Đình" in shown[1] and "parent: 01 Thành phố Hà Nội" in shown[1]


async def _province_has_2023_tree() -> bool:
    async with system_scope():
        return bool(
            await Committee.count().where(
                (Committee.path == "/01/001/") & Committee.valid_to.is_null()
            )
        )


async def _reorganised() -> None:
    if await _province_has_2023_tree():
        await apply(JAN, dt.date(2025, 1, 1), "01", {}, "test")
        await apply(JUL, dt.date(2025, 7, 1), "01", {}, "test")
