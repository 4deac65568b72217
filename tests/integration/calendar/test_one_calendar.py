"""The CLI, the API and the case pages read one calendar: shipped data + stored overrides."""

from __future__ import annotations

import asyncio
import os
import sys


async def _calendar_due(db_url: str, *args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from giamsat.cli.main import main; main()",
        "calendar",
        "due",
        *args,
        env={**os.environ, "GIAMSAT_DATABASE_URL": db_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    return proc.returncode or 0, out.decode(), err.decode()


async def test_cli_due_reads_the_overrides_an_admin_stored(db, factory):
    # given the CLI's answer for three working days from Monday 2/3/2031 (a provisional year)
    code, before, _ = await _calendar_due(db.url, "2031-03-02", "3")
    assert code == 0 and before.splitlines()[0] == "2031-03-05"
    assert "2031" in before.splitlines()[-1] and "provisional" in before.splitlines()[-1]
    # when an admin stores Wednesday 5/3/2031 as a day off through the API
    admin, _ = await factory.api_client("01", "admin")
    day = {"date": "2031-03-05", "kind": "holiday", "reason": "Ngày nghỉ thử nghiệm (test)"}
    created = await admin.post("/api/v1/calendar/overrides", json=day)
    assert created.status_code == 201, created.text
    try:
        # then the CLI counts it too: the due date moves one working day, naming the reason
        code, after, err = await _calendar_due(db.url, "2031-03-02", "3")
        assert code == 0, err
        lines = after.splitlines()
        assert lines[0] == "2031-03-06"
        assert any(line.startswith("2031-03-05") and "thử nghiệm" in line for line in lines)
    finally:
        removed = await admin.delete(f"/api/v1/calendar/overrides/{created.json()['id']}")
        assert removed.status_code == 200
