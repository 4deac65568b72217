"""``giamsat serve`` runs several worker processes by default on PostgreSQL."""

from __future__ import annotations

from giamsat.cli.serve import DEFAULT_WORKERS, default_workers


def test_postgres_serves_with_two_workers_and_sqlite_with_one() -> None:
    # given no --workers and no GIAMSAT_WEB_WORKERS
    # then a PostgreSQL deployment gets the documented two, the embedded SQLite demo one
    assert DEFAULT_WORKERS == 2
    assert default_workers("postgresql://giamsat_app@db/giamsat", None) == 2
    assert default_workers("sqlite:///giamsat.sqlite", None) == 1


def test_an_operators_count_wins() -> None:
    assert default_workers("postgresql://giamsat_app@db/giamsat", 4) == 4
    assert default_workers("sqlite:///giamsat.sqlite", 3) == 3
