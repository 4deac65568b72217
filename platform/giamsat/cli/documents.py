"""``giamsat documents``: export the editable wording templates and render samples.

A committee's clerk exports the templates, edits the wording, and renders the sample
documents with the edited copy to check the result before the committee adopts it.
"""

from __future__ import annotations

from pathlib import Path

import click

from giamsat.documents import DocumentError, WordingTemplates, template_names
from giamsat.documents.samples import sample_documents
from giamsat.documents.wording import packaged_templates_dir
from giamsat.web.i18n import Translator


@click.group(name="documents")
def group() -> None:
    """Văn bản: wording templates and sample Word/Excel documents."""


@group.command(name="export-templates")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files already in DIRECTORY.")
def export_templates(directory: Path, force: bool) -> None:
    """Copy the default wording templates into DIRECTORY for editing."""
    directory.mkdir(parents=True, exist_ok=True)
    existing = [name for name in template_names() if (directory / name).exists()]
    if existing and not force:
        raise click.ClickException(
            f"{', '.join(existing)} already in {directory}; use --force to overwrite"
        )
    for name in template_names():
        text = (packaged_templates_dir() / name).read_text(encoding="utf-8")
        (directory / name).write_text(text, encoding="utf-8")
        click.echo(f"{directory / name}")


@group.command(name="sample")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--templates",
    "override",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Directory of edited wording templates to use before the defaults.",
)
def sample(out: Path, override: Path | None) -> None:
    """Render every document from sample facts into OUT (.docx and .xlsx)."""
    try:
        templates = WordingTemplates([override] if override else [])
        files = sample_documents(templates)
    except DocumentError as error:
        # in Vietnamese, as the CLI says a platform error (``_common.said``)
        said = Translator("vi").gettext(error.template, **error.params)
        raise click.ClickException(said) from error
    out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (out / name).write_bytes(content)
        click.echo(f"{out / name} ({len(content):,} bytes)")
