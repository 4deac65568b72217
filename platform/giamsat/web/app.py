"""The litestar application factory. Nothing happens at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

import giamsat
from giamsat.db.engine import close_pool, start_pool, use_database
from giamsat.settings import Settings, load_settings
from giamsat.web.controllers.api import AuthApi, CommitteeApi
from giamsat.web.controllers.auth_pages import AuthPages
from giamsat.web.controllers.health import Health
from giamsat.web.controllers.tree_pages import TreePages
from giamsat.web.errors import EXCEPTION_HANDLERS
from giamsat.web.middleware import tenant_middleware

HERE = Path(__file__).parent


def create_app(settings: Settings | None = None, *, manage_database: bool = True) -> Litestar:
    """Build the app. ``manage_database=False`` leaves the engine to the caller (tests)."""
    settings = settings or load_settings()

    @asynccontextmanager
    async def database(_: Litestar) -> AsyncIterator[None]:
        engine = use_database(settings.database_url)
        await start_pool(engine)
        try:
            yield
        finally:
            await close_pool(engine)

    return Litestar(
        route_handlers=[
            AuthPages, TreePages, AuthApi, CommitteeApi, Health,
            create_static_files_router(path="/static", directories=[HERE / "static"]),
        ],  # fmt: skip
        lifespan=[database] if manage_database else [],
        middleware=[DefineMiddleware(tenant_middleware)],
        dependencies={"settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False)},
        csrf_config=CSRFConfig(
            secret=settings.secret_key, cookie_name="giamsat_csrf", cookie_secure=settings.secure_cookies,
            exclude=["/api/", "/health/"],
        ),  # fmt: skip
        template_config=TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine),
        openapi_config=OpenAPIConfig(
            title="giamsat API", version=giamsat.__version__, path="/api/v1/schema",
            render_plugins=[SwaggerRenderPlugin()],
        ),  # fmt: skip
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
    )
