"""Who sees which committee: own space, subtree, never siblings or ancestors."""

from __future__ import annotations

import pytest
from piccolo.engine.postgres import PostgresEngine

from giamsat.accounts.tables import User
from giamsat.db.scope import tenant_scope


async def test_district_sees_its_communes_but_not_another_district(factory):
    # given a user of Quận Ba Đình (001)
    client, _ = await factory.api_client("001")
    # then a commune of Ba Đình is visible, with its children listed
    assert (await client.get("/api/v1/committees/00001")).status_code == 200
    children = (await client.get("/api/v1/committees/001/children")).json()
    assert len(children["items"]) == children["total"] == 14
    # and Quận Hoàn Kiếm (002), a sibling, and Hà Nội (01), the parent, are not
    assert (await client.get("/api/v1/committees/002")).status_code == 404
    assert (await client.get("/api/v1/committees/01")).status_code == 404
    # and search stays inside the subtree
    names = [
        c["name"]
        for c in (await client.get("/api/v1/committees", params={"q": "hoan kiem"})).json()["items"]
    ]
    assert names == []


async def test_commune_user_sees_only_itself(factory):
    # given a user of Phường Phúc Xá (00001) in Ba Đình and one of Phường Phúc Tân (00037) elsewhere
    inside, _ = await factory.api_client("00001")
    elsewhere, _ = await factory.api_client("00037")
    # then each sees its own committee, not the district above nor each other
    assert (await inside.get("/api/v1/committees/00001")).status_code == 200
    assert (await inside.get("/api/v1/committees/001")).status_code == 404
    assert (await inside.get("/api/v1/committees/00037")).status_code == 404
    assert (await elsewhere.get("/api/v1/committees/00001")).status_code == 404


async def test_pages_of_another_committee_are_forbidden(factory):
    client, _ = await factory.page_client("00001")
    resp = await client.get("/c/001/")
    assert resp.status_code == 403 and "không có quyền" in resp.text


async def test_user_list_is_per_committee(factory):
    # given users in two communes
    a, ua = await factory.api_client("00004")
    b, ub = await factory.api_client("00006")
    # then each committee lists only its own users
    assert [u["username"] for u in (await a.get("/api/v1/users")).json()["items"]] == [ua.username]
    assert [u["username"] for u in (await b.get("/api/v1/users")).json()["items"]] == [ub.username]


async def test_unscoped_query_cannot_read_other_committees_on_postgres(factory, db):
    if not isinstance(db.engine, PostgresEngine):
        pytest.skip("row-level security is a PostgreSQL feature")
    # given users in two districts
    a = await factory.user("006")
    b = await factory.user("007")
    # when a query forgets the application's tenant filter entirely
    async with tenant_scope("/01/006/"):
        everything = await User.select(User.username)
    # then the database itself returns only the scoped committee's rows
    names = {r["username"] for r in everything}
    assert a.username in names and b.username not in names
    # and outside any scope a query returns no tenant-owned row at all
    assert await User.select(User.username) == []
    # and a raw SQL query without WHERE is filtered the same way
    async with tenant_scope("/01/007/"):
        rows = await User.raw("SELECT username FROM app_user")
    raw_names = {r["username"] for r in rows}
    assert b.username in raw_names
    assert a.username not in raw_names
