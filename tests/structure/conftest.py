"""Fixtures of the structural tests: the real app, built with the test settings, and its routes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from litestar import Litestar

from giamsat.web.app import create_app
from tests.conftest import Database
from tests.factories import Factory
from tests.structure.ba_dinh import BaDinhRows, committee_rows, forget_plan_rows, forget_rows
from tests.structure.routes import RouteCall, walk


@pytest.fixture(autouse=True)
async def _forget_walk_plans(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """After a test on the database, drop the plan rows the walks added (see ``ba_dinh``)."""
    yield
    if "db" in request.fixturenames:
        await forget_plan_rows()


@pytest.fixture
async def rows_of(factory: Factory) -> AsyncIterator[Callable[[str], Awaitable[BaDinhRows]]]:
    """Makes a committee's rows for the walks (``ba_dinh.committee_rows``) and removes them after
    the test: the walks use committees other suites count (Ba Đình, Trúc Bạch, the city)."""
    made: list[BaDinhRows] = []

    async def make(code: str) -> BaDinhRows:
        rows = await committee_rows(factory, code)
        made.append(rows)
        return rows

    yield make
    for rows in reversed(made):
        await forget_rows(rows)


@pytest.fixture
def app(db: Database) -> Litestar:
    """The application exactly as ``Factory.client()`` builds it (engine left to the tests)."""
    return create_app(db.settings(), manage_database=False)


@pytest.fixture
def routes(app: Litestar) -> list[RouteCall]:
    return walk(app)


def client_of(app: Litestar) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
