"""The litestar application factory. Nothing happens at import time."""

from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, Reference, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

import giamsat
from giamsat.db.engine import close_pool, start_pool, use_database
from giamsat.decisions.jobs import keep_deciding
from giamsat.errors import ConfigurationError
from giamsat.intake.sheet_jobs import keep_running_sheet_jobs
from giamsat.observability.logs import configure_logging, litestar_logging
from giamsat.observability.middleware import count_unmatched, observe_requests
from giamsat.settings import Settings, load_settings
from giamsat.web import i18n, labels
from giamsat.web.controllers.api import AuthApi, CommitteeApi
from giamsat.web.controllers.api_docs import ApiDocs
from giamsat.web.controllers.auth_pages import AuthPages
from giamsat.web.controllers.health import Health
from giamsat.web.controllers.tree_pages import TreePages
from giamsat.web.errors import EXCEPTION_HANDLERS
from giamsat.web.guards import guards_on_the_loop, on_the_loop
from giamsat.web.idempotency import idempotency
from giamsat.web.input_guard import input_guard
from giamsat.web.middleware import tenant_middleware
from giamsat.web.openapi import DocumentPlugin
from giamsat.web.security import (
    CSRF_COOKIE,
    CSRF_EXCLUDE,
    SessionCsrfMiddleware,
    add_security_headers,
)
from giamsat.web.visibility import may_reach, partner_scope

HERE = Path(__file__).parent
#: How a caller proves who it is: the API takes the token of ``POST /api/v1/auth/login`` as a
#: bearer token; pages use the session cookie set by the login page (with a CSRF token).
SECURITY_SCHEMES: dict[str, SecurityScheme | Reference] = {
    "bearer": SecurityScheme(
        type="http",
        scheme="bearer",
        description="The token returned by POST /api/v1/auth/login.",
    ),
    "session": SecurityScheme(
        type="apiKey",
        name="giamsat_session",
        security_scheme_in="cookie",
        description="The pages' session cookie (set by the login page); not taken by /api/.",
    ),
}


class AreaWeb:
    """What the areas' ``giamsat.<area>.controllers`` modules contribute to the app.

    Each such module may define ``ROUTES`` (route handlers), ``NAV`` (``(path, N_("English name"))``
    entries for the top navigation, ``{code}`` being the user's committee, with an optional third
    item: the roles that see the link), ``DEPENDENCIES`` (name → Provide)
    and ``EXCEPTION_HANDLERS``; its templates live in ``giamsat/<area>/templates/<area>/``.
    """

    def __init__(self) -> None:
        self.routes: list[Any] = []
        self.nav: list[tuple[Any, ...]] = []
        self.dependencies: dict[str, Provide] = {}
        self.exception_handlers: dict[Any, Any] = {}
        self.template_dirs: list[Path | os.PathLike[Any] | str] = [HERE / "templates"]
        package_dir = Path(giamsat.__file__).parent
        for info in sorted(pkgutil.iter_modules([str(package_dir)]), key=lambda m: m.name):
            if (
                not info.ispkg
                or importlib.util.find_spec(f"giamsat.{info.name}.controllers") is None
            ):
                continue
            module = importlib.import_module(f"giamsat.{info.name}.controllers")
            self.routes += list(getattr(module, "ROUTES", []))
            self.nav += [_nav_entry(info.name, e) for e in getattr(module, "NAV", [])]
            self.dependencies.update(getattr(module, "DEPENDENCIES", {}))
            self.exception_handlers.update(getattr(module, "EXCEPTION_HANDLERS", {}))
            if (package_dir / info.name / "templates").is_dir():
                self.template_dirs.append(package_dir / info.name / "templates")


def _nav_entry(area: str, entry: tuple[Any, ...]) -> tuple[Any, ...]:
    """``(path, N_("English name"))`` or ``(path, N_("English name"), roles)``; the page shows
    the name in its language from the catalogue (a Vietnamese/English pair is refused)."""
    if len(entry) not in (2, 3) or (len(entry) == 3 and isinstance(entry[2], str)):
        raise ConfigurationError(
            f"giamsat.{area}.controllers.NAV entry {entry!r}: give (path, N_(English name)"
            "[, roles]); the Vietnamese comes from the catalogue"
        )
    return entry


def create_app(settings: Settings | None = None, *, manage_database: bool = True) -> Litestar:
    """Build the app. ``manage_database=False`` leaves the engine to the caller (tests)."""
    settings = settings or load_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def database(_: Litestar) -> AsyncIterator[None]:
        engine = use_database(settings.database_url)
        await start_pool(engine)
        try:
            async with keep_deciding(settings), keep_running_sheet_jobs(settings):
                yield
        finally:
            await close_pool(engine)

    areas = AreaWeb()

    def configure_templates(engine: JinjaTemplateEngine) -> None:
        # Templates ship with the package and change only with a new release (a restart): a
        # compiled template is reused as is, not checked against every template directory's
        # files each time it is looked up (~25 µs per lookup, once per row for a row include).
        engine.engine.auto_reload = False
        engine.engine.globals["area_nav"] = areas.nav
        engine.engine.globals["may_reach"] = may_reach
        i18n.install(engine.engine)
        labels.install(engine.engine)

    route_handlers = [AuthPages, TreePages, AuthApi, CommitteeApi, ApiDocs, Health, *areas.routes]
    guards_on_the_loop(route_handlers)
    return Litestar(
        route_handlers=[
            *route_handlers,
            create_static_files_router(path="/static", directories=[HERE / "static"]),
        ],
        lifespan=[database] if manage_database else [],
        middleware=[
            DefineMiddleware(observe_requests),
            DefineMiddleware(input_guard),
            DefineMiddleware(tenant_middleware),
            DefineMiddleware(
                SessionCsrfMiddleware,
                config=CSRFConfig(
                    secret=settings.secret_key, cookie_name=CSRF_COOKIE, exclude=CSRF_EXCLUDE
                ),
                secure_setting=settings.secure_cookies,
            ),
            DefineMiddleware(idempotency),
        ],
        before_send=[add_security_headers, count_unmatched],
        state=State({"settings": settings}),
        guards=[on_the_loop(partner_scope)],
        logging_config=litestar_logging(),
        dependencies={
            "settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False),
            **areas.dependencies,
        },
        template_config=TemplateConfig(
            directory=areas.template_dirs,
            engine=JinjaTemplateEngine,
            engine_callback=configure_templates,
        ),
        openapi_config=OpenAPIConfig(
            title="giamsat API",
            version=giamsat.__version__,
            path="/api/v1/schema",
            components=Components(security_schemes=SECURITY_SCHEMES),
            security=[{"bearer": []}],
            use_handler_docstrings=True,
            # the document only (completed by giamsat.web.openapi): litestar's browsable UIs load
            # scripts from a CDN, which the Content-Security-Policy (and a closed network)
            # refuses; /api/v1/docs is ours
            render_plugins=[DocumentPlugin()],
        ),
        exception_handlers={**areas.exception_handlers, **EXCEPTION_HANDLERS},  # type: ignore[dict-item]
    )
