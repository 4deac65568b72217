"""YAML loading that remembers the line of every mapping key and list item.

PyYAML's composed node tree carries ``start_mark``; we build the Python data and a
``path -> line`` index from the same tree, so an error found later (in msgspec or in a
reference check) can name the line the staff member must edit.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from giamsat.rulepacks.errors import PackError
from giamsat.web.i18n import N_

PathKey = tuple[str | int, ...]


class YamlDoc:
    """A parsed YAML file: its data plus a line for every path inside it."""

    def __init__(self, file: str, data: Any, lines: dict[PathKey, int]) -> None:
        self.file = file
        self.data = data
        self.lines = lines

    def line(self, path: PathKey) -> int:
        """Return the 1-based line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def error(self, path: PathKey, rule_id: str, message: str, **params: object) -> PackError:
        """Build a :class:`PackError` located at ``path``; ``message`` is English, a message id
        of the catalogue (``N_``) with ``%(name)s`` placeholders where it is worded for staff."""
        return PackError.worded(
            file=self.file, line=self.line(path), rule_id=rule_id, message=message, **params
        )


def _index(node: yaml.Node, path: PathKey, lines: dict[PathKey, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            _index(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*path, i), lines)


def load_yaml(path: Path, display: str) -> YamlDoc | PackError:
    """Parse ``path``; return a :class:`YamlDoc` or the syntax error as a :class:`PackError`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return PackError.worded(file=display, line=1, rule_id="-", message=N_("file is missing"))
    except UnicodeDecodeError as exc:
        return PackError.worded(
            file=display, line=1, rule_id="-", message=N_("not UTF-8: %(detail)s"), detail=exc
        )
    return parse_yaml(text, display)


class _PackLoader(yaml.SafeLoader):  # type: ignore[misc]
    """SafeLoader that leaves dates as the text staff wrote.

    PyYAML turns ``2024-20-11`` into ``datetime.date(2024, 20, 11)`` and raises a bare
    ``ValueError`` while building the document; kept as text, the date is checked by the
    schema step, which names its file and line.
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def parse_yaml(text: str, display: str) -> YamlDoc | PackError:
    """Parse YAML ``text`` (shown as ``display`` in errors) with the line of every path."""
    try:
        loader = _PackLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:  # MarkedYAMLError, or ReaderError for a control character
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else 1
        return PackError.worded(
            file=display,
            line=line,
            rule_id="-",
            message=N_("YAML syntax error: %(detail)s"),
            detail=getattr(exc, "problem", None) or exc,
        )
    lines: dict[PathKey, int] = {}
    if node is not None:
        _index(node, (), lines)
    return YamlDoc(display, data, lines)


_PATH_RE = re.compile(r"at `\$([^`]*)`")
_PART_RE = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def msgspec_path(message: str) -> PathKey:
    """Extract the ``$.a.b[2]`` location from a msgspec ValidationError message."""
    found = _PATH_RE.search(message)
    if not found:
        return ()
    parts: list[str | int] = []
    for key, index in _PART_RE.findall(found.group(1)):
        parts.append(int(index) if index else key)
    return tuple(parts)


def value_at(data: Any, path: PathKey) -> Any:
    """The value found at ``path`` inside ``data``, or None when the path leads nowhere."""
    for part in path:
        in_list = isinstance(part, int) and isinstance(data, list) and 0 <= part < len(data)
        if not (in_list or (isinstance(data, dict) and part in data)):
            return None
        data = data[part]
    return data


def strip_msgspec_path(message: str) -> str:
    """Return the msgspec message without its ``- at `$...``` suffix."""
    return _PATH_RE.sub("", message).rstrip(" -")
