"""What the standing board reads before approving a plan: how it differs from the plan it was
copied from (rules added, removed and changed; deadlines, clocks, catalogue) in words."""

from __future__ import annotations

import msgspec

from giamsat.plans.files import materialised
from giamsat.plans.service import published_version
from giamsat.rulepacks.conditions import parse_condition
from giamsat.rulepacks.loader import Loaded, read_pack
from giamsat.rulepacks.model import Rule
from giamsat.rulepacks.tables import meaning


class Change(msgspec.Struct, frozen=True, kw_only=True):
    """One difference: ``part`` (plan, rules, routing, clocks, catalogue, reporting), what it
    is about, and how it reads before and after (empty when added or removed)."""

    part: str
    subject: str
    kind: str  # added, removed, changed
    before: str = ""
    after: str = ""


def _rule_changes(part: str, old: Loaded, new: Loaded, section: str) -> list[Change]:
    olds: dict[str, Rule] = {r.id: r for r in getattr(old.pack.rules, section)}
    news: dict[str, Rule] = {r.id: r for r in getattr(new.pack.rules, section)}
    changes: list[Change] = []
    for rule_id, rule in news.items():
        if rule_id not in olds:
            changes.append(Change(part=part, subject=rule.title_vi, kind="added"))
            continue
        before = olds[rule_id]
        same_when = meaning(parse_condition(before.when, old.fields)) == meaning(
            parse_condition(rule.when, new.fields)
        )
        if before.title_vi != rule.title_vi:
            changes.append(
                Change(
                    part=part,
                    subject=rule.title_vi,
                    kind="changed",
                    before=before.title_vi,
                    after=rule.title_vi,
                )
            )
        if not same_when:
            changes.append(
                Change(
                    part=part,
                    subject=rule.title_vi,
                    kind="changed",
                    before="điều kiện cũ",
                    after="điều kiện mới",
                )
            )
        if before.then != rule.then:
            changes.append(
                Change(
                    part=part,
                    subject=rule.title_vi,
                    kind="changed",
                    before="kết quả cũ",
                    after="kết quả mới",
                )
            )
    for rule_id, rule in olds.items():
        if rule_id not in news:
            changes.append(Change(part=part, subject=rule.title_vi, kind="removed"))
    return changes


def pack_changes(old: Loaded, new: Loaded) -> list[Change]:
    """Every difference between two packs that a reader of the plan would notice."""
    changes: list[Change] = []
    op, np_ = old.pack.plan, new.pack.plan
    for label, a, b in (
        ("Tên kế hoạch", op.name.vi, np_.name.vi),
        ("Năm", str(op.year), str(np_.year)),
        ("Hiệu lực từ ngày", f"{op.effective_from:%d/%m/%Y}", f"{np_.effective_from:%d/%m/%Y}"),
        ("Hiệu lực đến ngày", f"{op.effective_to:%d/%m/%Y}", f"{np_.effective_to:%d/%m/%Y}"),
    ):
        if a != b:
            changes.append(Change(part="plan", subject=label, kind="changed", before=a, after=b))
    orep, nrep = old.pack.rules.reporting, new.pack.rules.reporting
    if orep.deadline != nrep.deadline:
        changes.append(
            Change(
                part="reporting",
                subject="Hạn gửi báo cáo",
                kind="changed",
                before=f"{orep.deadline:%d/%m/%Y}",
                after=f"{nrep.deadline:%d/%m/%Y}",
            )
        )
    if orep.suppress_below != nrep.suppress_below:
        changes.append(
            Change(
                part="reporting",
                subject="Ẩn số liệu nhỏ hơn",
                kind="changed",
                before=str(orep.suppress_below),
                after=str(nrep.suppress_below),
            )
        )
    oclocks = {c.id: c for c in old.pack.rules.clocks}
    for clock in new.pack.rules.clocks:
        was = oclocks.get(clock.id)
        if was is None:
            changes.append(Change(part="clocks", subject=clock.title_vi, kind="added"))
        elif was != clock:
            changes.append(
                Change(
                    part="clocks",
                    subject=clock.title_vi,
                    kind="changed",
                    before=f"{was.working_days} / {was.complex_working_days} ngày làm việc",
                    after=f"{clock.working_days} / {clock.complex_working_days} ngày làm việc",
                )
            )
    ocodes = {i.code: i for i in old.pack.indicators}
    ncodes = {i.code: i for i in new.pack.indicators}
    for code in ncodes.keys() - ocodes.keys():
        changes.append(Change(part="catalogue", subject=code, kind="added"))
    for code in ocodes.keys() - ncodes.keys():
        changes.append(Change(part="catalogue", subject=code, kind="removed"))
    for code in ncodes.keys() & ocodes.keys():
        if ncodes[code] != ocodes[code]:
            changes.append(Change(part="catalogue", subject=code, kind="changed"))
    changes += _rule_changes("rules", old, new, "indicator_rules")
    changes += _rule_changes("routing", old, new, "routing_rules")
    return changes


async def changes_since_base(base_version: str, files: dict[str, str]) -> list[Change]:
    """The draft's differences from the published version it was copied from."""
    base = await published_version(base_version)
    with materialised(base.files, "base") as root:
        old = read_pack(root)
    with materialised(files, "draft") as root:
        new = read_pack(root)
    return pack_changes(old, new)
