"""Audit the installed dependencies with pip-audit; fail on a vulnerability not allow-listed.

Run by ``make audit`` (and so ``make test``) over the virtualenv the tests run in: what
``pip install`` resolved from ``pyproject.toml``'s pins and bounds. The allow-list
``tools/pip-audit-allowlist.toml`` names each accepted advisory with a reason and the date it was
listed; an entry without them, or older than :data:`MAX_AGE_DAYS`, fails the run too.

pip-audit asks PyPI for each installed release (``/pypi/<name>/<version>/json``). Where that
answers nothing (some mirrors and closed networks serve only the project documents), the package
is checked against PyPI's project document instead, whose ``vulnerabilities`` are those of the
latest release: exact when the installed release is the latest, and reported as not audited
otherwise. When nothing at all could be audited, it says so loudly, and fails under
``GIAMSAT_AUDIT_REQUIRED=1``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any

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


PROJECT_JSON = "https://pypi.org/pypi/{name}/json"


def _project_document(name: str) -> dict[str, Any] | None:
    try:
        url = PROJECT_JSON.format(name=name)  # always https://pypi.org
        with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310
            document: dict[str, Any] = json.load(answer)
    except (urllib.error.URLError, TimeoutError, ValueError):
        return None
    return document


def _from_project_document(name: str, version: str) -> dict[str, Any]:
    """``name`` audited through its project document, as pip-audit's JSON reports a dependency."""
    document = _project_document(name)
    if document is None:
        return {"name": name, "version": version, "skip_reason": "PyPI did not answer"}
    latest = str(document.get("info", {}).get("version", ""))
    if latest != version:
        reason = f"installed {version}, latest {latest}: PyPI's per-release data did not answer"
        return {"name": name, "version": version, "skip_reason": reason}
    vulns = [{"id": v.get("id", "?"), "aliases": v.get("aliases") or [],
              "fix_versions": v.get("fixed_in") or []}
             for v in document.get("vulnerabilities") or []]  # fmt: skip
    return {"name": name, "version": version, "vulns": vulns}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _fill_skipped(deps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Audit the dependencies pip-audit skipped (not the editable project itself)."""
    installed = {_canonical(d.metadata["Name"]): d.version for d in metadata.distributions()}
    skipped = [
        d["name"] for d in deps
        if "skip_reason" in d and _canonical(d["name"]) in installed
        and not _canonical(d["name"]).startswith("giamsat")
    ]  # fmt: skip
    with ThreadPoolExecutor(max_workers=8) as pool:
        filled = {
            dep["name"]: dep
            for dep in pool.map(
                lambda name: _from_project_document(name, installed[_canonical(name)]), skipped
            )
        }
    return [filled.get(d["name"], d) for d in deps]


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
    deps = _fill_skipped(report.get("dependencies", []))
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
    for dep in deps:
        if "skip_reason" in dep:
            print(f"  not audited: {dep['name']} ({dep['skip_reason']})")
    if deps and not audited:
        print("WARNING: the vulnerability service answered for no package (closed network?): "
              "nothing was audited", file=sys.stderr)  # fmt: skip
        if os.environ.get("GIAMSAT_AUDIT_REQUIRED") == "1":
            return 1
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
