"""Liveness and readiness for the orchestrator."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE

from giamsat.tenancy.tables import Committee


class Health(Controller):
    path = "/health"
    include_in_schema = False

    @get("/live")
    async def live(self) -> dict[str, str]:
        return {"status": "ok"}

    @get("/ready")
    async def ready(self) -> Response[dict[str, str]]:
        try:
            await Committee.raw("SELECT 1")
        except Exception as exc:
            return Response(
                {"status": "unavailable", "reason": type(exc).__name__},
                status_code=HTTP_503_SERVICE_UNAVAILABLE,
            )
        return Response({"status": "ok"})
