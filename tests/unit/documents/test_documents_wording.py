"""Committees change the wording through template files, never through code."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from documents_reading import read_back

from giamsat.documents import (
    DelegationFacts,
    DocumentIssue,
    TemplateError,
    WordingTemplates,
    build_delegation_decision,
    build_recommendation_letter,
    render_docx,
    template_names,
)
from giamsat.documents.wording import packaged_templates_dir, parse_wording

ISSUE = DocumentIssue(number=31, issued_on=date(2022, 9, 5))


def _override(tmp_path: Path, name: str, text: str) -> WordingTemplates:
    (tmp_path / f"{name}.txt.j2").write_text(text, encoding="utf-8")
    return WordingTemplates([tmp_path])


def test_override_directory_replaces_only_the_files_it_holds(
    tmp_path: Path, facts: DelegationFacts
) -> None:
    # given an override directory holding an edited recommendation letter
    original = (packaged_templates_dir() / "van_ban_kien_nghi.txt.j2").read_text("utf-8")
    edited = original.replace("kiến nghị như sau:", "trân trọng kiến nghị một số nội dung như sau:")
    assert edited != original
    templates = _override(tmp_path, "van_ban_kien_nghi", edited)
    # when the letter and the decision are built with it
    letter = read_back(render_docx(build_recommendation_letter(facts, ISSUE, templates)))
    decision = build_delegation_decision(facts, ISSUE, templates)
    # then the letter carries the committee's wording and the decision the default one
    assert "trân trọng kiến nghị một số nội dung như sau:" in letter.body_text
    default = build_delegation_decision(facts, ISSUE)
    assert decision == default


def test_misspelt_placeholder_names_the_template(tmp_path: Path, facts: DelegationFacts) -> None:
    # given a template with a typo in a placeholder
    templates = _override(tmp_path, "van_ban_kien_nghi", "@tieu_de: {{ facts.subjekt }}\n")
    # when it is rendered, then the error says which template and what is undefined
    with pytest.raises(TemplateError, match=r"van_ban_kien_nghi\.txt\.j2.*subjekt"):
        build_recommendation_letter(facts, ISSUE, templates)


def test_syntax_error_gives_the_line(tmp_path: Path, facts: DelegationFacts) -> None:
    templates = _override(tmp_path, "van_ban_kien_nghi", "@tieu_de: x\n{% for %}\n")
    with pytest.raises(TemplateError, match="line 2"):
        build_recommendation_letter(facts, ISSUE, templates)


def test_template_without_title_is_refused(tmp_path: Path, facts: DelegationFacts) -> None:
    templates = _override(tmp_path, "van_ban_kien_nghi", "Chỉ có thân bài.\n@noi_nhan: Lưu: VT\n")
    with pytest.raises(TemplateError, match="has no “@tieu_de:” line"):
        build_recommendation_letter(facts, ISSUE, templates)


def test_sandbox_blocks_reaching_python_internals(tmp_path: Path, facts: DelegationFacts) -> None:
    # given a template that tries to climb into Python objects
    text = "@tieu_de: {{ facts.__class__.__mro__ }}\n@noi_nhan: Lưu: VT\n"
    templates = _override(tmp_path, "van_ban_kien_nghi", text)
    # then rendering fails instead of exposing internals
    with pytest.raises(TemplateError):
        build_recommendation_letter(facts, ISSUE, templates)


def test_missing_override_directory_is_reported(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="does not exist"):
        WordingTemplates([tmp_path / "khong-co"])


def test_markup_lines_become_headings_styles_tables_and_directives() -> None:
    # given rendered wording using every line prefix
    text = "\n".join(
        [
            "@tieu_de: Về việc A",
            "@tieu_de: và B",
            "@loai_van_ban: KẾ HOẠCH",
            "@kinh_gui: UBND quận",
            "Mở đầu.",
            "# I. PHẦN MỘT",
            "## 1. Mục",
            "^ QUYẾT ĐỊNH:",
            "_ Căn cứ luật;",
            "",
            "@noi_nhan: Lưu: VT",
        ]
    )
    # when parsed
    wording = parse_wording(text, {}, source="test")
    # then each line lands where its prefix says
    assert wording.title == "Về việc A\nvà B"
    assert wording.kind_title == "KẾ HOẠCH"
    assert wording.addressees == ["UBND quận"]
    assert wording.recipients == ["Lưu: VT"]
    assert [s.heading for s in wording.sections] == [None, "I. PHẦN MỘT"]
    styles = [(b.style, b.text) for b in wording.sections[1].blocks]  # type: ignore[union-attr]
    assert styles == [
        ("subheading", "1. Mục"),
        ("centred_bold", "QUYẾT ĐỊNH:"),
        ("italic", "Căn cứ luật;"),
    ]


def test_unknown_directive_and_table_are_named() -> None:
    with pytest.raises(TemplateError, match="there is no directive @tac_gia"):
        parse_wording("@tieu_de: A\n@tac_gia: B\n", {}, source="x")
    with pytest.raises(TemplateError, match="there is no table bang_la"):
        parse_wording("@tieu_de: A\n[[bang: bang_la]]\n", {}, source="x")


def test_every_packaged_template_is_listed() -> None:
    names = template_names()
    assert len(names) == 6
    assert all((packaged_templates_dir() / name).is_file() for name in names)
