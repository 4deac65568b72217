"""Accounts: login through the API and the pages, throttling, sessions, passwords."""

from __future__ import annotations

import pytest

from giamsat.accounts.schemas import UserCreate
from giamsat.accounts.service import create_user, resolve_session
from giamsat.accounts.tables import User
from giamsat.db.scope import system_scope, tenant_scope
from giamsat.errors import Conflict, InvalidInput, NotFound
from giamsat.web.i18n import Translator
from tests.factories import PASSWORD, csrf


async def test_api_login_and_me(factory):
    # given a user of Quận Ba Đình logged in through the API
    client, user = await factory.api_client("001")
    # when asking who we are
    resp = await client.get("/api/v1/me")
    # then the committee and the role come back
    assert resp.status_code == 200
    assert resp.json()["committee"]["code"] == "001" and resp.json()["username"] == user.username


async def test_wrong_password_is_refused_with_json_error(factory):
    user = await factory.user("001")
    async with factory.client() as client:
        resp = await client.post(
            "/api/v1/auth/login",
            json={"committee": "001", "username": user.username, "password": "nope-nope-nope"},
        )
    assert resp.status_code == 401 and resp.json()["error"] == "not_authenticated"


async def test_user_of_committee_a_cannot_log_into_b(factory):
    # given a user of Ba Đình (001)
    user = await factory.user("001")
    # when the same credentials are used for Hoàn Kiếm (002)
    async with factory.client() as client:
        resp = await client.post(
            "/api/v1/auth/login",
            json={"committee": "002", "username": user.username, "password": PASSWORD},
        )
    # then the login fails
    assert resp.status_code == 401


async def test_login_is_throttled_after_repeated_failures(factory):
    user = await factory.user("003")
    async with factory.client(login_attempts=3) as client:
        codes = []
        for _ in range(4):
            resp = await client.post(
                "/api/v1/auth/login",
                json={
                    "committee": "003",
                    "username": user.username,
                    "password": "wrong-password-x",
                },
            )
            codes.append(resp.status_code)
        # then even the right password is refused while throttled
        resp = await client.post(
            "/api/v1/auth/login",
            json={"committee": "003", "username": user.username, "password": PASSWORD},
        )
    assert codes == [401, 401, 401, 429] and resp.status_code == 429


async def test_page_login_needs_csrf_and_shows_vietnamese_home(factory):
    user = await factory.user("001")
    async with factory.client() as client:
        await client.get("/login")
        # when posting the form without the CSRF token, then it is refused
        resp = await client.post(
            "/login", data={"committee": "001", "username": user.username, "password": PASSWORD}
        )
        assert resp.status_code == 403
        # when posting with it, then we land on the committee's home in Vietnamese
        resp = await client.post(
            "/login",
            data={
                "committee": "001",
                "username": user.username,
                "password": PASSWORD,
                "_csrf_token": csrf(client),
            },
        )
        assert resp.status_code in (302, 303) and resp.headers["location"] == "/c/001/"
        home = await client.get("/c/001/")
        assert "Ủy ban MTTQ Việt Nam Quận Ba Đình" in home.text and "Đơn vị trực thuộc" in home.text
        # and logging out ends the session
        await client.post("/logout", data={"_csrf_token": csrf(client)})
        after = await client.get("/c/001/")
        assert after.status_code in (302, 303)


async def test_password_change_ends_other_sessions(factory):
    client_a, user = await factory.api_client("004")
    async with factory.client() as page:
        await page.get("/login")
        await page.post(
            "/login",
            data={
                "committee": "004",
                "username": user.username,
                "password": PASSWORD,
                "_csrf_token": csrf(page),
            },
        )
        resp = await page.post(
            "/c/004/password",
            data={
                "current_password": PASSWORD,
                "new_password": "a-brand-new-password",
                "_csrf_token": csrf(page),
            },
        )
        assert resp.status_code == 200 and "Mật khẩu mới đã được lưu" in resp.text
    # then the API session opened before is gone
    assert (await client_a.get("/api/v1/me")).status_code == 401


async def test_bad_user_input_is_refused(db):
    with pytest.raises(NotFound):
        await create_user("99999", UserCreate(username="abc", role="admin", password=PASSWORD))
    with pytest.raises(InvalidInput):
        await create_user("001", UserCreate(username="abc", role="king", password=PASSWORD))
    await create_user("005", UserCreate(username="dupe", role="admin", password=PASSWORD))
    with pytest.raises(Conflict):
        await create_user("005", UserCreate(username="dupe", role="admin", password=PASSWORD))


