"""Bad input fails with a message that names what is wrong; nothing is rendered."""

from __future__ import annotations

from datetime import date, timedelta

import msgspec
import pytest
from tests.structure.test_error_messages import VIETNAMESE

from giamsat.documents import (
    AdministrativeDocument,
    Column,
    ColumnKind,
    DelegationFacts,
    DocumentError,
    DocumentIssue,
    DocumentKind,
    MemberRole,
    ReportTable,
    Section,
    build_recommendation_letter,
    build_report_outline,
    build_results_report,
    build_supervision_notice,
)
from giamsat.web.i18n import Translator


def _rebuilt(facts: DelegationFacts, **changes: object) -> DelegationFacts:
    """Re-validate facts with changes, as decoding them from a request would."""
    data = msgspec.to_builtins(facts)
    data.update(changes)
    return msgspec.convert(data, DelegationFacts)


def test_delegation_without_head_is_refused(facts: DelegationFacts) -> None:
    # given a delegation whose head has been dropped
    members = [m for m in msgspec.to_builtins(facts.members) if m["role"] != MemberRole.HEAD]
    # when the facts are validated
    with pytest.raises(msgspec.ValidationError, match="exactly one head"):
        _rebuilt(facts, members=members)
    # then constructing directly raises the same clear DocumentError
    with pytest.raises(DocumentError, match="exactly one head; this one has 0"):
        DelegationFacts(**{**msgspec.structs.asdict(facts), "members": facts.members[1:]})


def test_two_heads_are_refused(facts: DelegationFacts) -> None:
    # given a second head
    members = [*facts.members, msgspec.structs.replace(facts.members[0], name="Ngô Văn Em")]
    # when the facts are built
    with pytest.raises(DocumentError, match="this one has 2"):
        msgspec.structs.replace(facts, members=members).__post_init__()


def test_delegation_without_secretary_is_refused(facts: DelegationFacts) -> None:
    # given no secretary
    members = [m for m in facts.members if m.role is not MemberRole.SECRETARY]
    # then the facts are refused
    with pytest.raises(DocumentError, match="secretary"):
        DelegationFacts(**{**msgspec.structs.asdict(facts), "members": members})


def test_period_must_not_run_backwards(facts: DelegationFacts) -> None:
    with pytest.raises(DocumentError, match="after it ends"):
        DelegationFacts(
            **{**msgspec.structs.asdict(facts), "period_start": facts.period_end + timedelta(1)}
        )


def test_notice_issued_too_late_is_refused(facts: DelegationFacts) -> None:
    # given a notice issued 10 days before the first session while 15 are required
    first = min(s.on for s in facts.schedule)
    issue = DocumentIssue(number=16, issued_on=first - timedelta(days=10))
    # when the notice is built
    with pytest.raises(DocumentError) as raised:
        build_supervision_notice(facts, issue)
    # then the message gives the rule and the actual lead time
    assert f"at least {facts.min_notice_days} days" in str(raised.value)
    assert "only 10 days before it" in str(raised.value)


def test_a_refusal_reads_in_one_language_its_readers(facts: DelegationFacts) -> None:
    # given a notice issued 10 days before the first session, and a secretary without a name
    first = min(s.on for s in facts.schedule)
    issue = DocumentIssue(number=16, issued_on=first - timedelta(days=10))
    with pytest.raises(DocumentError) as late:
        build_supervision_notice(facts, issue)
    members = [
        msgspec.structs.replace(m, name=" ") if m.role is MemberRole.SECRETARY else m
        for m in facts.members
    ]
    with pytest.raises(DocumentError) as unnamed:
        msgspec.structs.replace(facts, members=members).__post_init__()
    # when each is read from the catalogue, in Vietnamese and in English
    vi, en = Translator("vi"), Translator("en")
    # then each language says it whole, the dates as dd/mm/yyyy, the role by its name, and the
    # English carries no Vietnamese gloss in brackets any more
    assert vi.gettext(late.value.template, **late.value.params) == (
        f"Thông báo phải được ban hành ít nhất 15 ngày trước buổi làm việc đầu tiên "
        f"({first:%d/%m/%Y}); ban hành ngày {issue.issued_on:%d/%m/%Y} thì chỉ trước 10 ngày."
    )
    assert en.gettext(late.value.template, **late.value.params) == late.value.message
    assert vi.gettext(unnamed.value.template, **unnamed.value.params) == (
        "Một thành viên của đoàn (Thư ký) chưa có họ tên."
    )
    assert unnamed.value.message == "A member of the delegation (Secretary) has no name."
    assert not VIETNAMESE.search(late.value.message + unnamed.value.message)


