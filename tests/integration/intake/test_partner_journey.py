"""A partner's whole journey with a plugin installed by pip, through the real app on two replicas.

The Women's Union (Hội LHPN) of a Ba Đình ward submits through its form, its sheet and the API;
reads each submission's outcome; finds its section in the period report (page, Word, Excel); is
blocked on one replica, shown as blocked on the other and in the CLI, and re-enabled by an admin
without a restart. Its officer is refused the citizens' reports and the trade unions' channel.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from litestar import Litestar
from openpyxl import load_workbook

from giamsat.accounts.schemas import UserCreate, UserView
from giamsat.accounts.service import create_user
from giamsat.db.scope import system_scope
from giamsat.intake.holder import STATE_KEY, RegistryHolder
from giamsat.notifications.tables import MailOutbox, Notification
from giamsat.web.app import create_app
from tests.conftest import Database
from tests.factories import PASSWORD, Factory, csrf
from tests.integration.audit.conftest import context_for
from tests.integration.intake.conftest import new_cadre

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "plugins"
GIAMSAT = str(Path(sys.executable).with_name("giamsat"))
COMMUNE = "00034"  # a Ba Đình ward no other test uses
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Women's Union plugin, installed by pip into a throw-away directory."""
    target = tmp_path_factory.mktemp("journey-site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(FIXTURES / "partner_women")],
        check=True,
    )  # fmt: skip
    return target


@pytest.fixture
def installed(site: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.syspath_prepend(str(site))
    yield site
    for name in [m for m in sys.modules if m.startswith("giamsat_test_")]:
        del sys.modules[name]


def replica(db: Database) -> Litestar:
    """One server process: its own app and registry, following the shared plugin states at once."""
    app = create_app(db.settings(), manage_database=False)
    app.state[STATE_KEY] = RegistryHolder(refresh=0.0)
    return app


async def login(
    factory: Factory, app: Litestar, user: UserView, *, page: bool = False
) -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")
    if page:
        resp = await factory.page_login(client, COMMUNE, user)
        assert resp.status_code in (302, 303), resp.text
        return client
    resp = await client.post("/api/v1/auth/login", json=factory.login_json(COMMUNE, user))
    resp.raise_for_status()
    client.headers["Authorization"] = f"Bearer {resp.json()['token']}"
    return client


def cli_status(db: Database, site: Path) -> str:
    path = os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "GIAMSAT_DATABASE_URL": db.url, "PYTHONPATH": path}
    done = subprocess.run([GIAMSAT, "channels", "status"], env=env, capture_output=True,
                          text=True, timeout=120, check=True)  # fmt: skip
    return done.stdout


