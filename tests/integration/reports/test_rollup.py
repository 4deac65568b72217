"""Roll-up on the Hà Nội tree: district = own + communes' submitted, city = sum of districts."""

from __future__ import annotations

from tests.integration.reports.conftest import IsolatedPlan, context_of

from giamsat.db.scope import system_scope, tenant_scope
from giamsat.reports.figures import add_into, own_figures
from giamsat.reports.rollup import subtree, subtree_totals, window_for
from giamsat.reports.sampledata import generate_activity
from giamsat.reports.schemas import SubmitRequest
from giamsat.reports.submissions import draft_report, submit
from giamsat.signals.writer import NewSignal, rewrite_signal, write_signal

NARRATIVE = {
    "strengths": "Triển khai đúng kế hoạch.",
    "shortcomings": "Còn chậm.",
    "proposals": "Tăng cường tập huấn.",
}


def signal_total(figures: dict[str, int | str]) -> int:
    return sum(int(v) for k, v in figures.items() if k.startswith("signals.channel."))


async def test_district_is_own_work_plus_submitted_communes_and_city_sums_districts(
    db, isolated: IsolatedPlan
) -> None:
    # given activity in Ba Đình (001), three of its communes and Hoàn Kiếm (002) with one commune
    plan, period = isolated.plan, isolated.period
    sizes = {"001": 7, "00001": 11, "00004": 5, "00006": 9, "002": 4, "00037": 6}
    async with system_scope():
        for code, n in sizes.items():
            await generate_activity(
                code, signals=n, cases=2, cadres=2, seed=1, start=isolated.start, days=200
            )
    # when Phúc Xá submits on time, Trúc Bạch late, Vĩnh Phúc never; then the districts submit
    await submit(
        await context_of("00001"),
        plan,
        period.id,
        SubmitRequest(narrative=NARRATIVE),
        isolated.before_deadline,
    )
    await submit(
        await context_of("00004"),
        plan,
        period.id,
        SubmitRequest(narrative=NARRATIVE),
        isolated.after_deadline,
    )
    await submit(
        await context_of("00037"),
        plan,
        period.id,
        SubmitRequest(narrative=NARRATIVE),
        isolated.before_deadline,
    )
    district = await draft_report(await context_of("001"), plan, period.id, isolated.after_deadline)
    await submit(
        await context_of("001"),
        plan,
        period.id,
        SubmitRequest(narrative=NARRATIVE),
        isolated.after_deadline,
    )
    await submit(
        await context_of("002"),
        plan,
        period.id,
        SubmitRequest(narrative=NARRATIVE),
        isolated.after_deadline,
    )
    hoan_kiem = await draft_report(
        await context_of("002"), plan, period.id, isolated.after_deadline
    )
    city = await draft_report(await context_of("01"), plan, period.id, isolated.after_deadline)

    # then Ba Đình = its own 7 + Phúc Xá 11 + Trúc Bạch 5 (late), without Vĩnh Phúc (missing)
    assert signal_total(district.figures) == sizes["001"] + sizes["00001"] + sizes["00004"]
    assert signal_total(district.own_figures) == sizes["001"]
    statuses = {c.code: c.status for c in district.children}
    assert statuses["00001"] == "submitted" and statuses["00004"] == "late"
    assert statuses["00006"] == "missing"
    # and key by key, the district's figures are own + the submitted communes' figures
    communes = [c for c in district.children if c.status in ("submitted", "late")]
    expected = add_into({k: int(v) for k, v in district.own_figures.items()}, {})
    for line in communes:
        own_commune = await draft_report(
            await context_of(line.code), plan, period.id, isolated.after_deadline
        )
        add_into(expected, {k: int(v) for k, v in own_commune.figures.items()})
    assert district.figures == expected
    # and the city (no own work this period) equals the sum of the two submitted districts
    summed = add_into(
        {k: int(v) for k, v in district.figures.items()},
        {k: int(v) for k, v in hoan_kiem.figures.items()},
    )
    assert city.figures == summed
    assert signal_total(city.figures) == sum(n for c, n in sizes.items() if c != "00006")
    city_status = {c.code: c.status for c in city.children}
    assert city_status["001"] == "late" and city_status["003"] == "missing"


async def test_parent_sees_children_suppressed_and_another_district_sees_nothing(
    db, isolated: IsolatedPlan
) -> None:
    # given a commune of Ba Đình with exactly one workplace signal, submitted
    plan, period = isolated.plan, isolated.period
    async with system_scope():
        await generate_activity(
            "00007", signals=1, cases=0, cadres=0, seed=2, start=isolated.start, days=30
        )
    commune = await context_of("00007")
    await submit(
        commune, plan, period.id, SubmitRequest(narrative=NARRATIVE), isolated.before_deadline
    )
    # when the district looks at its children and the commune exports its own report
    district = await draft_report(
        await context_of("001"), plan, period.id, isolated.before_deadline
    )
    exported = await draft_report(commune, plan, period.id, isolated.before_deadline, leaving=True)
    inside = await draft_report(commune, plan, period.id, isolated.before_deadline)
    # then the single signal is shown as "<3" to the parent and in the export, exact inside
    line = next(c for c in district.children if c.code == "00007")
    shown = [v for k, v in line.figures.items() if k.startswith("signals.channel.")]
    assert shown == [f"<{plan.suppression_threshold}"]
    assert [v for k, v in exported.figures.items() if k.startswith("signals.channel.")] == shown
    assert signal_total(inside.figures) == 1
    # and Hoàn Kiếm sees neither the commune's figures nor its report
    other = await draft_report(await context_of("002"), plan, period.id, isolated.before_deadline)
    assert "00007" not in {c.code for c in other.children}
    assert signal_total(other.own_figures) == 0


