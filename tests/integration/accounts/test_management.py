"""A committee's administrator manages its own accounts, and only those."""

from __future__ import annotations

import re

from giamsat.accounts.tables import User
from giamsat.db.scope import tenant_scope
from tests.factories import csrf


async def test_admin_creates_disables_and_resets_accounts_of_its_committee(factory):
    # given the administrator of Quận Đống Đa (006)
    page, _ = await factory.page_client("006", role="admin")
    # when it creates an account through the page
    resp = await page.post(
        "/c/006/users/",
        data={
            "username": "vanthu-dd",
            "role": "office",
            "full_name": "Văn thư Đống Đa",
            "_csrf_token": csrf(page),
        },
    )
    # then the account exists and its initial password is shown once
    assert resp.status_code == 201
    password = re.search(r'id="new-password">([^<]+)<', resp.text).group(1)
    async with factory.client() as other:
        login = await other.post(
            "/api/v1/auth/login",
            json={"committee": "006", "username": "vanthu-dd", "password": password},
        )
        assert login.status_code == 200
        token = login.json()["token"]
        async with tenant_scope("/01/006/"):
            row = await User.select(User.id).where(User.username == "vanthu-dd").first()
        user_id = row["id"]
        # when the administrator disables it, then its session ends at once
        await page.post(
            f"/c/006/users/{user_id}/active", data={"active": "0", "_csrf_token": csrf(page)}
        )
        me = await other.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 401
        # and after re-enabling and a reset, only the new password works
        await page.post(
            f"/c/006/users/{user_id}/active", data={"active": "1", "_csrf_token": csrf(page)}
        )
        reset = await page.post(
            f"/c/006/users/{user_id}/password", data={"_csrf_token": csrf(page)}
        )
        fresh = re.search(r'id="new-password">([^<]+)<', reset.text).group(1)
        old = await other.post(
            "/api/v1/auth/login",
            json={"committee": "006", "username": "vanthu-dd", "password": password},
        )
        new = await other.post(
            "/api/v1/auth/login",
            json={"committee": "006", "username": "vanthu-dd", "password": fresh},
        )
        assert (old.status_code, new.status_code) == (401, 200)


async def test_admin_of_another_committee_cannot_touch_these_accounts(factory):
    # given an account of Đống Đa (006) and the administrator of Hai Bà Trưng (007)
    target = await factory.user("006", "office")
    page, _ = await factory.page_client("007", role="admin")
    # when it tries to open Đống Đa's page or disable the account through its own page
    foreign_page = await page.get("/c/006/users/")
    disable = await page.post(
        f"/c/007/users/{target.id}/active", data={"active": "0", "_csrf_token": csrf(page)}
    )
    # then both are refused and the account still logs in
    assert foreign_page.status_code == 403
    assert disable.status_code == 404
    assert target.username not in (await page.get("/c/007/users/")).text
    async with factory.client() as other:
        login = await other.post(
            "/api/v1/auth/login",
            json={
                "committee": "006",
                "username": target.username,
                "password": "correct-horse-battery",
            },
        )
    assert login.status_code == 200


async def test_only_administrators_manage_accounts(factory):
    page, _ = await factory.page_client("008", role="democracy_law")
    resp = await page.post(
        "/c/008/users/", data={"username": "x-y-z", "role": "admin", "_csrf_token": csrf(page)}
    )
    assert resp.status_code == 403
    bad, _ = await factory.page_client("008", role="admin")
    refused = await bad.post(
        "/c/008/users/", data={"username": "A!", "role": "king", "_csrf_token": csrf(bad)}
    )
    assert refused.status_code == 422
    assert "role" in refused.text or "vai trò" in refused.text.lower()