async def test_a_partner_submits_reads_outcomes_finds_its_section_and_survives_a_block(
    db: Database, factory: Factory, installed: Path
) -> None:
    # given two replicas of the app, the Women's Union plugin installed, enabled by the ward's
    # admin (with the trade unions' channel too), and the Women's Union's officer there
    one, two = replica(db), replica(db)
    admin_user = await create_user(COMMUNE, UserCreate(
        username=f"hlhpn-admin-{uuid.uuid4().hex[:6]}", role="admin", password=PASSWORD,
        email="quantri@example.vn"))  # fmt: skip
    await factory.enrol(admin_user)
    officer_user = await factory.user(COMMUNE, "partner_officer", organisation="women")
    admin = await login(factory, one, admin_user)
    for channel in ("women", "workplace"):
        enabled = await admin.post(f"/api/v1/channels/{channel}", json={"enabled": True})
        assert enabled.status_code == 200, enabled.text
    cadre = await new_cadre(await context_for(COMMUNE))
    page = await login(factory, one, officer_user, page=True)
    api = await login(factory, two, officer_user)

    # when the officer submits through the form page (replica one)
    form = await page.get(f"/c/{COMMUNE}/intake/women/feedback")
    assert form.status_code == 200 and 'name="indicators"' in form.text
    posted = await page.post(f"/c/{COMMUNE}/intake/women/feedback", data={
        "_csrf_token": csrf(page), "cadre": cadre, "topic": "family", "indicators": "DD3",
        "heard_on": "20/11/2026", "content": "Hội viên phản ánh"})  # fmt: skip
    assert posted.status_code == 201, posted.text
    assert 'id="outcome-link"' in posted.text
    # and through its sheet (columns named by the kit from the form's fields)
    sheet = f"ma_can_bo,topic,indicators,heard_on,content\n{cadre},Gia đình,DD1; DD3,,Bảng\n"
    uploaded = await page.post(
        f"/c/{COMMUNE}/intake/women/bulk/sheet",
        data={"_csrf_token": csrf(page)},
        files={"file": ("bang.csv", sheet.encode(), "text/csv")},
    )
    assert uploaded.status_code == 201, uploaded.text
    # and through the API (replica two), with an idempotency key
    sent = await api.post(
        "/api/v1/intake/women/feedback",
        json={"cadre": cadre, "topic": "work", "indicators": ["DD1"], "content": "Qua API"},
        headers={"Idempotency-Key": "hlhpn-2026-0001"},
    )
    assert sent.status_code == 201, sent.text

    # then each submission has an outcome, by id, by idempotency key and in the feed
    feed = (await api.get("/api/v1/submissions")).json()
    assert [item["channel"] for item in feed["items"]] == ["women"] * 3
    for item in feed["items"]:
        one_item = (await api.get(f"/api/v1/submissions/{item['submission_id']}")).json()
        assert one_item["signals"] and all(
            s["text_vi"] and s["text_en"] for s in one_item["signals"]
        )
        assert {s["where"] for s in one_item["signals"]} <= {"case", "triage", "no_case", "waiting"}
    by_key = (await api.get("/api/v1/submissions/by-key/hlhpn-2026-0001")).json()
    assert by_key["submission_id"] == sent.json()["submission_id"]
    assert "Hội viên" not in str(feed) and "Nguyễn" not in str(feed)  # no text, no names
    outcome_page = await page.get(f"/c/{COMMUNE}/submissions/{sent.json()['submission_id']}")
    assert outcome_page.status_code == 200 and "data-where=" in outcome_page.text

    # and the committee's period report holds the channel's section: page, Word, Excel
    report = await admin.get(f"/c/{COMMUNE}/reports")
    assert 'data-channel="women"' in report.text and "Ý kiến hội viên phụ nữ" in report.text
    word = await admin.get(f"/c/{COMMUNE}/reports/export.docx")
    with zipfile.ZipFile(io.BytesIO(word.content)) as docx:
        assert "HỘI LIÊN HIỆP PHỤ NỮ" in docx.read("word/document.xml").decode()
    excel = load_workbook(
        io.BytesIO((await admin.get(f"/c/{COMMUNE}/reports/export.xlsx")).content)
    )
    assert "Hội Liên hiệp Phụ nữ 1" in excel.sheetnames  # the channel by its name, never its code
    draft = (await admin.get(f"/api/v1/reports/{feed_period(report.text)}/draft")).json()
    assert [part["channel"] for part in draft["channels"]][:1] == ["women"]

    # when the plugin fails on replica two
    crashed = await api.post(
        "/api/v1/intake/women/feedback",
        json={"cadre": cadre, "topic": "work", "content": "!crash"},
    )
    assert crashed.status_code == 503
    # then replica one shows it blocked (with the reason) and refuses it, and so does the CLI
    channels_page = await admin.get("/api/v1/channels")
    women = next(row for row in channels_page.json()["items"] if row["plugin"] == "women")
    assert women["state"] == "blocked" and "RuntimeError" in women["reason"]
    refused = await page.get(f"/c/{COMMUNE}/intake/women/feedback")
    assert refused.status_code == 503
    assert "women\twomen\tblocked" in cli_status(db, installed)
    # and the admin of the committee that enabled it is told, in-app and by e-mail
    async with system_scope():
        notes = await Notification.select(Notification.id).where(
            (Notification.kind == "channel.blocked") & (Notification.recipient == admin_user.id)
        )
        mails = await MailOutbox.count().where(
            MailOutbox.notification.is_in([n["id"] for n in notes] or [0]))  # fmt: skip
    assert (len(notes), mails) == (1, 1)
    # and the intake page still offers the other channels
    admin_page = await login(factory, one, admin_user, page=True)
    intake = await admin_page.get(f"/c/{COMMUNE}/intake")
    assert intake.status_code == 200 and "/intake/workplace/" in intake.text

    # when the admin re-enables it on the channels page of replica one, without a restart
    lifted = await admin_page.post(
        f"/c/{COMMUNE}/channels/plugins/women/reenable", data={"_csrf_token": csrf(admin_page)}
    )
    assert lifted.status_code in (302, 303), lifted.text
    # then both replicas accept the channel again, and the CLI says who re-enabled it
    again = await api.post(
        "/api/v1/intake/women/feedback",
        json={"cadre": cadre, "topic": "work", "content": "Sau khi sửa"},
    )
    assert again.status_code == 201, again.text
    assert (await page.get(f"/c/{COMMUNE}/intake/women/feedback")).status_code == 200
    status = cli_status(db, installed)
    assert "women\twomen\tactive" in status and "re-enabled by" in status

    # and the same officer is refused the citizens' reports and the trade unions' channel
    assert (await api.get("/api/v1/portal/reports")).status_code == 404
    assert (await page.get(f"/c/{COMMUNE}/portal/")).status_code == 404
    assert (await api.get("/api/v1/cases")).status_code == 404
    union = await api.post(
        "/api/v1/intake/workplace/report",
        json={"cadre": cadre, "indicator": "DD1", "union": "CĐ", "content": "Không được"},
    )
    assert union.status_code == 404
    # and another commune's admin sees none of these submissions
    other, _ = await factory.api_client("00004", "democracy_law")
    theirs = {i["submission_id"] for i in (await other.get("/api/v1/submissions")).json()["items"]}
    assert not theirs & {i["submission_id"] for i in feed["items"]}
    assert (
        await other.get(f"/api/v1/submissions/{sent.json()['submission_id']}")
    ).status_code == 404


def feed_period(page_text: str) -> str:
    """The period the reports page shows (its export links carry it)."""
    return page_text.split("export.docx?period=", 1)[1].split('"', 1)[0]
