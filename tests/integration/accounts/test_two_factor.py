"""Two-factor login through the real app: API codes, recovery codes, the re-check before an
identity, the administrator's reset; the other committee's administrator can do nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from giamsat.accounts.tables import Session
from giamsat.audit.tables import AuditEntry
from giamsat.db.scope import system_scope
from tests.factories import PASSWORD, Factory, csrf


async def test_an_approver_logs_in_to_the_api_only_with_a_current_code(factory: Factory) -> None:
    # given a standing-board member of Quận Ba Đình with two-factor login on
    user = await factory.user("001", "standing_board")
    body = {"committee": "001", "username": user.username, "password": PASSWORD}
    async with factory.client() as client:
        # when they log in with the password alone, or with a wrong code
        bare = await client.post("/api/v1/auth/login", json=body)
        wrong = await client.post("/api/v1/auth/login", json={**body, "code": "000000"})
        # then both are refused like a wrong password (a guesser learns nothing)
        assert bare.status_code == 401 and wrong.status_code == 401
        assert bare.json()["message"] == wrong.json()["message"]
        # when they send the current code, they get a session; the same code is not taken twice
        code = factory.code(user)
        ok = await client.post("/api/v1/auth/login", json={**body, "code": code})
        replay = await client.post("/api/v1/auth/login", json={**body, "code": code})
    assert ok.status_code == 200 and replay.status_code == 401


async def test_an_approver_without_a_second_factor_must_enrol_on_the_web(factory: Factory) -> None:
    # given an administrator created without a second factor (as `giamsat users create` does)
    user = await factory.user("001", "admin", second_factor=False)
    async with factory.client() as client:
        # when they log in through the API, they are told to enrol on the web first
        api = await client.post(
            "/api/v1/auth/login",
            json={"committee": "001", "username": user.username, "password": PASSWORD},
        )
        assert api.status_code == 403 and "bật nó trên trang web" in api.json()["message"]
        english = await client.post(
            "/api/v1/auth/login",
            json={"committee": "001", "username": user.username, "password": PASSWORD},
            headers={"Accept-Language": "en"},
        )
        assert english.status_code == 403
        assert "turn it on in the web pages" in english.json()["message"]
        # when they log in through the login page, they are sent to the enrolment page
        await client.get("/login")
        page = await client.post("/login", data={
            "committee": "001", "username": user.username, "password": PASSWORD,
            "_csrf_token": csrf(client)})  # fmt: skip
        assert page.status_code in (302, 303)
        assert page.headers["location"].startswith("/login/two-factor-setup")
        # and no page of the committee opens before enrolment is done
        assert (await client.get("/c/001/")).headers.get("location", "").startswith("/login")
        setup = await client.get("/login/two-factor-setup")
        assert setup.status_code == 200 and "<svg" in setup.text
        secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', setup.text)
        assert secret, setup.text[:500]
        import pyotp

        code = pyotp.TOTP(secret.group(1).replace(" ", "")).now()
        done = await client.post(
            "/login/two-factor-setup", data={"code": code, "_csrf_token": csrf(client)}
        )
        # then the recovery codes are shown once, and the committee's pages open
        assert done.status_code == 200
        assert len(re.findall(r"<li><code>[0-9a-f]{5}-[0-9a-f]{5}</code></li>", done.text)) == 10
        assert (await client.get("/c/001/")).status_code == 200


async def test_a_recovery_code_works_once(factory: Factory) -> None:
    # given a standing-board member of Quận Tây Hồ and their recovery codes
    user = await factory.user("003", "standing_board", second_factor=False)
    codes = await factory.enrol(user)
    body = {"committee": "003", "username": user.username, "password": PASSWORD}
    async with factory.client() as client:
        # when a recovery code is used in place of the app's code, then it works, once
        first = await client.post("/api/v1/auth/login", json={**body, "code": codes[0]})
        again = await client.post("/api/v1/auth/login", json={**body, "code": codes[0]})
        other = await client.post("/api/v1/auth/login", json={**body, "code": codes[1].upper()})
    assert (first.status_code, again.status_code, other.status_code) == (200, 401, 200)


async def test_the_second_factor_is_asked_again_before_an_identity_when_old(
    factory: Factory,
) -> None:
    # given a staff member of Phường Phúc Xá with two-factor on, logged in through the pages
    user = await factory.user("00001", second_factor=True)
    client = factory.client(identity_recheck_minutes=15)
    resp = await factory.page_login(client, "00001", user)
    assert resp.status_code in (302, 303)
    try:
        # when their last check is 20 minutes old and they open an identity
        async with system_scope():
            await Session.update(
                {Session.second_factor_at: datetime.now(UTC) - timedelta(minutes=20)}
            ).where(Session.user == user.id)
        view = await client.post(
            "/c/00001/portal/disclosures/1/view",
            data={"_csrf_token": csrf(client)},
            headers={"referer": "http://testserver/c/00001/portal/5"},
        )
        # then they are sent to check it again, and back to the report afterwards
        assert view.status_code in (302, 303)
        assert view.headers["location"].startswith("/c/00001/two-factor/check")
        check = await client.get(view.headers["location"])
        assert check.status_code == 200 and 'name="code"' in check.text
        done = await client.post("/c/00001/two-factor/check", data={
            "code": factory.code(user), "next": "/c/00001/portal/5",
            "_csrf_token": csrf(client)})  # fmt: skip
        assert done.headers["location"] == "/c/00001/portal/5"
        # and the identity route now reaches the disclosure rules (no such request here: 404)
        again = await client.post(
            "/c/00001/portal/disclosures/999999/view", data={"_csrf_token": csrf(client)}
        )
        assert again.status_code == 404
    finally:
        await client.aclose()


async def test_an_administrator_resets_the_second_factor_of_their_own_committee_only(
    factory: Factory,
) -> None:
    # given an enrolled standing-board member of Phường Phúc Tân, logged in through the API
    member = await factory.user("00037", "standing_board")
    api = factory.client()
    login = await api.post("/api/v1/auth/login", json=factory.login_json("00037", member))
    api.headers["Authorization"] = f"Bearer {login.json()['token']}"
    # and administrators of Phúc Tân and of another committee (Phường Phúc Xá)
    own_admin, _ = await factory.page_client("00037", "admin")
    other_admin, _ = await factory.page_client("00001", "admin")
    try:
        # when the other committee's administrator tries to reset it, they are refused
        refused = await other_admin.post(
            f"/c/00001/users/{member.id}/two-factor", data={"_csrf_token": csrf(other_admin)}
        )
        assert refused.status_code == 404
        assert (await api.get("/api/v1/me")).status_code == 200
        # when the committee's own administrator resets it
        done = await own_admin.post(
            f"/c/00037/users/{member.id}/two-factor", data={"_csrf_token": csrf(own_admin)}
        )
        assert done.status_code == 200
        # then the member's sessions end, the audit says who did it, and the next login enrols
        assert (await api.get("/api/v1/me")).status_code == 401
        async with system_scope():
            audited = await AuditEntry.count().where(
                (AuditEntry.action == "account.two_factor_reset")
                & (AuditEntry.subject_id == str(member.id))
            )
        assert audited == 1
        async with factory.client() as client:
            again = await factory.page_login(client, "00037", member)
        assert again.headers["location"].startswith("/login/two-factor-setup")
    finally:
        for c in (api, own_admin, other_admin):
            await c.aclose()
