"""Read generated .docx files back with python-docx, as a recipient's Word would."""

from __future__ import annotations

import io
from dataclasses import dataclass

import docx
from docx.document import Document
from docx.text.paragraph import Paragraph


@dataclass
class ReadBack:
    """The parts of an ND30 document a reader looks at, as plain text."""

    document: Document
    header_left: list[Paragraph]
    header_right: list[Paragraph]
    body: list[Paragraph]
    closing_left: list[Paragraph]
    closing_right: list[Paragraph]

    @staticmethod
    def texts(paragraphs: list[Paragraph]) -> list[str]:
        return [p.text for p in paragraphs if p.text.strip()]

    @property
    def body_text(self) -> str:
        parts = [p.text for p in self.body]
        for table in self.document.tables[1:-1]:
            parts.extend(cell.text for row in table.rows for cell in row.cells)
        return "\n".join(parts)

    def body_tables(self) -> list[list[list[str]]]:
        """Bordered data tables: everything between the header and the closing block."""
        return [
            [[cell.text for cell in row.cells] for row in table.rows]
            for table in self.document.tables[1:-1]
            if len(table.columns) > 1
        ]


def read_back(content: bytes) -> ReadBack:
    document = docx.Document(io.BytesIO(content))
    header, closing = document.tables[0], document.tables[-1]
    return ReadBack(
        document=document,
        header_left=list(header.rows[0].cells[0].paragraphs),
        header_right=list(header.rows[0].cells[1].paragraphs),
        body=list(document.paragraphs),
        closing_left=list(closing.rows[0].cells[0].paragraphs),
        closing_right=list(closing.rows[0].cells[1].paragraphs),
    )


def is_bold(paragraph: Paragraph) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(run.bold for run in runs)


def is_italic(paragraph: Paragraph) -> bool:
    runs = [run for run in paragraph.runs if run.text.strip()]
    return bool(runs) and all(run.italic for run in runs)
