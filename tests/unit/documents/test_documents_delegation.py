"""The five delegation documents, rendered to .docx and read back as a recipient would."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from documents_reading import ReadBack, is_bold, is_italic, read_back

from giamsat.documents import (
    AdministrativeDocument,
    DelegationFacts,
    DocumentIssue,
    DocumentKind,
    build_delegation_decision,
    build_recommendation_letter,
    build_report_outline,
    build_results_report,
    build_supervision_notice,
    render_docx,
)
from giamsat.documents.layout import MOTTO, MOTTO_SUBTITLE
from giamsat.documents.model import KIND_ABBREVIATIONS, KIND_TITLES
from giamsat.documents.vndate import long_date, short_date

Builder = Callable[[DelegationFacts, DocumentIssue], AdministrativeDocument]


@dataclass
class Case:
    builder: Builder
    kind: DocumentKind
    issue: DocumentIssue
    expected_in_body: Callable[[DelegationFacts], list[str]]


CASES = {
    "decision": Case(
        build_delegation_decision,
        DocumentKind.DECISION,
        DocumentIssue(number=15, issued_on=date(2022, 7, 1)),
        lambda f: [m.name for m in f.members] + [m.organisation for m in f.members],
    ),
    "notice": Case(
        build_supervision_notice,
        DocumentKind.NOTICE,
        DocumentIssue(number=16, issued_on=date(2022, 7, 5), recipients=["Đ/c Bí thư Quận ủy"]),
        lambda f: (
            [short_date(s.on) for s in f.schedule]
            + [s.place for s in f.schedule]
            + [short_date(f.report_due) if f.report_due else "?"]
        ),
    ),
    "outline": Case(
        build_report_outline,
        DocumentKind.OUTLINE,
        DocumentIssue(number=None, issued_on=date(2022, 7, 5)),
        lambda f: [i.name for i in f.indicators] + [i.code for i in f.indicators],
    ),
    "results": Case(
        build_results_report,
        DocumentKind.REPORT,
        DocumentIssue(number=30, issued_on=date(2022, 9, 1)),
        lambda f: [x.conclusion for x in f.findings] + [x.details for x in f.findings],
    ),
    "recommendation": Case(
        build_recommendation_letter,
        DocumentKind.RECOMMENDATION,
        DocumentIssue(number=31, issued_on=date(2022, 9, 5)),
        lambda f: (
            [r.text for r in f.recommendations] + [short_date(f.answer_by) if f.answer_by else "?"]
        ),
    ),
}


def _render(case: Case, facts: DelegationFacts) -> tuple[AdministrativeDocument, ReadBack]:
    document = case.builder(facts, case.issue)
    return document, read_back(render_docx(document))


@pytest.mark.parametrize("name", CASES)
def test_header_carries_issuer_number_motto_place_and_date(
    name: str, facts: DelegationFacts
) -> None:
    # given the sample delegation and one document's registration data
    case = CASES[name]
    # when the document is rendered and reopened
    _, read = _render(case, facts)
    # then the left column names the parent body (not bold) above the issuing body (bold)
    left = [p for p in read.header_left if p.text.strip()]
    assert left[0].text == facts.committee.parent.upper()
    assert not is_bold(left[0])
    assert left[1].text == facts.committee.body.upper()
    assert is_bold(left[1])
    number = str(case.issue.number) if case.issue.number else "      "
    symbol = f"{KIND_ABBREVIATIONS[case.kind]}-{facts.committee.symbol_suffix}"
    assert left[2].text == f"Số: {number}/{symbol}"
    # and the right column carries the national motto, bold, then the place and date in italics
    right = [p for p in read.header_right if p.text.strip()]
    assert [p.text for p in right[:2]] == [MOTTO, MOTTO_SUBTITLE]
    assert is_bold(right[0])
    assert is_bold(right[1])
    assert right[2].text == f"{facts.committee.place}, {long_date(case.issue.issued_on)}"
    assert is_italic(right[2])


@pytest.mark.parametrize("name", CASES)
def test_title_body_and_recipients(name: str, facts: DelegationFacts) -> None:
    # given one of the five documents
    case = CASES[name]
    # when it is rendered and reopened
    document, read = _render(case, facts)
    # then the kind title and the title come first, centred and bold
    titled = [p for p in read.body if p.text.strip()]
    assert titled[0].text == KIND_TITLES[case.kind]
    assert titled[1].text == document.title
    assert facts.subject in document.title
    assert is_bold(titled[0])
    assert is_bold(titled[1])
    # and the body carries the facts that document is about
    for expected in case.expected_in_body(facts):
        assert expected in read.body_text, expected
    # and "Nơi nhận:" lists the recipients, extra ones included, ending with the archive copy
    recipients = ReadBack.texts(read.closing_left)
    assert recipients[0] == "Nơi nhận:"
    assert is_bold(read.closing_left[0])
    assert is_italic(read.closing_left[0])
    for extra in case.issue.recipients:
        assert f"- {extra};" in recipients
    assert recipients[-1].startswith("- Lưu: VT")
    assert recipients[-1].endswith(".")
    assert all(line.endswith(";") for line in recipients[1:-1])
    # and the signer block reads capacity, title, then the name
    signer = ReadBack.texts(read.closing_right)
    assert signer == [facts.signer.capacity, facts.signer.title, facts.signer.name]


@pytest.mark.parametrize("name", CASES)
def test_a4_with_nd30_margins_and_times_new_roman(name: str, facts: DelegationFacts) -> None:
    # given a rendered document
    _, read = _render(CASES[name], facts)
    section = read.document.sections[0]
    # then the page is A4 portrait
    assert section.page_width is not None
    assert section.page_height is not None
    assert section.page_width.mm == pytest.approx(210, abs=0.1)
    assert section.page_height.mm == pytest.approx(297, abs=0.1)
    # and the margins fall within ND30's ranges
    margins = {
        "top": (section.top_margin, 20, 25),
        "bottom": (section.bottom_margin, 20, 25),
        "left": (section.left_margin, 30, 35),
        "right": (section.right_margin, 15, 20),
    }
    for side, (value, low, high) in margins.items():
        assert value is not None
        assert low - 0.05 <= value.mm <= high + 0.05, side
    # and body text is Times New Roman at 13-14pt
    body_runs = [r for p in read.body for r in p.runs if r.text.strip()]
    assert body_runs
    assert {r.font.name for r in body_runs} == {"Times New Roman"}
    sizes = {r.font.size.pt for r in body_runs if r.font.size is not None}
    assert sizes
    assert all(13 <= size <= 14 for size in sizes)


def test_body_paragraphs_are_justified_with_first_line_indent(facts: DelegationFacts) -> None:
    # given the decision
    _, read = _render(CASES["decision"], facts)
    # when we look at the article paragraphs ("Điều 1." …)
    articles = [p for p in read.body if p.text.startswith("Điều ")]
    # then there are three, justified, indented, with the article label in bold
    assert [p.text.split(".")[0] for p in articles] == ["Điều 1", "Điều 2", "Điều 3"]
    for paragraph in articles:
        assert paragraph.alignment is not None
        assert paragraph.alignment.name == "JUSTIFY"
        indent = paragraph.paragraph_format.first_line_indent
        assert indent is not None
        assert 10 <= indent.mm <= 12.8
        assert paragraph.runs[0].bold
        assert not paragraph.runs[-1].bold


def test_decision_lists_members_head_first_secretary_last(facts: DelegationFacts) -> None:
    # given a delegation with head, deputy, member and secretary
    _, read = _render(CASES["decision"], facts)
    # when we read the numbered member lines
    lines = [p.text for p in read.body if p.text[:1].isdigit() and "Đồng chí" in p.text]
    # then the head comes first and the secretary last, each with role and organisation
    assert len(lines) == len(facts.members)
    assert facts.head.name in lines[0]
    assert lines[0].endswith("Trưởng đoàn;")
    secretary = facts.by_role(facts.members[-1].role)[0]
    assert secretary.name in lines[-1]
    assert lines[-1].endswith("Thư ký.")


def test_notice_schedule_table_lists_sessions_in_date_order(facts: DelegationFacts) -> None:
    # given a schedule given out of order
    facts.schedule.reverse()
    # when the notice is rendered
    _, read = _render(CASES["notice"], facts)
    # then its schedule table has a header row and one row per session, earliest first
    [table] = read.body_tables()
    assert table[0][0] == "STT"
    ordered = sorted(facts.schedule, key=lambda s: s.on)
    assert [row[1] for row in table[1:]] == [short_date(s.on) for s in ordered]
    assert [row[4] for row in table[1:]] == [s.activity for s in ordered]
    # and the notice is addressed to the supervised body
    assert f"Kính gửi: {facts.supervised.name}" in read.body_text


def test_rendering_is_reproducible(facts: DelegationFacts) -> None:
    # given the same document built twice
    case = CASES["results"]
    # when rendered twice
    first = render_docx(case.builder(facts, case.issue))
    second = render_docx(case.builder(facts, case.issue))
    # then the bytes are identical (no clock in the output)
    assert first == second
