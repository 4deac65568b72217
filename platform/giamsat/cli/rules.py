"""``giamsat rules``: check, show, simulate, publish yearly rule packs and list their history."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from giamsat.cli._common import async_command, settings, with_database
from giamsat.rulepacks import PackInvalid, compile_pack, load_pack, pack_warnings, validate_pack


@click.group(name="rules")
def group() -> None:
    """Rule packs (kế hoạch giám sát hằng năm)."""


@group.command("validate")
@click.argument("path", type=click.Path(file_okay=False))
@click.option(
    "--language",
    type=click.Choice(["vi", "en"]),
    default="vi",
    show_default=True,
    help="language of the messages",
)
def validate(path: str, language: str) -> None:
    """Check a pack folder; print every problem as file:line: rule-id: message."""
    errors = validate_pack(path)
    for error in errors:
        click.echo(error.render(language), err=True)
    if errors:
        summary = ("{n} lỗi trong {path}", "{n} problem(s) in {path}")[language == "en"]
        click.echo(summary.format(n=len(errors), path=path), err=True)
        sys.exit(1)
    for warning in pack_warnings(path):
        label = ("cảnh báo", "warning")[language == "en"]
        click.echo(f"{label}: {warning.render(language)}", err=True)
    click.echo(f"{path}: " + ("hợp lệ", "OK")[language == "en"])


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


@group.command("publish")
@click.argument("path", type=click.Path(file_okay=False))
@click.option("--committee", "committee", required=True, help="Issuing committee code, e.g. 01")
@click.option("--effective", "effective", required=True, type=click.DateTime(["%Y-%m-%d"]))
@async_command
async def publish_cmd(path: str, committee: str, effective: dt.datetime) -> None:
    """Validate and publish a pack; on any problem print every error and store nothing."""
    from giamsat.plans.service import PackRejected, publish

    async def work() -> str:
        try:
            view = await publish(path, committee, effective.date())
        except PackRejected as exc:
            for error in exc.errors:
                click.echo(error.render(), err=True)
            click.echo(f"{len(exc.errors)} problem(s): nothing published", err=True)
            sys.exit(1)
        lines = [f"published {view.version} for {view.committee_code} from "
                 f"{view.effective_from} to {view.effective_to}"]  # fmt: skip
        if view.additions_left_behind:
            lines.append(
                f"{len(view.additions_left_behind)} addition(s) of lower committees "
                "no longer apply (republish with `giamsat rules add --carry-over`):"
            )
        lines += [f"  {a.committee_code}: {a.addition_id} (to {a.base_version})"
                  for a in view.additions_left_behind]  # fmt: skip
        return "\n".join(lines)

    click.echo(await with_database(settings().database_url, work))


def _is_file(path: str) -> bool:
    """A candidate addition is one .yaml file; a candidate pack is a folder."""
    return Path(path).is_file()


@group.command("simulate")
@click.argument("path", type=click.Path(exists=True))
@click.option("--committee", "committee", default="01", show_default=True)
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]))
@async_command
async def simulate_cmd(path: str, committee: str, start: dt.datetime, end: dt.datetime) -> None:
    """Run a candidate pack (a folder) or a committee's candidate addition (a .yaml file) over
    the subtree's signals and list what would change; nothing is stored."""
    from giamsat.plans.additions import AdditionRejected, read_source
    from giamsat.plans.files import read_folder
    from giamsat.plans.service import PackRejected
    from giamsat.plans.simulation import simulate, simulate_addition

    is_addition = _is_file(path)

    async def work() -> None:
        try:
            if is_addition:
                text, label = read_source(path)
                report = await simulate_addition(text, committee, start.date(), end.date(), label)
            else:
                report = await simulate(read_folder(path), committee, start.date(), end.date())
        except (PackRejected, AdditionRejected) as exc:
            for error in exc.errors:
                click.echo(error.render(), err=True)
            sys.exit(1)
        click.echo(f"candidate {report.candidate_version} vs {report.active_version or 'none'}: "
                   f"{report.signals} signal(s); cases opened +{report.cases_opened}, "
                   f"no longer opened {report.cases_not_opened}, priority changes "
                   f"{report.priority_changes}, routed elsewhere {report.routed_elsewhere}, "
                   f"clock changes {report.clock_changes}")  # fmt: skip
        for change in report.changes:
            parts = "; ".join(f"{k}: {v[0]} → {v[1]}" for k, v in change.changes.items())
            click.echo(f"  signal {change.signal_id} ({change.received_on}): {parts}")

    await with_database(settings().database_url, work)


@group.command("history")
@click.option("--committee", "committee", default="01", show_default=True)
@async_command
async def history_cmd(committee: str) -> None:
    """List the packs published for a committee and its ancestors, newest first."""
    from giamsat.plans.service import history

    async def work() -> None:
        for view in await history(committee):
            click.echo(f"{view.effective_from}  {view.version}  by {view.committee_code}  "
                       f"published {view.published_at:%Y-%m-%d %H:%M}")  # fmt: skip

    await with_database(settings().database_url, work)


