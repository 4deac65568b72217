"""The platform's Prometheus metrics, in one registry of their own.

Each app process exposes its own ``/metrics`` (Prometheus scrapes every pod), so counters are
per process; gauges of database state (cases by status) are read at scrape time. The objects
below are what other areas increment, e.g.::

    from giamsat.observability.metrics import RULE_EVALUATIONS
    RULE_EVALUATIONS.labels(engine="durable_rules", outcome="matched").inc()

A separate registry (rather than prometheus_client's global one) keeps test apps and the
library's own process collectors from clashing, and makes ``/metrics`` show only these.
"""

from __future__ import annotations

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.process_collector import ProcessCollector

REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)

#: Seconds; from a cached page to a heavy report export.
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter(
    "giamsat_http_requests_total",
    "HTTP requests answered, by method, route template (not the raw path) and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "giamsat_http_request_duration_seconds",
    "Time from receiving a request to sending the last byte of its response.",
    ["method", "route"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
HTTP_IN_PROGRESS = Gauge(
    "giamsat_http_requests_in_progress",
    "Requests being handled by this process right now.",
    registry=REGISTRY,
)
SIGNALS_ACCEPTED = Counter(
    "giamsat_signals_accepted_total",
    "Signals (tín hiệu) committed, by the channel they came through.",
    ["channel"],
    registry=REGISTRY,
)
RULE_EVALUATIONS = Counter(
    "giamsat_rule_evaluations_total",
    "Rule-pack evaluations, by engine (durable_rules, reference) and outcome.",
    ["engine", "outcome"],
    registry=REGISTRY,
)
PLUGIN_FAILURES = Counter(
    "giamsat_plugin_failures_total",
    "Channel plugin failures by plugin and reason "
    "(import, exception, timeout, invalid, registration).",
    ["plugin", "reason"],
    registry=REGISTRY,
)
CASES_BY_STATUS = Gauge(
    "giamsat_cases",
    "Cases (vụ việc) in the whole tree, by status; read from the database at scrape time.",
    ["status"],
    registry=REGISTRY,
)
SIGNALS_UNDECIDED = Gauge(
    "giamsat_signals_undecided",
    "Committed signals naming a cadre that no pack has decided yet, by why: waiting (for the "
    "decision step or the decisions.pending job) or no_plan (no pack covers their date).",
    ["reason"],
    registry=REGISTRY,
)
OLDEST_UNDECIDED_AGE = Gauge(
    "giamsat_signals_undecided_oldest_age_seconds",
    "Seconds since the oldest waiting undecided signal was committed (0 when none waits).",
    registry=REGISTRY,
)
SCRAPE_ERRORS = Counter(
    "giamsat_metrics_scrape_errors_total",
    "Scrapes whose database-backed gauges could not be refreshed, by source.",
    ["source"],
    registry=REGISTRY,
)


def set_case_counts(counts: dict[str, int]) -> None:
    """Replace the case gauge's series: a status that disappeared must not keep its last value."""
    CASES_BY_STATUS.clear()
    for status, count in counts.items():
        CASES_BY_STATUS.labels(status=status).set(count)


def exposition() -> tuple[bytes, str]:
    """The registry in Prometheus' text format, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
