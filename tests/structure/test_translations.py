"""The catalogue test: every text of the pages, documents and messages has both languages.

Message ids are the English texts; the Vietnamese catalogue must translate every one of them
(none missing, none fuzzy, placeholders kept), hold nothing the sources no longer use, and the
compiled catalogue the app loads must be the one built from it (`make install` compiles it).
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from giamsat.web.i18n import catalogue_path

ROOT = Path(__file__).resolve().parents[2]


def _key(message_id: str | tuple[str, ...], context: str | None) -> tuple[str, str | None]:
    return (message_id if isinstance(message_id, str) else message_id[0], context)


def _extracted() -> set[tuple[str, str | None]]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = extract_from_dir(str(ROOT / "platform"), method_map, options_map)
    return {_key(mid, ctx) for _file, _line, mid, _comments, ctx in found}


def _vietnamese() -> Catalog:
    with catalogue_path("vi", ".po").open("rb") as handle:
        return read_po(handle, locale="vi")


def _strings(message: Message) -> tuple[str, ...]:
    value = message.string
    return (value,) if isinstance(value, str) else tuple(value or ())


def _translated(message: Message) -> bool:
    return all(s.strip() for s in _strings(message))


def test_every_text_in_the_sources_has_its_vietnamese_translation() -> None:
    # given the texts the sources mark for translation (python and templates)
    extracted = _extracted()
    assert len(extracted) > 50, "extraction found too few texts: is babel.cfg right?"
    # when the Vietnamese catalogue is read
    catalogue = _vietnamese()
    entries = {_key(m.id, m.context): m for m in catalogue if m.id}
    # then every text is there, translated and not fuzzy
    missing = sorted(k[0] for k in extracted if k not in entries)
    untranslated = sorted(k[0] for k, m in entries.items() if k in extracted and not _translated(m))
    fuzzy = sorted(k[0] for k, m in entries.items() if m.fuzzy)
    assert missing == [], "run `make i18n` and translate these"
    assert untranslated == []
    assert fuzzy == []
    # and it holds nothing the sources no longer say
    assert sorted(k[0] for k in entries if k not in extracted) == []


def test_translations_keep_their_placeholders() -> None:
    # given the Vietnamese catalogue, when babel checks each message's python-format placeholders
    problems = [
        f"{message.id!r}: {'; '.join(str(e) for e in errors)}"
        for message, errors in _vietnamese().check()
    ]
    # then every translation uses exactly the placeholders of its English text
    assert problems == []


def test_the_compiled_catalogue_is_built_from_the_current_one() -> None:
    # given the catalogue in git and the compiled one next to it (built by `make install`)
    compiled_path = catalogue_path("vi")
    assert compiled_path.exists(), "no compiled catalogue: run `make install`"
    with compiled_path.open("rb") as handle:
        compiled = read_mo(handle)
    # when both are compared message by message
    source = {_key(m.id, m.context): _strings(m) for m in _vietnamese() if m.id and not m.fuzzy}
    built = {_key(m.id, m.context): _strings(m) for m in compiled if m.id}
    # then they hold the same translations: the app speaks what the catalogue says
    assert built == source, "the compiled catalogue is stale: run `make install`"
