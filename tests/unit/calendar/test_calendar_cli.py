"""``giamsat calendar`` through click's CliRunner, as an operator would type it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from giamsat.calendar import WorkingCalendar
from giamsat.cli.main import main


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner on a machine without a database yet: the shipped calendar answers."""
    monkeypatch.setenv("GIAMSAT_DATABASE_URL", f"sqlite:///{tmp_path / 'absent.sqlite'}")
    return CliRunner()


def test_due_prints_the_date_then_each_skipped_day(runner: CliRunner) -> None:
    # when the operator asks for 20 working days from 2025-01-20
    result = runner.invoke(main, ["calendar", "due", "2025-01-20", "20"])
    # then the due date stands alone on the first line, then one line per skipped day
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "2025-02-24"
    expected = WorkingCalendar().add_working_days(dt.date(2025, 1, 20), 20).skipped
    assert len(lines) == 1 + len(expected)
    for line, skipped in zip(lines[1:], expected, strict=True):
        assert line.startswith(skipped.date.isoformat())
        assert skipped.reason in line
    assert any("Tết Nguyên Đán" in line for line in lines[1:])


def test_due_takes_admin_overrides_from_a_file(runner: CliRunner, tmp_path: Path) -> None:
    # given an overrides file declaring Saturday 8/2/2025 a working day
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(
        "- date: 2025-02-08\n  kind: working_day\n  reason: Làm bù\n", encoding="utf-8"
    )
    # when the due date is asked with it
    result = runner.invoke(
        main, ["calendar", "due", "2025-01-20", "20", "--overrides", str(overrides)]
    )
    # then the worked Saturday brings it one working day earlier
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "2025-02-21"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2025-02-30", "20"], "not a date"),
        (["yesterday", "20"], "not a date"),
        (["2025-01-20", "0"], "phải ít nhất là 1"),
        (["--", "2025-01-20", "-3"], "phải ít nhất là 1"),
        (["2025-01-20", "twenty"], "not a valid integer"),
    ],
)
def test_due_rejects_bad_input_on_stderr(runner: CliRunner, args: list[str], message: str) -> None:
    # when the operator gives a bad date or a bad number of days
    result = runner.invoke(main, ["calendar", "due", *args])
    # then the command fails with the reason on stderr and nothing on stdout
    assert result.exit_code != 0
    assert message in result.stderr
    assert result.stdout == ""


def test_due_rejects_an_unreadable_overrides_file(runner: CliRunner, tmp_path: Path) -> None:
    # given an overrides file with an unknown kind
    overrides = tmp_path / "bad.yaml"
    overrides.write_text("- date: 2025-02-08\n  kind: closed\n  reason: x\n", encoding="utf-8")
    # when it is used, then the command fails and says which file
    result = runner.invoke(
        main, ["calendar", "due", "2025-01-20", "20", "--overrides", str(overrides)]
    )
    assert result.exit_code != 0
    assert "bad.yaml" in result.stderr


def test_show_lists_weekdays_off_and_worked_saturdays(runner: CliRunner) -> None:
    # when the operator lists 2024
    result = runner.invoke(main, ["calendar", "show", "2024"])
    # then each exception to Mon–Fri is listed once, the swapped pair included
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    expected = WorkingCalendar().year_days(2024)
    assert [line[:10] for line in lines] == [d.date.isoformat() for d in expected]
    by_date = {line[:10]: line for line in lines}
    assert "working" in by_date["2024-05-04"]
    assert "day off" in by_date["2024-04-29"]


@pytest.mark.parametrize("received", ["2026-12-20", "2019-06-03", "2031-03-02"])
def test_due_in_an_unchecked_year_answers_and_says_it_is_provisional(
    runner: CliRunner, received: str
) -> None:
    # when the operator asks for a clock that counts in a year nobody has checked
    result = runner.invoke(main, ["calendar", "due", received, "30"])
    # then the due date comes first, and the last line says which year is provisional
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    due = dt.date.fromisoformat(lines[0])
    expected = WorkingCalendar().add_working_days(dt.date.fromisoformat(received), 30)
    assert due == expected.due
    assert "chưa được xác nhận" in lines[-1] and "provisional" in lines[-1]
    assert str(expected.provisional_years[-1]) in lines[-1]
    # and the missing database is mentioned on stderr only
    assert "shipped calendar only" in result.stderr


def test_show_lists_an_unchecked_year_as_provisional(runner: CliRunner) -> None:
    # when the operator lists a year with no checked official data
    result = runner.invoke(main, ["calendar", "show", "2031"])
    # then the package's days are listed, with the provisional note first
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "2031" in lines[0] and "provisional" in lines[0]
    assert any(line.startswith("2031-01-01") for line in lines[1:])
