"""A reorganisation plan as text, for the dry run (``giamsat tenants reorganise --dry-run``)."""

from __future__ import annotations

from collections.abc import Callable

import click

from giamsat.tenancy.open_work import KIND_LABELS, KINDS, OpenWork, open_cases
from giamsat.tenancy.reorganisation import ProvincePlan


def _work(work: OpenWork) -> str:
    parts = [f"{getattr(work, k)} {KIND_LABELS[k].lower()}" for k in KINDS if getattr(work, k)]
    return ", ".join(parts) or "no open work"


async def print_plan(plan: ProvincePlan, echo: Callable[[str], None] = click.echo) -> None:
    """Print what ends, starts, is renamed, and what would move where."""
    head = f"{plan.province} {plan.name}: register {plan.register} from {plan.effective_on}"
    if plan.already_applied:
        echo(f"{head}: already applied; nothing would change")
        return
    echo(f"{head} (dry run: nothing changed)")
    echo(f"ends on {plan.last_day} ({len(plan.ending)}):")
    for e in plan.ending:
        to = f"{e.successor_code} {e.successor_name or ''}".strip() if e.successor_code else "-"
        more = f" (also part to {', '.join(e.other_successors)})" if e.other_successors else ""
        echo(f"  {e.code} {e.name} [{e.level}] → {to}{more}  ({e.how}); {_work(e.work)}")
    echo(f"starts on {plan.effective_on} ({len(plan.starting)}):")
    for s in plan.starting:
        echo(f"  {s.code} {s.name} [{s.level}, {s.unit_type}] under {s.parent_path}")
    if plan.renaming:
        echo(f"renamed ({len(plan.renaming)}):")
        for r in plan.renaming:
            echo(f"  {r.code} {r.old_name} → {r.name}")
    echo(f"continues unchanged: {plan.continuing}")
    by_id = {e.id: e for e in plan.ending}
    cases = await open_cases([e.id for e in plan.ending if e.work.cases])
    echo(f"would move: {_work(plan.moving())}")
    for case in cases:
        e = by_id[case.committee_id]
        clock = f"{case.status}, due {case.due_on}"
        echo(f"  case {case.number} ({clock}): {e.code} → {e.successor_code}")
    for refusal in plan.refusals:
        echo(f"REFUSED: {refusal}")
