"""Fixtures of the structural tests: the real app, built with the test settings, and its routes."""

from __future__ import annotations

import httpx
import pytest
from litestar import Litestar

from giamsat.web.app import create_app
from tests.conftest import Database
from tests.structure.routes import RouteCall, walk


@pytest.fixture
def app(db: Database) -> Litestar:
    """The application exactly as ``Factory.client()`` builds it (engine left to the tests)."""
    return create_app(db.settings(), manage_database=False)


@pytest.fixture
def routes(app: Litestar) -> list[RouteCall]:
    return walk(app)


def client_of(app: Litestar) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
