"""Editable wording: Jinja text templates turned into document sections.

A wording template is a plain UTF-8 text file a committee clerk can edit in any text
editor. Jinja placeholders (``{{ doan.truong_doan }}``) and loops fill in the facts; after
rendering, each non-empty line is one paragraph, and a few line prefixes say how it is set:

====================  ===========================================================
``@tieu_de: …``       the title / trích yếu (several lines join with a line break)
``@loai_van_ban: …``  overrides the document type title (e.g. ``KẾ HOẠCH``)
``@kinh_gui: …``      one addressee of the "Kính gửi:" line (repeatable)
``@noi_nhan: …``      one recipient in "Nơi nhận:" (repeatable)
``# …``               a section heading ("I. MỤC ĐÍCH, YÊU CẦU"), bold
``## …``              a sub-heading ("1. Mục đích"), bold
``^ …``               a centred bold line ("QUYẾT ĐỊNH:")
``_ …``               an italic paragraph (the legal bases, "Căn cứ …")
``[[bang: khoa]]``    the table named ``khoa`` supplied by the program
anything else         a justified body paragraph with first-line indent
====================  ===========================================================

Inside a paragraph, ``**…**`` sets a span in bold ("**Điều 1.** Thành lập …").

Templates run in Jinja's sandbox with strict undefined variables, so a typo in a
placeholder fails with the template's name and line instead of printing blank text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import jinja2
import msgspec
from jinja2.sandbox import SandboxedEnvironment

from giamsat.documents.errors import TemplateError
from giamsat.documents.model import Block, Paragraph, ParagraphStyle, ReportTable, Section
from giamsat.documents.vndate import long_date, short_date, weekday
from giamsat.web.i18n import N_

TEMPLATE_SUFFIX = ".txt.j2"
_TABLE_LINE = re.compile(r"^\[\[\s*bang\s*:\s*(?P<key>[^\]\s]+)\s*\]\]$")
_LINE_STYLES: tuple[tuple[str, ParagraphStyle], ...] = (
    ("## ", ParagraphStyle.SUBHEADING),
    ("^ ", ParagraphStyle.CENTRED_BOLD),
    ("_ ", ParagraphStyle.ITALIC),
)


class Wording(msgspec.Struct, kw_only=True):
    """What a rendered template contributes to a document."""

    title: str
    sections: list[Section]
    recipients: list[str]
    addressees: list[str] = msgspec.field(default_factory=list)
    kind_title: str | None = None


def packaged_templates_dir() -> Path:
    """Where the default wording templates ship inside the package."""
    return Path(__file__).parent / "templates"


def template_names() -> list[str]:
    """Names of the default wording templates (what an override directory may replace)."""
    return sorted(path.name for path in packaged_templates_dir().glob(f"*{TEMPLATE_SUFFIX}"))


class WordingTemplates:
    """Loads wording templates: each override directory first, then the packaged defaults.

    An override directory (per plan or per committee) only needs the files it changes.
    """

    def __init__(self, overrides: Sequence[Path] = ()) -> None:
        for directory in overrides:
            if not directory.is_dir():
                raise TemplateError(
                    N_("The template folder %(folder)s does not exist."),
                    params={"folder": str(directory)},
                )
        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(d)) for d in overrides]
        loaders.append(jinja2.FileSystemLoader(str(packaged_templates_dir())))
        self._env = SandboxedEnvironment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            autoescape=False,
        )
        self._env.filters.update(ngay=_long_date, ngay_ngan=_short_date, thu=_weekday)

    def render(
        self,
        name: str,
        context: Mapping[str, object],
        tables: Sequence[ReportTable] = (),
    ) -> Wording:
        """Render template ``name`` (without suffix) with ``context`` into a ``Wording``."""
        filename = f"{name}{TEMPLATE_SUFFIX}"
        try:
            text = self._env.get_template(filename).render(**context)
        except jinja2.TemplateNotFound as error:
            raise TemplateError(
                N_("The wording template %(file)s does not exist."), params={"file": filename}
            ) from error
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(
                N_("The wording template %(file)s, line %(line)s: %(error)s"),
                params={
                    "file": error.filename or filename,
                    "line": error.lineno,
                    "error": error.message or "",
                },
            ) from error
        except jinja2.UndefinedError as error:
            raise TemplateError(
                N_("The wording template %(file)s: %(error)s"),
                params={"file": filename, "error": error.message or ""},
            ) from error
        except jinja2.exceptions.SecurityError as error:
            raise TemplateError(
                N_("The wording template %(file)s: %(error)s"),
                params={"file": filename, "error": str(error)},
            ) from error
        return parse_wording(text, {table.key: table for table in tables}, source=filename)


def parse_wording(text: str, tables: Mapping[str, ReportTable], *, source: str) -> Wording:
    """Turn rendered template text into title, sections and recipients (see module doc)."""
    title: list[str] = []
    recipients: list[str] = []
    addressees: list[str] = []
    kind_title: str | None = None
    sections: list[Section] = [Section()]
    for number, raw in enumerate(text.splitlines(), start=1):
        line = tidy(raw)
        if not line:
            continue
        directive, _, value = line.partition(":")
        if line.startswith("@"):
            value = value.strip()
            match directive:
                case "@tieu_de":
                    title.append(value)
                case "@noi_nhan":
                    recipients.append(value)
                case "@kinh_gui":
                    addressees.append(value)
                case "@loai_van_ban":
                    kind_title = value
                case _:
                    raise TemplateError(
                        N_("%(file)s, line %(line)s: there is no directive %(directive)s."),
                        params={"file": source, "line": number, "directive": directive},
                    )
        elif line.startswith("# "):
            sections.append(Section(heading=line[2:].strip()))
        else:
            sections[-1].blocks.append(_block(line, tables, source=source, number=number))
    if not title:
        raise TemplateError(
            N_("%(file)s has no “@tieu_de:” line, so the document would have no title."),
            params={"file": source},
        )
    kept = [section for section in sections if section.heading or section.blocks]
    return Wording(
        title="\n".join(title),
        sections=kept,
        recipients=recipients,
        addressees=addressees,
        kind_title=kind_title,
    )


_SPACES = re.compile(r"[ \t\u00a0]{2,}")
_EMPTY_PARTS = re.compile(r",(\s*,)+")
_COMMA_BEFORE = re.compile(r",\s*(?=\s-\s|[;.])")


def tidy(line: str) -> str:
    """A rendered line without the traces of a blank fact: doubled spaces, empty ", ,"
    parts, a comma left before " - Trưởng đoàn" or before a ";" or "." (a line's own
    closing comma, as after the legal bases, stays)."""
    line = _SPACES.sub(" ", line.strip())
    line = _EMPTY_PARTS.sub(",", line)
    return _COMMA_BEFORE.sub("", line).strip()


def _block(line: str, tables: Mapping[str, ReportTable], *, source: str, number: int) -> Block:
    table_match = _TABLE_LINE.match(line)
    if table_match:
        key = table_match.group("key")
        if key not in tables:
            if tables:
                raise TemplateError(
                    N_(
                        "%(file)s, line %(line)s: there is no table %(table)s; the tables are "
                        "%(known)s."
                    ),
                    params={
                        "file": source,
                        "line": number,
                        "table": key,
                        "known": ", ".join(sorted(tables)),
                    },
                )
            raise TemplateError(
                N_("%(file)s, line %(line)s: there is no table %(table)s; this document has none."),
                params={"file": source, "line": number, "table": key},
            )
        return tables[key]
    for prefix, style in _LINE_STYLES:
        if line.startswith(prefix):
            return Paragraph(text=line[len(prefix) :].strip(), style=style)
    return Paragraph(text=line)


def _long_date(value: date) -> str:
    return long_date(value)


def _short_date(value: date) -> str:
    return short_date(value)


def _weekday(value: date) -> str:
    return weekday(value)
