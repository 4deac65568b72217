"""Factories for test data: real rows through the real services, unique per call."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import httpx
import pyotp

from giamsat.accounts import two_factor
from giamsat.accounts.schemas import UserCreate, UserView
from giamsat.accounts.service import create_user
from giamsat.web.app import create_app

if TYPE_CHECKING:
    from tests.conftest import Database

PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


#: (database url, user id) → [TOTP secret, last step used] of the users enrolled by factories.
_SECOND_FACTORS: dict[tuple[str, int], list[object]] = {}


class Factory:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def user(
        self,
        committee: str,
        role: str = "democracy_law",
        password: str = PASSWORD,
        *,
        second_factor: bool | None = None,
        organisation: str = "",
    ) -> UserView:
        """A new user; roles that require two-factor login (and ``second_factor=True``) are
        enrolled, so that :meth:`code` gives their next code."""
        name = f"u{next(_counter)}_{role[:6]}".replace("_", "-")
        user = await create_user(
            committee,
            UserCreate(
                username=name,
                role=role,
                password=password,
                full_name=f"Cán bộ {name}",
                organisation=organisation,
            ),
        )
        if second_factor or (second_factor is None and two_factor.required_for(role)):
            await self.enrol(user)
        return user

    async def enrol(self, user: UserView) -> list[str]:
        """Turn the user's second factor on through the real service; the recovery codes."""
        secret = (await two_factor.begin_enrolment(user.id)).secret
        totp = pyotp.TOTP(secret)
        now = datetime.now(UTC)
        step = totp.timecode(now) - 1  # the previous step: the current and next stay usable
        codes = await two_factor.confirm_enrolment(user.id, totp.generate_otp(step), now)
        assert codes is not None
        _SECOND_FACTORS[(self.db.url, user.id)] = [secret, step]
        return codes

    def has_second_factor(self, user: UserView) -> bool:
        return (self.db.url, user.id) in _SECOND_FACTORS

    def code(self, user: UserView) -> str:
        """The user's next acceptable code (each step is accepted once)."""
        entry = _SECOND_FACTORS[(self.db.url, user.id)]
        totp = pyotp.TOTP(str(entry[0]))
        current = totp.timecode(datetime.now(UTC))
        step = max(current - 1, int(entry[1]) + 1)  # type: ignore[call-overload]
        assert step <= current + 1, "more logins of one user in 30 s than its codes allow"
        entry[1] = step
        return totp.generate_otp(step)

    def login_json(
        self, committee: str, user: UserView, password: str = PASSWORD
    ) -> dict[str, str]:
        """The body of ``POST /api/v1/auth/login`` for ``user`` (with a code when enrolled)."""
        body = {"committee": committee, "username": user.username, "password": password}
        if self.has_second_factor(user):
            body["code"] = self.code(user)
        return body

    async def page_login(
        self, client: httpx.AsyncClient, committee: str, user: UserView, password: str = PASSWORD
    ) -> httpx.Response:
        """Log ``client`` in through the login page, and its second-factor page if asked."""
        await client.get("/login")
        resp = await client.post(
            "/login",
            data={
                "committee": committee,
                "username": user.username,
                "password": password,
                "_csrf_token": csrf(client),
            },
        )
        if resp.headers.get("location", "").startswith("/login/second-factor"):
            resp = await client.post(
                "/login/second-factor", data={"code": self.code(user), "_csrf_token": csrf(client)}
            )
        return resp

    def client(self, **settings: object) -> httpx.AsyncClient:
        app = create_app(self.db.settings(**settings), manage_database=False)
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        )

    async def api_client(
        self, committee: str, role: str = "democracy_law", organisation: str = ""
    ) -> tuple[httpx.AsyncClient, UserView]:
        """A client logged in through the API as a new user of ``committee``."""
        user = await self.user(committee, role, organisation=organisation)
        client = self.client()
        resp = await client.post("/api/v1/auth/login", json=self.login_json(committee, user))
        resp.raise_for_status()
        client.headers["Authorization"] = f"Bearer {resp.json()['token']}"
        return client, user

    async def page_client(
        self, committee: str, role: str = "democracy_law", organisation: str = ""
    ) -> tuple[httpx.AsyncClient, UserView]:
        """A client logged in through the login page (cookie session + CSRF)."""
        user = await self.user(committee, role, organisation=organisation)
        client = self.client()
        resp = await self.page_login(client, committee, user)
        assert resp.status_code in (302, 303), resp.text
        return client, user


def csrf(client: httpx.AsyncClient) -> str:
    return client.cookies.get("giamsat_csrf", "")
