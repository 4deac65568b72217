"""What a reader of a produced file sees: the text of Word, PDF and Excel files, page by page,
and the internal values (enumeration codes, snake_case keys) that must never be part of it.

PDFs are made the way the server makes them (LibreOffice) and read with poppler's ``pdftotext``;
both are Debian packages that ``make system-deps`` installs. ``converter_missing()`` says why a
PDF cannot be made here; under CI a missing converter is a failure, not a skip.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import docx
import openpyxl
from docx.enum.text import WD_ALIGN_PARAGRAPH

from giamsat.reports.pdf import docx_to_pdf, soffice_path


def converter_missing() -> str:
    """Why Word files cannot be turned into PDF text here ("" when they can)."""
    if soffice_path() is None:
        return "LibreOffice (soffice) is not installed"
    if shutil.which("pdftotext") is None:
        return "poppler-utils (pdftotext) is not installed"
    return ""


def must_convert() -> bool:
    """CI installs LibreOffice through ``make system-deps``: there a missing one is a failure."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page of ``pdf`` (pdftotext; form feeds separate the pages)."""
    with tempfile.TemporaryDirectory(prefix="giamsat-pdftext-") as work:
        source = Path(work) / "in.pdf"
        source.write_bytes(pdf)
        done = subprocess.run(
            ["pdftotext", "-layout", str(source), "-"],
            capture_output=True,
            check=True,
            timeout=60,
        )
    pages = done.stdout.decode("utf-8").split("\f")
    return [page for page in pages if page.strip()]


def word_pdf_pages(content: bytes) -> list[str]:
    """A Word file converted by LibreOffice as the server does, page by page."""
    return pdf_pages(docx_to_pdf(content))


def word_pdf_pages_many(contents: list[bytes]) -> list[list[str]]:
    """Several Word files converted in one LibreOffice run (one start-up), page by page."""
    soffice = soffice_path()
    assert soffice is not None, converter_missing()
    with tempfile.TemporaryDirectory(prefix="giamsat-pdfs-") as work:
        folder = Path(work)
        sources = []
        for number, content in enumerate(contents):
            source = folder / f"d{number:03d}.docx"
            source.write_bytes(content)
            sources.append(source)
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                *map(str, sources),
            ],
            capture_output=True,
            check=True,
            timeout=300,
        )
        return [pdf_pages(source.with_suffix(".pdf").read_bytes()) for source in sources]


def squeeze(text: str) -> str:
    """Text without layout spaces: pdftotext splits words around some Vietnamese letters."""
    return re.sub(r"\s+", "", text)


def docx_text(content: bytes) -> str:
    """Every paragraph of a .docx: body, tables (nested too), page headers."""
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]

    def tables(items: Iterable[docx.table.Table]) -> None:
        for table in items:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    tables(cell.tables)

    tables(document.tables)
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
    return "\n".join(parts)


def xlsx_text(content: bytes) -> str:
    """Every sheet name and cell value of a workbook."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    parts = list(book.sheetnames)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            parts.extend(str(value) for value in row if value is not None)
    return "\n".join(parts)


@cache
def internal_values() -> frozenset[str]:
    """The stored values of the code's enumerations: statuses, roles, levels, history actions,
    delegation steps and member roles, report statuses, channel names, form answer values."""
    from giamsat_residence.forms import RESULTS, SURVEY_ANSWERS
    from giamsat_workplace.forms import FINDING_CHOICES, PERIODS

    from giamsat.accounts.roles import Role
    from giamsat.cases.statuses import Status
    from giamsat.documents.delegation import MemberRole
    from giamsat.documents.model import ColumnKind, DocumentKind, ParagraphStyle
    from giamsat.reports.labels import STATUS_LABELS as REPORT_STATUSES
    from giamsat.reports.plan import load_plan
    from giamsat.rulepacks.vocabulary import CHANNELS
    from giamsat.tenancy.levels import Level
    from giamsat.web.labels import HISTORY_ACTIONS, STEPS

    values: set[str] = set()
    for enum in (Status, Level, Role, MemberRole, DocumentKind, ParagraphStyle, ColumnKind):
        values.update(member.value for member in enum)
    values.update(HISTORY_ACTIONS, STEPS, CHANNELS, REPORT_STATUSES, RESULTS, PERIODS)
    values.update(choice.value for choice in (*SURVEY_ANSWERS, *FINDING_CHOICES))
    values.update(org.code for org in load_plan().partners)
    return frozenset(v for v in values if len(v) > 2)


_SNAKE = re.compile(r"(?<![\w.@/-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w@])")
_DOTTED_KEY = re.compile(r"\b[a-z_]+\.[a-z_]+(?:\.[A-Za-z0-9_]+)+\b")


def internal_hits(text: str, *, enumerations: bool = True) -> list[str]:
    """The internal values ``text`` shows: an enumeration value as a whole word, any
    snake_case identifier, any dotted figure key (``signals.channel.workplace``).

    English text uses ordinary words that some values are spelt like ("Cases opened"): there
    pass ``enumerations=False`` to look for identifiers only."""
    hits = set(_SNAKE.findall(text)) | set(_DOTTED_KEY.findall(text))
    for value in internal_values() if enumerations else ():
        if re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text):
            hits.add(value)
    return sorted(hits)


_VN_INTEGER = re.compile(r"^\d{1,3}(\.\d{3})*$")
_VN_DECIMAL = re.compile(r"^\d{1,3}(\.\d{3})*,\d+(\u00a0%)?$")


def misaligned_numbers(content: bytes) -> list[str]:
    """Every figure cell of a .docx's data tables that is not right-aligned or not written the
    Vietnamese way (1.234; 12,5 %); returned as "text (why)"."""
    document = docx.Document(io.BytesIO(content))
    problems = []
    for table in document.tables[1:-1]:
        if len(table.columns) < 2:
            continue
        for row in table.rows[1:]:
            for cell in row.cells:
                text = cell.text.strip()
                if not re.fullmatch(r"[\d.,\u00a0%]+", text) or not any(c.isdigit() for c in text):
                    continue
                if not (_VN_INTEGER.match(text) or _VN_DECIMAL.match(text)):
                    problems.append(f"{text} (not Vietnamese number style)")
                if cell.paragraphs[0].alignment != WD_ALIGN_PARAGRAPH.RIGHT:
                    problems.append(f"{text} (not right-aligned)")
    return problems


def misaligned_xlsx_numbers(content: bytes) -> list[str]:
    """Every numeric cell of a workbook that is not right-aligned or has no number format."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    problems = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, bool) or not isinstance(cell.value, int | float):
                    continue
                if cell.alignment.horizontal != "right":
                    problems.append(f"{sheet.title}!{cell.coordinate} not right-aligned")
                if cell.number_format not in ("#,##0", "#,##0.00", "0.0%"):
                    problems.append(f"{sheet.title}!{cell.coordinate} format {cell.number_format}")
    return problems
