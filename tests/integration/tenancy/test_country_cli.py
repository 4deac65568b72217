"""The operator's commands on a fresh database: the whole country under the Central Committee."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REGISTER

GIAMSAT = str(Path(sys.executable).with_name("giamsat"))
pytestmark = pytest.mark.slow


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [GIAMSAT, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_whole_country_import_show_and_bad_input(tmp_path: Path):
    env = {**os.environ, "GIAMSAT_DATABASE_URL": f"sqlite:///{tmp_path / 'country.sqlite'}"}
    assert _run(env, "db", "migrate").returncode == 0
    # when the whole register is imported without --province
    first = _run(env, "tenants", "import", str(REGISTER))
    again = _run(env, "tenants", "import", str(REGISTER))
    # then the Central Committee, 63 provinces, 705 districts and 10,598 communes exist, once
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "11367 committees: 11367 created, 0 updated, 0 unchanged"
    assert again.stdout.strip() == "11367 committees: 0 created, 0 updated, 11367 unchanged"
    central = _run(env, "tenants", "show", "TW").stdout
    assert "level: central" in central and "children: 63" in central
    hanoi = _run(env, "tenants", "show", "01").stdout
    assert "name: Ủy ban MTTQ Việt Nam Thành phố Hà Nội" in hanoi
    assert "parent: TW" in hanoi and "children: 30" in hanoi
    # and bad input exits non-zero with a message naming the problem, changing nothing
    unknown = _run(env, "tenants", "show", "99999")
    assert unknown.returncode != 0 and "unknown committee code '99999'" in unknown.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text(
        REGISTER.read_text(encoding="utf-8").splitlines()[0] + "\n"
        "01,Thành phố Hà Nội,thành phố trung ương,001,Quận Ba Đình,quận,1,X,phường\n",
        encoding="utf-8",
    )
    refused = _run(env, "tenants", "import", str(bad))
    assert refused.returncode != 0 and "bad.csv:line 2: commune code" in refused.stderr
    assert _run(env, "tenants", "import", str(REGISTER)).stdout.strip().endswith("11367 unchanged")
    # and a user of one committee is created from the CLI with a generated password
    made = subprocess.run(
        [
            GIAMSAT,
            "users",
            "create",
            "--committee",
            "00001",
            "--role",
            "admin",
            "--username",
            "quantri",
        ],
        env=env,
        capture_output=True,
        text=True,
        input="",
        timeout=60,
        check=False,
    )
    assert made.returncode == 0 and "password: " in made.stdout
    dup = subprocess.run(
        [
            GIAMSAT,
            "users",
            "create",
            "--committee",
            "00001",
            "--role",
            "admin",
            "--username",
            "quantri",
        ],
        env=env,
        capture_output=True,
        text=True,
        input="",
        timeout=60,
        check=False,
    )
    assert dup.returncode != 0 and "quantri đã được dùng tại" in dup.stderr


def test_commands_on_a_database_without_schema_say_what_to_do(tmp_path: Path):
    env = {**os.environ, "GIAMSAT_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite'}"}
    result = _run(env, "tenants", "show", "01")
    assert result.returncode == 1
    assert "run `giamsat db migrate` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_todays_two_level_register_imports_with_its_counts(tmp_path: Path):
    # given a fresh database
    env = {**os.environ, "GIAMSAT_DATABASE_URL": f"sqlite:///{tmp_path / 'today.sqlite'}"}
    assert _run(env, "db", "migrate").returncode == 0
    register = REGISTER.with_name("vn-admin-units-2025-07.csv")
    # when the register of 1 July 2025 is imported for the whole country
    first = _run(env, "tenants", "import", str(register))
    # then the Central Committee, 34 provinces and 3,321 communes exist; Hà Nội has 126
    assert first.stdout.strip() == "3356 committees: 3356 created, 0 updated, 0 unchanged"
    hanoi = _run(env, "tenants", "show", "01").stdout
    assert "children: 126" in hanoi and "parent: TW" in hanoi
    ba_dinh = _run(env, "tenants", "show", "00004").stdout
    assert "Phường Ba Đình" in ba_dinh and "parent: 01 Thành phố Hà Nội" in ba_dinh