@group.command("evaluate-pending")
@click.option("--limit", default=10_000, show_default=True)
@async_command
async def evaluate_pending_cmd(limit: int) -> None:
    """Decide signals still waiting (status received) with the pack in force for each."""
    from giamsat.decisions.service import decide_pending

    async def work() -> int:
        return await decide_pending(limit)

    click.echo(f"{await with_database(settings().database_url, work)} signal(s) evaluated")


@group.command("add")
@click.argument("path", type=click.Path(exists=True), required=False)
@click.option("--committee", "committee", required=True, help="Adding committee code, e.g. 001")
@click.option("--effective", "effective", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--check", is_flag=True, help="Validate against the pack in force; store nothing")
@click.option("--carry-over", "carry", is_flag=True,
              help="Republish the committee's additions to the previous version against the "
                   "version in force (no PATH); report those that no longer pass")  # fmt: skip
@async_command
async def add_cmd(
    path: str | None, committee: str, effective: dt.datetime, check: bool, carry: bool
) -> None:
    """Publish a lower committee's addition (extra indicator rules for its subtree) against
    the pack in force for it; anything that would weaken that pack is refused, nothing stored."""
    from giamsat.plans.additions import (
        AdditionRejected,
        check_addition,
        publish_addition,
        read_source,
    )

    if carry == (path is not None):
        raise click.UsageError("give either PATH or --carry-over")

    async def work() -> str:
        if path is None:
            return await _carry_over(committee, effective.date())
        if check:
            text, label = read_source(path)
            base, _, report = await check_addition(text, committee, effective.date(), label)
            for line in report.rendered:
                click.echo(line, err=True)
            if not report.ok:
                sys.exit(1)
            return f"{path}: OK against {base.version}"
        try:
            view = await publish_addition(path, committee, effective.date())
        except AdditionRejected as exc:
            for error in exc.errors:
                click.echo(error.render(), err=True)
            click.echo(f"{len(exc.errors)} problem(s): nothing published", err=True)
            sys.exit(1)
        return (f"published addition {view.addition_id} of {view.committee_code} to "
                f"{view.base_version} from {view.effective_from}")  # fmt: skip

    click.echo(await with_database(settings().database_url, work))


async def _carry_over(committee: str, effective: dt.date) -> str:
    from giamsat.plans.carry_over import carry_over

    report = await carry_over(committee, effective)
    lines = [f"carry-over of {report.committee_code}'s additions from "
             f"{report.previous_version or 'no previous version'} to {report.base_version}: "
             f"{len(report.carried)} republished, {len(report.failed)} failed, "
             f"{len(report.already_carried)} already carried"]  # fmt: skip
    lines += [f"  republished {v.addition_id} from {v.effective_from}" for v in report.carried]
    for failure in report.failed:
        lines.append(f"  FAILED {failure.addition_id}:")
        lines += [f"    {message}" for message in failure.errors]
    if report.failed:
        click.echo("\n".join(lines), err=True)
        sys.exit(1)
    return "\n".join(lines)


@group.command("export-workbook")
@click.argument("path", type=click.Path(file_okay=False, exists=True))
@click.argument("workbook", type=click.Path(dir_okay=False))
def export_workbook_command(path: str, workbook: str) -> None:
    """Write a pack as an Excel workbook (one sheet per table) to edit in Excel or LibreOffice."""
    from giamsat.rulepacks.loader import read_pack
    from giamsat.rulepacks.workbook import export_workbook

    try:
        loaded = read_pack(path)
    except PackInvalid as exc:
        for error in exc.errors:
            click.echo(error.render("vi"), err=True)
        sys.exit(1)
    Path(workbook).write_bytes(export_workbook(loaded.pack, loaded.fields))
    click.echo(f"{workbook}: {len(loaded.pack.rules.indicator_rules)} quy tắc biểu hiện, "
               f"{len(loaded.pack.rules.routing_rules)} quy tắc phân cấp")  # fmt: skip


@group.command("import-workbook")
@click.argument("workbook", type=click.Path(dir_okay=False, exists=True))
@click.argument("path", type=click.Path(file_okay=False))
@click.option(
    "--language", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
    help="language of the messages",
)  # fmt: skip
def import_workbook_command(workbook: str, path: str, language: str) -> None:
    """Read an edited workbook into a pack folder; refused whole, naming sheet, row and column."""
    from giamsat.rulepacks.workbook import WorkbookInvalid
    from giamsat.rulepacks.workbook_import import read_plan_workbook

    target = Path(path)
    if target.exists() and any(target.iterdir()):
        raise click.ClickException(f"{path} is not empty: choose a new folder")
    try:
        imported = read_plan_workbook(Path(workbook).read_bytes())
    except WorkbookInvalid as exc:
        for error in exc.errors:
            click.echo(error.render(language), err=True)
        click.echo(f"{len(exc.errors)} lỗi: không có gì được ghi ra", err=True)
        sys.exit(1)
    target.mkdir(parents=True, exist_ok=True)
    for name, text in imported.files.items():
        (target / name).write_text(text, encoding="utf-8")
    click.echo(f"{path}: " + ("hợp lệ", "OK")[language == "en"])
