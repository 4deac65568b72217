"""Fixtures of the structural tests: the real app, built with the test settings, and its routes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from litestar import Litestar

from giamsat.web.app import create_app
from tests.conftest import Database
from tests.structure.ba_dinh import forget_plan_rows
from tests.structure.routes import RouteCall, walk


@pytest.fixture(autouse=True)
async def _forget_walk_plans(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """After a test on the database, drop the plan rows the walks added (see ``ba_dinh``)."""
    yield
    if "db" in request.fixturenames:
        await forget_plan_rows()


@pytest.fixture
def app(db: Database) -> Litestar:
    """The application exactly as ``Factory.client()`` builds it (engine left to the tests)."""
    return create_app(db.settings(), manage_database=False)


@pytest.fixture
def routes(app: Litestar) -> list[RouteCall]:
    return walk(app)


def client_of(app: Litestar) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
