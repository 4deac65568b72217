"""``giamsat jobs``: periodic work, run once per slot across every replica."""

from __future__ import annotations

import click

from giamsat.cli._common import async_command, settings, with_database
from giamsat.errors import GiamsatError
from giamsat.jobs.registry import JobRegistry, load_registry
from giamsat.jobs.runner import RunOutcome, job_states, run_job, sweep


def _registry() -> JobRegistry:
    try:
        return load_registry()
    except GiamsatError as exc:
        raise click.ClickException(exc.message) from exc


def _report(outcomes: list[RunOutcome]) -> None:
    for outcome in outcomes:
        click.echo(outcome.describe())
    failed = [o.job for o in outcomes if o.status == "failed"]
    if failed:
        raise click.ClickException(f"failed: {', '.join(failed)}")


@click.group("jobs")
def group() -> None:
    """Công việc định kỳ (scheduled jobs): list, run one, sweep all due."""


@group.command("list")
@async_command
async def list_command() -> None:
    """Each job: interval, last slot and status, next slot."""
    registry = _registry()
    for s in await with_database(settings().database_url, lambda: job_states(registry)):
        last = f"{s.last_slot:%Y-%m-%dT%H:%MZ} {s.last_status}" if s.last_slot else "never"
        click.echo(f"{s.name}\tevery {s.interval_minutes} min\tlast: {last}\t"
                   f"next: {s.next_slot:%Y-%m-%dT%H:%MZ}\t{s.description}")  # fmt: skip


@group.command("run")
@click.argument("name")
@async_command
async def run_command(name: str) -> None:
    """Run NAME for the current slot, unless another process already has (then: skipped)."""
    registry, conf = _registry(), settings()
    job = registry.get(name)
    _report([await with_database(conf.database_url, lambda: run_job(job, conf))])


@group.command("sweep")
@async_command
async def sweep_command() -> None:
    """Run every due job once (for a Kubernetes CronJob every minute)."""
    registry, conf = _registry(), settings()
    _report(await with_database(conf.database_url, lambda: sweep(registry, conf)))
