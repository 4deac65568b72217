"""Configuration: bad values stop the start with a clear message; secrets are never printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from giamsat.errors import ConfigurationError
from giamsat.settings import load_settings

GIAMSAT = str(Path(sys.executable).with_name("giamsat"))


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("GIAMSAT_DATABASE_URL", "mysql://root:pw-123@db/x", "GIAMSAT_DATABASE_URL: scheme 'mysql'"),
    ("GIAMSAT_SMTP_PORT", "twenty-five", "GIAMSAT_SMTP_PORT"),
    ("GIAMSAT_LOG_LEVEL", "LOUD", "GIAMSAT_LOG_LEVEL"),
    ("GIAMSAT_BASE_URL", "giamsat.example.vn", "GIAMSAT_BASE_URL: a value without a scheme"),
    ("GIAMSAT_SESSION_HOURS", "0", "GIAMSAT_SESSION_HOURS"),
])  # fmt: skip
def test_bad_values_name_the_variable(variable: str, value: str, expected: str) -> None:
    # when the settings are loaded with one bad value, then the error names the variable
    with pytest.raises(ConfigurationError) as caught:
        load_settings({variable: value})
    assert expected in caught.value.message
    assert "pw-123" not in caught.value.message


def test_bad_config_file_is_reported(tmp_path: Path) -> None:
    # given a TOML file with a syntax error
    path = tmp_path / "giamsat.toml"
    path.write_text("log_level = \n")
    # then loading names the file
    with pytest.raises(ConfigurationError, match=r"giamsat\.toml"):
        load_settings({"GIAMSAT_CONFIG_FILE": str(path)})


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GIAMSAT_")}
    return subprocess.run([GIAMSAT, *args], env={**clean, **env}, capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip


def test_serve_refuses_to_start_on_bad_config() -> None:
    # when serve starts with a database URL of the wrong kind that holds a password
    done = _run("serve", "--port", "1", GIAMSAT_DATABASE_URL="mysql://root:pw-123@db/x")
    # then it stops at once with one clear line, no traceback and no password
    assert done.returncode == 1
    assert "invalid setting GIAMSAT_DATABASE_URL" in done.stderr
    assert "Traceback" not in done.stderr and "pw-123" not in done.stderr + done.stdout


def test_check_config_prints_settings_without_secrets(tmp_path: Path) -> None:
    # given secrets in the environment and in the file, and a misspelt variable
    config = tmp_path / "giamsat.toml"
    config.write_text('default_language = "en"\n[smtp]\npassword = "smtp-pw-77"\n')
    done = _run("ops", "check-config", GIAMSAT_CONFIG_FILE=str(config),
                GIAMSAT_DATABASE_URL="postgresql://app:db-pw-55@127.0.0.1/giamsat",
                GIAMSAT_SECRET_KEY="secret-key-66", GIAMSAT_IDENTITY_KEY="identity-key-88",
                GIAMSAT_LOGLEVEL="DEBUG")  # fmt: skip
    # then it validates, shows the values with every secret hidden, and flags the typo
    assert done.returncode == 0, done.stderr
    for secret in ("db-pw-55", "secret-key-66", "identity-key-88", "smtp-pw-77"):
        assert secret not in done.stdout + done.stderr
    assert '"default_language": "en"' in done.stdout
    assert "postgresql://app:***@127.0.0.1/giamsat" in done.stdout
    assert "unknown variable GIAMSAT_LOGLEVEL" in done.stderr


def test_serve_refuses_to_start_without_a_configured_secret(tmp_path: Path) -> None:
    # given an environment without GIAMSAT_SECRET_KEY (and no config file setting it)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIAMSAT_")}
    env["GIAMSAT_DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.sqlite'}"
    # when the server is started
    done = subprocess.run(
        [GIAMSAT, "serve", "--port", "1"], env=env, capture_output=True, text=True, timeout=60
    )
    # then it refuses, naming the variable, before serving anything
    assert done.returncode != 0
    assert "GIAMSAT_SECRET_KEY is not set" in done.stderr


def test_the_demo_keeps_its_secret_beside_its_database_and_reuses_it(tmp_path: Path) -> None:
    from giamsat.demo import demo_folder, demo_secrets

    # given the demo's database in a folder of its own
    folder = demo_folder(f"sqlite:///{tmp_path / 'demo' / 'giamsat.sqlite'}")
    # when the demo asks for its keys twice (two starts)
    first, second = demo_secrets(folder), demo_secrets(folder)
    # then they are written beside the database once and the same both times
    assert folder == tmp_path / "demo"
    assert (folder / "giamsat-demo.keys").is_file()
    assert first == second and first["GIAMSAT_SECRET_KEY"]
    assert load_settings(first, require_secret=True).secret_key == first["GIAMSAT_SECRET_KEY"]
