"""Named periodic jobs and where they come from.

Each area that has periodic work ships a module ``giamsat.<area>.jobs`` with a function
``register_jobs(registry)``; :func:`load_registry` finds them (as the CLI finds its commands), so
adding a job touches no central file. Extra modules, e.g. an operator's own, are named in
``GIAMSAT_JOB_MODULES`` (comma-separated). Nothing is registered at import time.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
import re
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

import msgspec

import giamsat
from giamsat.errors import ConfigurationError, InvalidInput, NotFound
from giamsat.settings import Settings
from giamsat.web.i18n import N_

#: Least time after which a run still marked running is presumed dead.
DEFAULT_TIMEOUT = timedelta(minutes=10)
_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class JobContext(msgspec.Struct, frozen=True, kw_only=True):
    """What a running job gets: the settings and the slot it runs for."""

    settings: Settings
    slot_start: datetime
    now: datetime


#: A job does its work (opening its own scopes) and returns a one-line summary.
JobFunc = Callable[[JobContext], Awaitable[str]]


class Job(msgspec.Struct, frozen=True, kw_only=True):
    """A named periodic job. A run still marked running after ``timeout`` is presumed dead (its
    process crashed), so it no longer holds back later slots."""

    name: str
    interval: timedelta
    func: JobFunc
    timeout: timedelta
    description: str = ""


class JobRegistry:
    """The jobs known to this process, by name."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}

    def register_job(
        self,
        name: str,
        interval: timedelta,
        func: JobFunc,
        description: str = "",
        *,
        timeout: timedelta | None = None,
    ) -> Job:
        if not _NAME.match(name):
            raise InvalidInput(
                N_("The job name %(name)s must look like “area.what”."),
                field="name",
                params={"name": name},
            )
        if interval < timedelta(minutes=1) or interval.total_seconds() % 60:
            raise InvalidInput(
                N_("The job %(name)s must run every so many whole minutes, at least one."),
                field="interval",
                params={"name": name},
            )
        if name in self._jobs:
            raise ConfigurationError(
                N_("The job %(name)s is registered twice."), params={"name": name}
            )
        summary = description or (func.__doc__ or "").strip().split("\n")[0]
        timeout = timeout or max(interval, DEFAULT_TIMEOUT)
        job = Job(name=name, interval=interval, func=func, timeout=timeout, description=summary)
        self._jobs[name] = job
        return job

    def get(self, name: str) -> Job:
        try:
            return self._jobs[name]
        except KeyError:
            if not self._jobs:
                raise NotFound(
                    N_("There is no job %(name)s: no job is registered."),
                    field="name",
                    params={"name": name},
                ) from None
            raise NotFound(
                N_("There is no job %(name)s; the jobs are %(known)s."),
                field="name",
                params={"name": name, "known": ", ".join(sorted(self._jobs))},
            ) from None

    def all(self) -> list[Job]:
        return [self._jobs[name] for name in sorted(self._jobs)]


#: Packages whose ``jobs`` module is not a job module (the CLI's is the ``giamsat jobs`` command).
_NOT_AREAS = frozenset({"cli", "jobs"})


def _area_job_modules() -> list[str]:
    names = []
    for info in pkgutil.iter_modules(giamsat.__path__):
        if not info.ispkg or info.name in _NOT_AREAS:
            continue
        if importlib.util.find_spec(f"giamsat.{info.name}.jobs") is not None:
            names.append(f"giamsat.{info.name}.jobs")
    return sorted(names)


def load_registry(environ: Mapping[str, str] | None = None) -> JobRegistry:
    """A registry with every area's jobs and those of ``GIAMSAT_JOB_MODULES``."""
    env = os.environ if environ is None else environ
    extra = [m.strip() for m in env.get("GIAMSAT_JOB_MODULES", "").split(",") if m.strip()]
    registry = JobRegistry()
    for module_name in [*_area_job_modules(), *extra]:
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ConfigurationError(
                N_("The job module %(module)s cannot be imported: %(error)s"),
                params={"module": module_name, "error": str(exc)},
            ) from exc
        register = getattr(module, "register_jobs", None)
        if register is None:
            raise ConfigurationError(
                N_("The job module %(module)s has no register_jobs(registry)."),
                params={"module": module_name},
            )
        register(registry)
    return registry
