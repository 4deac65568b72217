"""``giamsat reports``: the daily snapshot (Helm CronJob), status and national roll-up timings."""

from __future__ import annotations

import time
from datetime import date

import click
import msgspec

from giamsat import clock
from giamsat.cli._common import async_command, settings, with_database
from giamsat.db.scope import system_scope
from giamsat.reports.plan import DEFAULT_PLAN, load_plan, plan_for
from giamsat.reports.schedule import send_reminders
from giamsat.reports.snapshots import store_snapshots


@click.group("reports")
def group() -> None:
    """Báo cáo tổng hợp (reports): roll-ups, reminders, status."""


def _day(value: str | None) -> date:
    return date.fromisoformat(value) if value else clock.today()


@group.command("snapshot")
@click.option("--plan", "plan_name", default=DEFAULT_PLAN, show_default=True)
@click.option("--today", default=None, help="Pretend today is this ISO date.")
@async_command
async def snapshot(plan_name: str, today: str | None) -> None:
    """Daily run: roll every committee's report up the tree, store the snapshots that dashboards
    read, and send the day's deadline reminders (each at most once, however often this runs)."""
    base, day = load_plan(plan_name), _day(today)

    async def work() -> dict[str, object]:
        plan = await plan_for("/", base)
        started = time.perf_counter()
        period = plan.current_period(day)
        stored = await store_snapshots(plan, period, day)
        rolled = time.perf_counter() - started
        reminders = await send_reminders(plan, day)
        return {
            "period": period.id,
            "committees": stored.committees,
            "snapshots_stored": stored.stored,
            "rollup_seconds": round(rolled, 3),
            "reminders": msgspec.to_builtins(reminders),
        }

    result = await with_database(settings().database_url, work)
    click.echo(msgspec.json.encode(result).decode())


@group.command("status")
@click.argument("committee")
@click.option("--period", default="", help="Period id (default: the current one).")
@click.option("--plan", "plan_name", default=DEFAULT_PLAN, show_default=True)
@click.option("--today", default=None, help="Pretend today is this ISO date.")
@async_command
async def status(committee: str, period: str, plan_name: str, today: str | None) -> None:
    """Print which committees below COMMITTEE have submitted, are late or missing."""
    from giamsat.reports.rollup import node_by_code
    from giamsat.reports.schedule import status_tree
    from giamsat.tenancy.context import TenantContext

    base, day = load_plan(plan_name), _day(today)

    async def work() -> str:
        async with system_scope():
            node = await node_by_code(committee)
        if node is None:
            raise click.ClickException(f"unknown committee {committee}")
        plan = await plan_for(node.path, base)
        ctx = TenantContext(
            committee_id=node.id,
            committee_code=node.code,
            committee_name=node.name,
            committee_level=node.level,
            path=node.path,
        )
        tree = await status_tree(ctx, plan, period or plan.current_period(day).id, day, depth=1)
        lines = [f"{tree.period}: deadline {tree.deadline} counts {tree.counts}"]
        lines += [f"  {c.code:>6} {c.status:<10} {c.name}" for c in tree.children]
        return "\n".join(lines)

    click.echo(await with_database(settings().database_url, work))
