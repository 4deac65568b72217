"""Factories for test data: real rows through the real services, unique per call."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import httpx

from giamsat.accounts.schemas import UserCreate, UserView
from giamsat.accounts.service import create_user
from giamsat.web.app import create_app

if TYPE_CHECKING:
    from tests.conftest import Database

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


class Factory:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def user(
        self, committee: str, role: str = "democracy_law", password: str = PASSWORD
    ) -> UserView:
        name = f"u{next(_counter)}_{role[:6]}".replace("_", "-")
        return await create_user(
            committee,
            UserCreate(username=name, role=role, password=password, full_name=f"Cán bộ {name}"),
        )

    def client(self, **settings: object) -> httpx.AsyncClient:
        app = create_app(self.db.settings(**settings), manage_database=False)
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )

    async def api_client(
        self, committee: str, role: str = "democracy_law"
    ) -> tuple[httpx.AsyncClient, UserView]:
        """A client logged in through the API as a new user of ``committee``."""
        user = await self.user(committee, role)
        client = self.client()
        resp = await client.post(
            "/api/v1/auth/login",
            json={"committee": committee, "username": user.username, "password": PASSWORD},
        )
        resp.raise_for_status()
        client.headers["Authorization"] = f"Bearer {resp.json()['token']}"
        return client, user

    async def page_client(
        self, committee: str, role: str = "democracy_law"
    ) -> tuple[httpx.AsyncClient, UserView]:
        """A client logged in through the login page (cookie session + CSRF)."""
        user = await self.user(committee, role)
        client = self.client()
        await client.get("/login")
        resp = await client.post(
            "/login",
            data={
                "committee": committee,
                "username": user.username,
                "password": PASSWORD,
                "_csrf_token": client.cookies.get("giamsat_csrf", ""),
            },
        )
        assert resp.status_code in (302, 303), resp.text
        return client, user


def csrf(client: httpx.AsyncClient) -> str:
    return client.cookies.get("giamsat_csrf", "")