async def test_api_reference_is_browsable_without_a_cdn(factory):
    # given the running app
    async with factory.client() as client:
        # when a developer opens the API reference
        page = await client.get("/api/v1/docs")
        spec = await client.get("/api/v1/schema/openapi.json")
    # then every operation of the OpenAPI document is listed on a page served by the app itself
    assert page.status_code == 200
    assert "/api/v1/auth/login" in page.text
    assert "/api/v1/committees/{committee}" in page.text
    assert "cdn" not in page.text.lower()
    assert spec.json()["info"]["title"] == "giamsat API"


async def test_session_lookup_inside_a_scope_keeps_that_scope(factory, db):
    # given a user of Phường Phúc Xá (00001) logged in, and a scope of Phường Trúc Bạch (00004)
    client, user = await factory.api_client("00001")
    token = client.headers["Authorization"].removeprefix("Bearer ")
    truc_bach = "/01/001/00004/"
    async with tenant_scope(truc_bach):
        # when the session is resolved inside it
        ctx = await resolve_session(token)
        # then the session's context comes back
        assert ctx is not None and (ctx.committee_code, ctx.username) == ("00001", user.username)
        # and the scope still sees only Trúc Bạch (the lookup did not widen it to the tree)
        if db.backend == "postgres":
            (row,) = await User.raw("SELECT current_setting('app.tenant_path') AS path")
            assert row["path"] == truc_bach
        seen = {r["tenant_path"] for r in await User.select(User.tenant_path)}
        if db.backend == "postgres":
            assert seen <= {truc_bach}
    # and outside any scope it resolves the same, in one statement on PostgreSQL
    assert await resolve_session(token) == ctx
    assert await resolve_session("not-a-token") is None


async def test_short_or_common_passwords_are_refused_saying_why(db):
    # given a new account's password that is long enough but common, and one that is short
    common = UserCreate(username="pw-common", role="office", password="password1234")
    short = UserCreate(username="pw-short", role="office", password="Xq7#vLp2")
    # when each is used, then each is refused with the reason, in English and in Vietnamese
    with pytest.raises(InvalidInput, match="common or breached") as refused:
        await create_user("006", common)
    assert "phổ biến hoặc đã bị lộ" in Translator("vi").gettext(refused.value.template)
    with pytest.raises(InvalidInput, match="at least 12 characters") as refused:
        await create_user("006", short)
    vietnamese = Translator("vi").gettext(refused.value.template, **refused.value.params)
    assert vietnamese == "Mật khẩu cần ít nhất 12 ký tự."
    # and a password made of a few uncommon words is accepted
    made = await create_user(
        "006", UserCreate(username="pw-good", role="office", password="mango-kettle-ferry")
    )
    assert made.username == "pw-good"


async def test_a_new_session_opens_in_the_language_its_user_last_chose(factory):
    # given a ward officer who switched the pages to English, then logged out
    client, user = await factory.page_client("00079")
    await client.get("/language?to=en&next=/c/00079/")
    await client.post("/logout", data={"_csrf_token": csrf(client)})
    # and a colleague of the same ward who never chose
    colleague, _ = await factory.page_client("00079")
    # when the officer logs in again from another computer (no cookie of the old one)
    async with factory.client() as elsewhere:
        resp = await factory.page_login(elsewhere, "00079", user)
        assert resp.status_code in (302, 303)
        home = await elsewhere.get("/c/00079/")
    # then the pages are in English at once, and the colleague's stay Vietnamese
    assert home.status_code == 200 and 'lang="en"' in home.text and "Trang chủ" not in home.text
    theirs = await colleague.get("/c/00079/")
    assert 'lang="vi"' in theirs.text


async def test_the_language_chosen_on_the_login_page_is_kept_by_the_account(factory):
    # given a commune officer who has never chosen a language, and a colleague
    user = await factory.user("00079")
    colleague = await factory.user("00079")
    async with factory.client() as client:
        # when the login page is switched to English before signing in
        await client.get("/language?to=en&next=/login")
        resp = await factory.page_login(client, "00079", user)
        assert resp.status_code in (302, 303)
        home = await client.get("/c/00079/")
    assert 'lang="en"' in home.text
    # then the account keeps it (its mail is English), and the colleague's did not change
    async with system_scope():
        languages = {
            row["username"]: row["language"]
            for row in await User.select(User.username, User.language).where(
                User.username.is_in([user.username, colleague.username])
            )
        }
    assert languages == {user.username: "en", colleague.username: "vi"}
