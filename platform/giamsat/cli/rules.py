"""``giamsat rules``: check and show yearly rule packs (validate, show)."""

from __future__ import annotations

import sys

import click

from giamsat.rulepacks import PackInvalid, compile_pack, load_pack, validate_pack


@click.group(name="rules")
def group() -> None:
    """Rule packs (kế hoạch giám sát hằng năm)."""


@group.command("validate")
@click.argument("path", type=click.Path(file_okay=False))
def validate(path: str) -> None:
    """Check a pack folder; print every error as file:line: rule-id: message."""
    errors = validate_pack(path)
    for error in errors:
        click.echo(error.render(), err=True)
    if errors:
        click.echo(f"{len(errors)} problem(s) in {path}", err=True)
        sys.exit(1)
    click.echo(f"{path}: OK")


@group.command("show")
@click.argument("path", type=click.Path(file_okay=False))
def show(path: str) -> None:
    """Print the plan, its rules (Vietnamese and English titles) and the compiled name."""
    try:
        pack = load_pack(path)
    except PackInvalid as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    compiled = compile_pack(pack)
    plan = pack.plan
    click.echo(f"{plan.name.vi}\n{plan.name.en}")
    click.echo(f"version {pack.version}  ruleset {compiled.ruleset_name}")
    click.echo(
        f"effective {plan.effective_from} → {plan.effective_to}; issued by {plan.issuing_committee}"
    )
    unverified = sum(1 for i in pack.indicators if not i.verified)
    click.echo(f"indicators: {len(pack.indicators)} ({unverified} unverified)")
    for kind, rules in (
        ("indicator", pack.rules.indicator_rules),
        ("routing", pack.rules.routing_rules),
    ):
        for rule in rules:
            click.echo(f"  [{kind}] {rule.id}: {rule.title_vi} / {rule.title_en}")
    for clock in pack.rules.clocks:
        click.echo(
            f"  clock {clock.id}: {clock.working_days} / {clock.complex_working_days} working days"
        )
    rep = pack.rules.reporting
    click.echo(
        f"reporting: {', '.join(rep.from_levels)} → {rep.to_level} by {rep.deadline}; "
        f"counts < {rep.suppress_below} suppressed"
    )
