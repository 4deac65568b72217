"""Walking the real application's routes, so that a new route is checked without being listed.

Each :class:`RouteCall` is one (path template, HTTP method) pair of a route handler the app
actually registered; :func:`fill` turns its template into a concrete URL from plausible values.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Mapping
from typing import Any

import msgspec
from litestar import Litestar
from litestar.routes import HTTPRoute

#: Routes anyone may call: logging in and out, health, metrics, the API's own documentation,
#: static files, the citizens' portal, the language switch and the root redirect.
PUBLIC_PREFIXES = (
    "/login",
    "/logout",
    "/health/",
    "/metrics",
    "/api/v1/auth/login",
    "/api/v1/docs",
    "/api/v1/schema",
    "/static/",
    "/portal",
    "/language",
)
PUBLIC_EXACT = frozenset({"/"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class RouteCall(msgspec.Struct, frozen=True):
    template: str  #: litestar's path, e.g. ``/c/{code:str}/cases/{case_id:int}``
    method: str
    params: tuple[str, ...]  #: path parameter names, in order
    ints: frozenset[str]  #: the ones that are integers
    literals: Mapping[str, str]  #: a valid value for ``Literal[...]`` parameters
    handler: str  #: module.function, for failure messages

    @property
    def is_api(self) -> bool:
        return self.template.startswith("/api/")

    @property
    def is_public(self) -> bool:
        return self.template in PUBLIC_EXACT or self.template.startswith(PUBLIC_PREFIXES)

    @property
    def is_unsafe(self) -> bool:
        return self.method in UNSAFE_METHODS

    def __str__(self) -> str:
        return f"{self.method} {self.template} ({self.handler})"


def _literals(fn: Any) -> dict[str, str]:
    """The first allowed value of every parameter annotated ``Literal[...]`` (e.g. a doc name)."""
    try:
        hints = typing.get_type_hints(fn)
    except Exception:  # a handler whose hints do not resolve simply gets plain values
        return {}
    found: dict[str, str] = {}
    for name in inspect.signature(fn).parameters:
        args = typing.get_args(hints.get(name))
        if typing.get_origin(hints.get(name)) is typing.Literal and args:
            found[name] = str(args[0])
    return found


def walk(app: Litestar) -> list[RouteCall]:
    """Every (route, method) the app serves, OPTIONS and HEAD (litestar's own) left out."""
    calls: list[RouteCall] = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        params = route.path_parameters
        for handler in route.route_handlers:
            fn = handler.fn
            for method in sorted(handler.http_methods - {"OPTIONS", "HEAD"}):
                calls.append(
                    RouteCall(
                        template=route.path,
                        method=method,
                        params=tuple(params),
                        ints=frozenset(n for n, p in params.items() if p.type is int),
                        literals=_literals(fn),
                        handler=f"{fn.__module__}.{fn.__qualname__}",
                    )
                )
    assert calls, "the app registered no routes: the walk itself is broken"
    return sorted(calls, key=lambda c: (c.template, c.method))


def fill(call: RouteCall, values: Mapping[str, object]) -> str:
    """The template with each ``{name:type}`` replaced: ``values`` first, then a Literal's
    first value, then ``1`` for integers and ``x`` for anything else."""
    path = call.template
    for name in call.params:
        if name in values:
            value = values[name]
        elif name in call.literals:
            value = call.literals[name]
        else:
            value = 1 if name in call.ints else "x"
        start = path.index("{" + name + ":")
        path = path[:start] + str(value) + path[path.index("}", start) + 1 :]
    return path
