"""The operator commands, and (when LibreOffice is installed) a real PDF conversion."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from documents_reading import read_back
from openpyxl import load_workbook

from giamsat.cli.main import main
from giamsat.documents import template_names
from giamsat.documents.layout import MOTTO
from giamsat.documents.samples import HANOI


def test_export_edit_and_render_samples(tmp_path: Path) -> None:
    # given the templates exported for editing
    runner = CliRunner()
    templates = tmp_path / "mau"
    exported = runner.invoke(main, ["documents", "export-templates", str(templates)])
    assert exported.exit_code == 0, exported.output
    assert sorted(p.name for p in templates.iterdir()) == template_names()
    # and a clerk's edit of the decision's closing article
    decision = templates / "quyet_dinh_thanh_lap_doan.txt.j2"
    text = decision.read_text("utf-8")
    decision.write_text(
        text.replace("chịu trách nhiệm thi hành", "có trách nhiệm thi hành"), "utf-8"
    )
    # when the samples are rendered with the edited templates
    out = tmp_path / "out"
    rendered = runner.invoke(main, ["documents", "sample", str(out), "--templates", str(templates)])
    # then every document is written and the edit shows in the decision
    assert rendered.exit_code == 0, rendered.output
    files = sorted(p.name for p in out.iterdir())
    assert len([f for f in files if f.endswith(".docx")]) == 6
    read = read_back((out / "1-quyet-dinh-thanh-lap-doan.docx").read_bytes())
    assert "có trách nhiệm thi hành" in read.body_text
    book = load_workbook(io.BytesIO((out / "so-lieu-2022.xlsx").read_bytes()))
    assert book.sheetnames


def test_export_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["documents", "export-templates", str(tmp_path)]).exit_code == 0
    again = runner.invoke(main, ["documents", "export-templates", str(tmp_path)])
    assert again.exit_code != 0
    assert "--force" in again.output


def test_sample_reports_a_broken_template(tmp_path: Path) -> None:
    (tmp_path / "van_ban_kien_nghi.txt.j2").write_text("{{ khong_co }}", "utf-8")
    result = CliRunner().invoke(
        main, ["documents", "sample", str(tmp_path / "o"), "--templates", str(tmp_path)]
    )
    assert result.exit_code != 0
    assert "van_ban_kien_nghi" in result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and poppler (pdftotext) are not installed",
)
def test_libreoffice_converts_the_decision_to_pdf(tmp_path: Path) -> None:
    # given the sample decision written to disk
    CliRunner().invoke(main, ["documents", "sample", str(tmp_path)])
    source = tmp_path / "1-quyet-dinh-thanh-lap-doan.docx"
    # when LibreOffice converts it headless
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "1-quyet-dinh-thanh-lap-doan.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # then the PDF carries the motto and the issuing committee, side by side on one line
    header_line = next(line for line in text.splitlines() if MOTTO in line)
    assert HANOI.parent.split("\n")[0] in header_line
    assert "QUYẾT ĐỊNH" in text
