"""The results report as PDF, converted on the server by LibreOffice (soffice --headless).

The Word export is the source; LibreOffice turns it into PDF in a private temporary profile so
concurrent conversions do not share state. Without soffice on the machine the endpoint answers
503 with a message saying so (the HTML print view and the Word file still work).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from giamsat.errors import GiamsatError
from giamsat.web.i18n import N_

log = logging.getLogger(__name__)

#: What a reader is told when a conversion fails (what went wrong goes to the log).
_NOT_CONVERTED = N_(
    "The server could not turn the report into a PDF file; download the Word file or print "
    "the page instead."
)
#: A conversion that takes longer than this is abandoned (LibreOffice can hang on a bad profile).
TIMEOUT_SECONDS = 120


class PdfUnavailable(GiamsatError):
    """No converter on this server (503: the service, not the request, is at fault)."""

    status_code = 503
    code = "pdf_unavailable"


def soffice_path() -> str | None:
    """The converter: ``GIAMSAT_SOFFICE`` if set (an operator's path), else ``soffice`` on PATH."""
    configured = os.environ.get("GIAMSAT_SOFFICE")
    if configured is not None:
        usable = Path(configured).is_file() and os.access(configured, os.X_OK)
        return configured if usable else None
    return shutil.which("soffice")


def docx_to_pdf(docx: bytes) -> bytes:
    """``docx`` converted to PDF, or :class:`PdfUnavailable` with a clear reason."""
    soffice = soffice_path()
    if soffice is None:
        # for the operator: apt-get install libreoffice-writer-nogui, or set GIAMSAT_SOFFICE
        raise PdfUnavailable(
            N_(
                "The server cannot make PDF files because LibreOffice is not installed; "
                "download the Word file or print the page instead."
            )
        )
    with tempfile.TemporaryDirectory(prefix="giamsat-pdf-") as work:
        folder = Path(work)
        source = folder / "bao-cao.docx"
        source.write_bytes(docx)
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            # The command is a fixed list (no shell); only the converter path is configurable.
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=True)  # noqa: S603
        except (subprocess.SubprocessError, OSError) as exc:
            log.warning("LibreOffice could not convert a report to PDF: %s", exc)
            raise PdfUnavailable(_NOT_CONVERTED) from exc
        produced = folder / "bao-cao.pdf"
        if not produced.is_file():
            log.warning("LibreOffice produced no PDF for a report")
            raise PdfUnavailable(_NOT_CONVERTED)
        return produced.read_bytes()
