"""The plugin reference, generated from the code: every hook and every struct a plugin meets.

``python -m giamsat.channels.reference`` rewrites ``plugins/REFERENCE.md``; a test fails when the
file and the code drift apart. Hooks come from :mod:`giamsat.channels.hookspecs` (signature and
docstring), structs from :mod:`giamsat.channels.structs` (docstring, and each field's type, default
and ``#:`` comment), kit functions from :mod:`giamsat.channels.kit`.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from giamsat.channels import hookspecs, kit, structs

#: The structs a plugin author meets, in the order a plugin meets them.
STRUCTS = (
    structs.ChannelInfo,
    structs.FormSchema,
    structs.FormField,
    structs.Choice,
    structs.RequiredIf,
    structs.AttachmentLimits,
    structs.Attachment,
    structs.ChannelContext,
    structs.CatalogueEntry,
    structs.CadreRef,
    structs.Submission,
    structs.SignalDraft,
    structs.BulkFormat,
    structs.BulkColumn,
    structs.RowResult,
    structs.FieldError,
    structs.ReportRequest,
    structs.ReportSection,
)
KIT = (kit.FormSheet, kit.sheet_columns, kit.cadre_name_check, kit.indicator_field)
PLUGIN = kit.ChannelPlugin
KIT_FUNCTIONS = (kit.indicator_section,)
HEADER = (
    "# Channel plugin reference\n\n"
    "Generated from the code by `python -m giamsat.channels.reference` (do not edit by hand; "
    "a test fails when this file and the code differ). How to write a plugin: "
    "[README.md](README.md).\n"
)
TARGET = Path(__file__).resolve().parents[3] / "plugins" / "REFERENCE.md"


def _doc(obj: object) -> str:
    return inspect.cleandoc(obj.__doc__ or "").strip()


def _comments(cls: type) -> dict[str, str]:
    """Each field's ``#:`` comment lines in the class body."""
    found: dict[str, str] = {}
    pending: list[str] = []
    for line in inspect.getsource(cls).splitlines()[1:]:
        text = line.strip()
        if text.startswith("#:"):
            pending.append(text[2:].strip())
            continue
        name = text.split(":", 1)[0].strip()
        if pending and ":" in text and name.isidentifier():
            found[name] = " ".join(pending)
        pending = []
    return found


def _default(field: msgspec.structs.FieldInfo) -> str:
    if field.required:
        return "required"
    if field.default is not msgspec.NODEFAULT:
        value = field.default
        return f"`{value!r}`" if not callable(value) else f"`{value.__name__}`"
    return f"`{field.default_factory()!r}`"


def _struct(cls: type) -> Iterator[str]:
    hints: dict[str, Any] = dict(getattr(cls, "__annotations__", {}))
    comments = _comments(cls)
    yield f"### `{cls.__name__}`\n"
    yield _doc(cls) + "\n"
    yield "| field | type | default | meaning |"
    yield "|---|---|---|---|"
    for field in msgspec.structs.fields(cls):  # type: ignore[arg-type]
        hint = str(hints.get(field.name, "")).replace("|", "\\|")
        meaning = comments.get(field.name, "").replace("|", "\\|")
        yield f"| `{field.name}` | `{hint}` | {_default(field)} | {meaning} |"
    yield ""
    methods = [
        (name, member)
        for name, member in vars(cls).items()
        if inspect.isfunction(member) and not name.startswith("_")
    ]
    for name, member in methods:
        signature = str(inspect.signature(member)).replace("'", "")
        yield f"- `{name}{signature}`: {_doc(member).splitlines()[0]}"
    yield ""


def _hook(name: str) -> Iterator[str]:
    function = getattr(hookspecs, name)
    required = "required" if name in hookspecs.REQUIRED_HOOKS else "optional"
    signature = str(inspect.signature(function)).replace("'", "")
    yield f"### `{name}{signature}` ({required})\n"
    yield _doc(function) + "\n"


def _kit(obj: Any) -> Iterator[str]:
    if inspect.isclass(obj):
        yield from _struct(obj)
        return
    signature = str(inspect.signature(obj)).replace("'", "")
    yield f"### `{obj.__name__}{signature}`\n"
    yield _doc(obj) + "\n"


def render() -> str:
    """The whole reference as Markdown."""
    hooks = [
        n for n in vars(hookspecs) if n.startswith("channel_") and callable(vars(hookspecs)[n])
    ]
    lines = [HEADER, "## Hooks\n", _doc(hookspecs) + "\n"]
    for name in hooks:
        lines += list(_hook(name))
    lines.append("## Structs\n")
    for cls in STRUCTS:
        lines += list(_struct(cls))
    lines += ["## The kit\n", _doc(kit) + "\n"]
    for obj in (*KIT, *KIT_FUNCTIONS):
        lines += list(_kit(obj))
    signature = str(inspect.signature(PLUGIN)).replace("'", "")
    lines += [f"### `ChannelPlugin{signature}`\n", _doc(PLUGIN) + "\n"]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the reference (or, with ``--check``, fail when the file is out of date)."""
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in args:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run python -m giamsat.channels.reference")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