def test_notice_needs_a_schedule_and_a_sane_report_due_date(facts: DelegationFacts) -> None:
    first = min(s.on for s in facts.schedule)
    issue = DocumentIssue(number=16, issued_on=first - timedelta(days=20))
    with pytest.raises(DocumentError, match="schedule"):
        build_supervision_notice(msgspec.structs.replace(facts, schedule=[]), issue)
    late = msgspec.structs.replace(facts, report_due=first + timedelta(days=1))
    with pytest.raises(DocumentError, match="must fall between"):
        build_supervision_notice(late, issue)


def test_outline_results_and_letter_need_their_content(facts: DelegationFacts) -> None:
    issue = DocumentIssue(number=1, issued_on=date(2022, 9, 5))
    with pytest.raises(DocumentError, match="content item"):
        build_report_outline(msgspec.structs.replace(facts, indicators=[]), issue)
    with pytest.raises(DocumentError, match="finding"):
        build_results_report(msgspec.structs.replace(facts, findings=[]), issue)
    with pytest.raises(DocumentError, match="no recommendations"):
        build_recommendation_letter(msgspec.structs.replace(facts, recommendations=[]), issue)


def test_answer_by_date_must_follow_the_letter(facts: DelegationFacts) -> None:
    # given an answer-by date on the letter's own date
    issue = DocumentIssue(number=31, issued_on=date(2022, 9, 5))
    same_day = msgspec.structs.replace(facts, answer_by=issue.issued_on)
    # then the letter is refused
    with pytest.raises(DocumentError, match="a date to answer by"):
        build_recommendation_letter(same_day, issue)


def _document(**changes: object) -> AdministrativeDocument:
    fields: dict[str, object] = {
        "issuing_parent": "ỦY BAN MTTQ VIỆT NAM\nQUẬN HOÀN KIẾM",
        "issuing_body": "BAN THƯỜNG TRỰC",
        "number": 3,
        "symbol": "TB-MTTQ-BTT",
        "place": "Hoàn Kiếm",
        "issued_on": date(2022, 3, 5),
        "kind": DocumentKind.NOTICE,
        "title": "Về việc giám sát",
        "sections": [Section()],
        "recipients": ["Lưu: VT"],
        "signer_capacity": "TM. BAN THƯỜNG TRỰC",
        "signer_title": "CHỦ TỊCH",
        "signer_name": "Nguyễn Văn A",
    }
    fields.update(changes)
    return msgspec.convert(fields, AdministrativeDocument)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "   "}, "no summary title"),
        ({"issuing_body": ""}, "issuing body"),
        ({"signer_name": ""}, "signer's name"),
        ({"recipients": []}, "no recipients"),
        ({"number": 0}, "must be above zero"),
        ({"signer_capacity": "THAY MẶT"}, "must start with one of TM."),
    ],
)
def test_document_invariants(changes: dict[str, object], message: str) -> None:
    # given a valid document but for one field
    # when it is decoded, then the error names the field
    with pytest.raises(msgspec.ValidationError, match=message):
        _document(**changes)


def test_valid_document_gets_its_kind_title() -> None:
    document = _document()
    assert document.kind_title == "THÔNG BÁO"
    assert document.number_line == "Số: 3/TB-MTTQ-BTT"


def test_table_rows_must_match_columns_and_numbers_must_be_numbers() -> None:
    columns = [Column(header="Đơn vị"), Column(header="Số vụ", kind=ColumnKind.INTEGER)]
    with pytest.raises(DocumentError, match="row 1: 1 cells for 2 columns"):
        ReportTable(key="t", title="T", columns=columns, rows=[["Ba Đình"]])
    with pytest.raises(DocumentError, match="is not a number"):
        ReportTable(key="t", title="T", columns=columns, rows=[["Ba Đình", "mười"]])
    with pytest.raises(DocumentError, match="needs a header"):
        Column(header=" ")
