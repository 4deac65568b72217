"""Audit the installed dependencies with pip-audit; fail on a vulnerability not allow-listed.

Run by ``make audit`` (and so ``make test``) over the virtualenv the tests run in: what
``pip install`` resolved from ``pyproject.toml``'s pins and bounds. The allow-list
``tools/pip-audit-allowlist.toml`` names each accepted advisory with a reason and the date it was
listed; an entry without them, or older than :data:`MAX_AGE_DAYS`, fails the run too.

When the vulnerability service answers for no package at all (a closed network), the audit has
checked nothing: it says so loudly, and fails under ``GIAMSAT_AUDIT_REQUIRED=1``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ALLOWLIST = Path(__file__).with_name("pip-audit-allowlist.toml")
MAX_AGE_DAYS = 180


def allowed(today: dt.date) -> tuple[set[str], list[str]]:
    """The accepted advisory ids, and the problems of the list itself."""
    entries = tomllib.loads(ALLOWLIST.read_text(encoding="utf-8")).get("allow", [])
    ids, problems = set(), []
    for entry in entries:
        name = entry.get("id", "?")
        if not entry.get("reason") or not isinstance(entry.get("date"), dt.date):
            problems.append(f"{name}: an allow-list entry needs a reason and a date")
        elif (today - entry["date"]).days > MAX_AGE_DAYS:
            problems.append(f"{name}: listed on {entry['date']}, review it again (180 days)")
        else:
            ids.add(name)
    return ids, problems


def main() -> int:
    run = subprocess.run(
        [sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off",
         "--format", "json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if not run.stdout.strip():
        print(run.stderr, file=sys.stderr)
        print("pip-audit failed to run", file=sys.stderr)
        return 2
    report = json.loads(run.stdout)
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    ids, problems = allowed(dt.date.today())
    for dep in audited:
        for vuln in dep.get("vulns", []):
            names = {vuln["id"], *vuln.get("aliases", [])}
            if not names & ids:
                fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
                problems.append(f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
    print(f"pip-audit: {len(audited)} of {len(deps)} installed packages audited, "
          f"{len(problems)} problem(s)")  # fmt: skip
    for problem in problems:
        print(f"  {problem}")
    if deps and not audited:
        print("WARNING: the vulnerability service answered for no package (closed network?): "
              "nothing was audited", file=sys.stderr)  # fmt: skip
        if os.environ.get("GIAMSAT_AUDIT_REQUIRED") == "1":
            return 1
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
