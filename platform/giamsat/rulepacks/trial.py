"""Trial compile in a child process: register the ruleset in a fresh durable_rules host
and run the example cases through the real engine.

A child process is used because a bad ruleset can make the C engine fail, hang or leak a
ruleset that can never be unloaded; none of that may reach the serving process.
Protocol: JSON on stdin ``{"name", "ruleset", "cases": [{"id", "sid", "rows"}]}``;
JSON on stdout ``{"errors": [{"rule", "message"}], "fired": {case id: [rule keys]}}``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

TRIAL_TIMEOUT_SECONDS = 60.0


def _register_all(host: Any, name: str, ruleset: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        host.register(name, ruleset)
        return []
    except Exception as exc:  # the engine raises bare errors with a numeric code
        whole = str(exc)
    errors: list[dict[str, Any]] = []
    for index, (key, rule) in enumerate(ruleset.items()):
        try:
            host.register(f"{name}__probe{index}", {key: rule})
        except Exception as exc:
            errors.append({"rule": key, "message": f"engine rejected the rule: {exc}"})
    return errors or [{"rule": None, "message": f"engine rejected the ruleset: {whole}"}]


def _child() -> None:
    from giamsat.rulepacks.durable_eval import Engine

    request = json.load(sys.stdin)
    host = Engine()
    errors = _register_all(host, request["name"], request["ruleset"])
    fired: dict[str, list[str]] = {}
    if not errors:
        for case in request["cases"]:
            try:
                fired[case["id"]] = sorted(host.fired(request["name"], case["rows"], case["sid"]))
            except Exception as exc:
                errors.append(
                    {"rule": None, "message": f"example {case['id']}: engine error {exc}"}
                )
    json.dump({"errors": errors, "fired": fired}, sys.stdout)


def run_trial(name: str, ruleset: dict[str, Any], cases: list[dict[str, Any]]) -> dict[str, Any]:
    """Run the child; a crash or timeout becomes an error entry, never an exception."""
    payload = json.dumps({"name": name, "ruleset": ruleset, "cases": cases}, ensure_ascii=False)
    try:
        done = subprocess.run(  # the child is this very module, with a fixed argv
            [sys.executable, "-m", "giamsat.rulepacks.trial"],
            input=payload,
            capture_output=True,
            text=True,
            timeout=TRIAL_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {
            "errors": [{"rule": None, "message": "engine trial compile timed out"}],
            "fired": {},
        }
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {
            "errors": [
                {
                    "rule": None,
                    "message": f"engine trial compile crashed (exit {done.returncode}): {tail}",
                }
            ],
            "fired": {},
        }
    result: dict[str, Any] = json.loads(done.stdout)
    return result


if __name__ == "__main__":
    _child()
