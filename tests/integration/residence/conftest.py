"""Helpers of the residence tests: the 2022 pack in force at Phường Trúc Bạch (00004 in the
2023 tree; no other area's tests publish there), its residence channel on, reading documents."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx import Document

from giamsat.channels import ChannelRegistry
from giamsat.plans.service import history, publish
from tests.integration.audit.conftest import context_for
from tests.integration.intake.conftest import enable, registry
from tests.integration.plans.conftest import pack_for

__all__ = ["COMMUNE", "DISTRICT", "SIBLING", "docx_text", "prepared", "registry"]

COMMUNE = "00004"  # Phường Trúc Bạch, Quận Ba Đình (2023 register)
SIBLING = "00001"  # Phường Phúc Xá, the same district
DISTRICT = "001"  # Quận Ba Đình


async def prepared(tmp_path: Path, registry: ChannelRegistry) -> None:
    """The 2022 pack published for Trúc Bạch from 2022-01-01 (once per session), and the
    residence channel enabled there."""
    if all(v.committee_code != COMMUNE for v in await history(COMMUNE)):
        await publish(pack_for(tmp_path, 2022, COMMUNE), COMMUNE, dt.date(2022, 1, 1))
    await enable(await context_for(COMMUNE), registry, "residence")


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a Word file, one per line."""
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return "\n".join(lines)
