"""``GET /metrics`` in Prometheus' text format, on the pod port (keep it off the Ingress)."""

from __future__ import annotations

from litestar import Response, get

from giamsat.observability.service import scrape


@get("/metrics", include_in_schema=False)
async def metrics() -> Response[bytes]:
    """This process's counters and histograms plus the case counts read now."""
    body, content_type = await scrape()
    return Response(body, media_type=content_type)


ROUTES = [metrics]
