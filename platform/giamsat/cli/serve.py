"""``giamsat serve``: run the web application with uvicorn."""

from __future__ import annotations

import os

import click

from giamsat.cli._common import settings

#: Worker processes per pod on PostgreSQL (``--workers``, ``GIAMSAT_WEB_WORKERS``): two, one per
#: core of the chart's default CPU limit, so a page rendering on one never stalls the other.
#: SQLite (the embedded demo) serves from one process: its writers would queue on one file.
DEFAULT_WORKERS = 2


def default_workers(database_url: str, configured: int | None) -> int:
    if configured is not None:
        return configured
    return DEFAULT_WORKERS if database_url.startswith("postgres") else 1


def proxy_options(trusted_proxies: str) -> dict[str, object]:
    """uvicorn's options for ``X-Forwarded-*``: believed only from the configured proxies.

    With none configured (the default) the headers are ignored entirely, so a client cannot
    choose the address that the portal limit and the login throttle count it under.
    """
    trusted = ",".join(p.strip() for p in trusted_proxies.split(",") if p.strip())
    if not trusted:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": trusted}


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(min=1),
    help=f"worker processes [default: GIAMSAT_WEB_WORKERS, else {DEFAULT_WORKERS} on "
    "PostgreSQL, 1 on SQLite]",
)
def group(host: str, port: int, workers: int | None) -> None:
    """Chạy máy chủ web (serve the web application).

    Behind a reverse proxy set GIAMSAT_TRUSTED_PROXIES to its addresses or network."""
    import uvicorn

    # Refuse to start, with a one-line error, before uvicorn's traceback: a server needs a
    # configured secret key (the demo keeps its own beside its database), the same in every
    # worker process, or a form signed by one would be refused by another.
    current = settings(require_secret=True)
    os.environ.setdefault("GIAMSAT_SECRET_KEY", current.secret_key)

    uvicorn.run(
        "giamsat.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=default_workers(current.database_url, workers or current.web_workers),
        log_level="info",
        **proxy_options(current.trusted_proxies),  # type: ignore[arg-type]
    )