async def test_subtree_totals_are_the_own_figures_summed_over_the_subtree(
    db, isolated: IsolatedPlan
) -> None:
    # given own work in Ba Đình (001), two of its communes, and in Hoàn Kiếm (002) and its commune
    plan, period = isolated.plan, isolated.period
    codes = ("001", "00001", "00004", "002", "00037")
    async with system_scope():
        for seed, code in enumerate(codes):
            await generate_activity(
                code, signals=6 + seed, cases=2, cadres=1, seed=seed, start=isolated.start, days=90
            )
    window = window_for(period, "/01/", isolated.after_deadline)
    # when the city's own figures per committee are read once and summed up its tree
    async with system_scope():
        nodes = await subtree("/01/", on=period.ends_on)
        own = await own_figures(window, plan.families)
    totals = subtree_totals(nodes, own)
    by_code = {n.code: n for n in nodes}
    # then Ba Đình's total is its own figures plus its communes', key by key
    ba_dinh = by_code["001"]
    expected: dict[str, int] = {}
    for node in nodes:
        if node.path.startswith(ba_dinh.path):
            add_into(expected, own.get(node.path, {}))
    assert totals[ba_dinh.id] == expected
    assert signal_total(expected) == sum(
        signal_total(own[by_code[c].path]) for c in ("001", "00001", "00004")
    )
    # and the city's total is every committee's own figures summed
    city: dict[str, int] = {}
    for figures in own.values():
        add_into(city, figures)
    assert totals[by_code["01"].id] == city
    # and Hoàn Kiếm's total holds only its own subtree, none of Ba Đình's work
    hoan_kiem = by_code["002"]
    assert signal_total(totals[hoan_kiem.id]) == sum(
        signal_total(own[by_code[c].path]) for c in ("002", "00037")
    )
    # and in Hoàn Kiếm's own scope its figures are its subtree's, none of Ba Đình's
    async with tenant_scope(hoan_kiem.path):
        mine = await own_figures(
            window_for(period, hoan_kiem.path, isolated.after_deadline), plan.families
        )
        # (on PostgreSQL row-level security also hides Ba Đình when the whole city is asked)
        asked_city = await own_figures(window, plan.families) if db.backend == "postgres" else mine
    assert signal_total(subtree_totals(nodes, mine)[hoan_kiem.id]) == signal_total(
        totals[hoan_kiem.id]
    )
    for seen in (mine, asked_city):
        assert all(path.startswith(hoan_kiem.path) for path in seen)


async def test_one_statement_gives_the_figures_one_query_per_source_gave(
    db, isolated: IsolatedPlan
) -> None:
    # given activity in Ba Đình (001), two of its communes, Hoàn Kiếm (002) and its commune:
    # signals naming one or two indicators, residence assessments, cases and findings
    plan, period = isolated.plan, isolated.period
    async with system_scope():
        for seed, code in enumerate(("001", "00001", "00004", "002", "00037")):
            await generate_activity(
                code, signals=8 + seed, cases=3, cadres=1, seed=seed, start=isolated.start, days=90
            )
    # and in Phúc Xá a signal reclassified: its indicators rewritten after it was stored
    phuc_xa = await context_of("00001")
    async with tenant_scope(phuc_xa.path):
        signal_id = await write_signal(
            NewSignal(
                committee=phuc_xa.committee_id,
                tenant_path=phuc_xa.path,
                channel="workplace",
                kind="report",
                received_on=isolated.start,
                indicator_codes=["DD1", "X1"],
            )
        )
        await rewrite_signal(signal_id, indicator_codes=["NCT7", "X2"])
    window = window_for(period, "/01/", isolated.after_deadline)
    # when the city's own figures are read in one statement and with one query per source
    async with system_scope():
        together = await own_figures(window, plan.families)
        apart = await own_figures(window, plan.families, one_statement=False)
    # then every committee's figures are the same, key by key, every family included
    assert together == apart
    families = {key.split(".", 1)[0] for figures in together.values() for key in figures}
    assert {"signals", "cases", "findings"} <= families
    # and the reclassified signal counts under its new indicators only
    mine = together[phuc_xa.path]
    assert mine["signals.indicator.X2"] == 1 and "signals.indicator.X1" not in mine
    # and in Hoàn Kiếm's scope both ways give its own subtree's figures alone, none of Ba Đình's
    hoan_kiem = await context_of("002")
    async with tenant_scope(hoan_kiem.path):
        own_window = window_for(period, hoan_kiem.path, isolated.after_deadline)
        seen = [
            await own_figures(own_window, plan.families),
            await own_figures(own_window, plan.families, one_statement=False),
        ]
        if db.backend == "postgres":  # row-level security hides Ba Đình when the city is asked
            seen.append(await own_figures(window, plan.families))
    expected = {p: f for p, f in together.items() if p.startswith(hoan_kiem.path)}
    assert expected and all(figures == expected for figures in seen)
