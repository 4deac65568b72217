"""Signals/second of the durable_rules path and the reference evaluator, plus RSS.

Usage: python bench/rules_throughput.py [--count 20000] [--pack rules/2023-ha-noi]
The 1,000,000-case run is ``--count 1000000``. Writes bench/results/rules_throughput.json.
Both evaluators run in the same process, taking turns 10,000 cases at a time, so that their
ratio (``durable_over_reference``) holds under whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import time
from pathlib import Path

from giamsat.rulepacks import (
    CaseFacts,
    DurableEvaluator,
    ReferenceEvaluator,
    Signal,
    Subject,
    compile_pack,
    load_pack,
)

ROOT = Path(__file__).resolve().parents[1]
#: Cases each evaluator runs before the other takes its turn.
CHUNK = 10_000


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cases(pack_dir: Path, n: int, seed: int) -> list[CaseFacts]:
    pack = load_pack(pack_dir)
    rng = random.Random(seed)
    codes = [i.code for i in pack.indicators if i.verified]
    levels = [lvl.code for lvl in pack.rules.levels]
    as_of = dt.date(pack.plan.year, 7, 1)
    out = []
    for i in range(n):
        sigs = [
            Signal(
                id=f"s{i}-{j}",
                channel=rng.choice(pack.rules.channels),
                kind="report",
                indicators=rng.sample(codes, rng.randint(0, 2)),
                received_on=as_of - dt.timedelta(days=rng.randint(0, 200)),
                receiving_level=rng.choice(levels),
                flags=[],
            )
            for j in range(rng.randint(1, 3))
        ]
        out.append(
            CaseFacts(
                case_id=f"c{i}",
                as_of=as_of,
                receiving_level=rng.choice(levels),
                subject=Subject(
                    id=f"p{i}",
                    managing_level=rng.choice(["province", "district", "commune"]),
                    is_party_member=True,
                    position="cadre",
                ),
                signals=sigs,
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20_000, help="cases per evaluator")
    parser.add_argument("--pack", type=Path, default=ROOT / "rules" / "2023-ha-noi")
    args = parser.parse_args()
    compiled = compile_pack(load_pack(args.pack))
    pool = _cases(args.pack, min(args.count, 5_000), seed=7)
    result: dict[str, object] = {
        "count": args.count,
        "pack": compiled.version,
        "rss_mib_start": _rss_mib(),
    }
    evaluators = {"reference": ReferenceEvaluator(), "durable_rules": DurableEvaluator()}
    seconds = dict.fromkeys(evaluators, 0.0)
    rss_samples: dict[str, list[float]] = {name: [] for name in evaluators}
    # The two evaluators take turns, CHUNK cases each, so that both see the same load on a
    # shared machine: the ratio is then a property of the code, not of the neighbours.
    signals = 0
    for start in range(0, args.count, CHUNK):
        chunk = [pool[i % len(pool)] for i in range(start, min(start + CHUNK, args.count))]
        signals += sum(len(case.signals) for case in chunk)
        for name, evaluator in evaluators.items():
            t0 = time.perf_counter()
            for case in chunk:
                evaluator.evaluate(compiled, case)
            seconds[name] += time.perf_counter() - t0
            if (start // CHUNK) % max(1, args.count // CHUNK // 10) == 0:
                # RSS at ten points of the run: flat means per-case state is really released
                rss_samples[name].append(round(_rss_mib(), 1))
    for name in evaluators:
        result[name] = {
            "cases": args.count,
            "signals": signals,
            "seconds": round(seconds[name], 3),
            "signals_per_second": round(signals / seconds[name]),
            "cases_per_second": round(args.count / seconds[name]),
            "rss_mib_after": round(_rss_mib(), 1),
            "rss_mib_samples": rss_samples[name],
        }
    result["durable_over_reference"] = round(seconds["reference"] / seconds["durable_rules"], 3)
    result["measured_on"] = dt.date.today().isoformat()
    out = ROOT / "bench" / "results" / "rules_throughput.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
