"""A pack's files ↔ a folder: what is stored in the database and what the loader reads.

The loader reads folders; the database keeps ``{filename: text}``. Only top-level ``*.yaml`` /
``*.yml`` files are kept: a pack never carries code or binary files.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from giamsat.errors import InvalidInput
from giamsat.web.i18n import N_

MAX_FILE_BYTES = 1_000_000
MAX_FILES = 20


def _accept(name: str) -> str | None:
    base = PurePosixPath(name.replace("\\", "/")).name
    if base.endswith((".yaml", ".yml")) and not base.startswith("."):
        return base
    return None


def read_folder(path: str | Path) -> dict[str, str]:
    """The YAML files of a pack folder (empty when the folder does not exist)."""
    root = Path(path)
    if not root.is_dir():
        return {}
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(root.iterdir())
        if p.is_file() and _accept(p.name)
    }


def from_uploads(uploads: list[tuple[str, bytes]]) -> dict[str, str]:
    """Files from uploaded YAML files or one zip archive (folders inside it are flattened)."""
    files: dict[str, str] = {}
    for filename, data in uploads:
        if filename.lower().endswith(".zip"):
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    for info in archive.infolist():
                        name = _accept(info.filename)
                        if name and not info.is_dir():
                            files[name] = _text(name, archive.read(info))
            except zipfile.BadZipFile:
                raise InvalidInput(
                    N_("%(file)s is not a zip archive."), field="files", params={"file": filename}
                ) from None
        elif (name := _accept(filename)) is not None:
            files[name] = _text(name, data)
        elif filename:
            raise InvalidInput(
                N_("%(file)s: a rule pack holds only .yaml files or one .zip archive."),
                field="files",
                params={"file": filename},
            )
    return check_files(files)


def check_files(files: dict[str, str]) -> dict[str, str]:
    """Refuse file sets a pack can never be (too many, too large, odd names)."""
    if not files:
        raise InvalidInput(N_("Choose the rule pack's files (pack.yaml, rules.yaml …)."),
                           field="files")  # fmt: skip
    if len(files) > MAX_FILES:
        raise InvalidInput(
            N_("A rule pack has at most %(count)s files."), field="files",
            params={"count": MAX_FILES},
        )  # fmt: skip
    for name, text in files.items():
        if _accept(name) != name:
            raise InvalidInput(
                N_("%(file)s is not the name of a rule pack file."), field="files",
                params={"file": name},
            )  # fmt: skip
        if len(text.encode("utf-8")) > MAX_FILE_BYTES:
            raise too_large(name, MAX_FILE_BYTES, "files")
    return files


def _text(name: str, data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise too_large(name, MAX_FILE_BYTES, "files")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(
            N_("%(file)s is not text saved as UTF-8."), field="files", params={"file": name}
        ) from None


def too_large(name: str, limit: int, field: str) -> InvalidInput:
    """The refusal of a file over ``limit`` bytes, its size in kilobytes as people read it."""
    return InvalidInput(
        N_("%(file)s is larger than %(size)s KB."),
        field=field,
        params={"file": name, "size": limit // 1000},
    )


@contextmanager
def materialised(files: dict[str, str], label: str = "pack") -> Iterator[Path]:
    """A temporary folder holding ``files`` (named ``label`` so errors show a useful path)."""
    with tempfile.TemporaryDirectory(prefix="giamsat-pack-") as tmp:
        root = Path(tmp) / label
        root.mkdir()
        for name, text in files.items():
            (root / name).write_text(text, encoding="utf-8")
        yield root
