"""``giamsat serve``: run the web application with uvicorn."""

from __future__ import annotations

import click

from giamsat.cli._common import settings


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
def group(host: str, port: int, workers: int) -> None:
    """Chạy máy chủ web (serve the web application)."""
    import uvicorn

    settings()  # refuse to start, with a one-line error, before uvicorn prints a traceback

    uvicorn.run(
        "giamsat.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level="info",
    )
