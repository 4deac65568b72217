"""Illustrative facts for the demo, the ``giamsat documents sample`` command and tests.

Names of people and bodies are invented; the committee, plan and indicators follow the
2022 Hà Nội supervision plan.
"""

from __future__ import annotations

from datetime import date

from giamsat.documents.delegation import (
    DelegationFacts,
    DelegationMember,
    Finding,
    Indicator,
    MemberRole,
    Recommendation,
    ScheduleItem,
    SupervisedBody,
    build_delegation_decision,
    build_recommendation_letter,
    build_report_outline,
    build_results_report,
    build_supervision_notice,
)
from giamsat.documents.issuing import Committee, DocumentIssue, Signer
from giamsat.documents.layout import render_docx
from giamsat.documents.model import Column, ColumnKind, ReportTable
from giamsat.documents.periodic import (
    NarrativeSection,
    PeriodicReportFacts,
    build_periodic_report,
)
from giamsat.documents.wording import WordingTemplates
from giamsat.documents.workbook import write_workbook

HANOI = Committee(
    parent="ỦY BAN MTTQ VIỆT NAM\nTHÀNH PHỐ HÀ NỘI",
    full_name="Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội",
    place="Hà Nội",
)
VICE_CHAIR = Signer(capacity="TM. BAN THƯỜNG TRỰC", title="PHÓ CHỦ TỊCH", name="Nguyễn Văn An")
PLAN_2022 = (
    "Kế hoạch số 250/KH-MTTQ-BTT ngày 05/3/2022 của Ban Thường trực Ủy ban Mặt trận Tổ quốc "
    "Việt Nam thành phố Hà Nội về giám sát việc tu dưỡng, rèn luyện đạo đức, lối sống của "
    "người đứng đầu, cán bộ chủ chốt và cán bộ, đảng viên năm 2022"
)


def delegation_facts() -> DelegationFacts:
    """A complete delegation: members, schedule, indicators, findings, recommendations."""
    return DelegationFacts(
        committee=HANOI,
        signer=VICE_CHAIR,
        plan_reference=PLAN_2022,
        subject="việc tu dưỡng, rèn luyện đạo đức, lối sống của người đứng đầu, cán bộ chủ chốt",
        supervised=SupervisedBody(name="Ban Thường vụ Quận ủy Hoàn Kiếm"),
        members=[
            DelegationMember(
                name="Trần Thị Bình",
                role=MemberRole.HEAD,
                position="Phó Chủ tịch",
                organisation="Ủy ban MTTQ Việt Nam thành phố Hà Nội",
            ),
            DelegationMember(
                name="Lê Văn Cường",
                role=MemberRole.DEPUTY,
                position="Trưởng Ban Dân chủ - Pháp luật",
                organisation="Ủy ban MTTQ Việt Nam thành phố Hà Nội",
            ),
            DelegationMember(
                name="Phạm Thu Dung",
                role=MemberRole.MEMBER,
                position="Phó Chủ tịch",
                organisation="Liên đoàn Lao động thành phố Hà Nội",
            ),
            DelegationMember(
                name="Hoàng Minh Đức",
                role=MemberRole.SECRETARY,
                position="Chuyên viên Ban Dân chủ - Pháp luật",
                organisation="Ủy ban MTTQ Việt Nam thành phố Hà Nội",
            ),
        ],
        period_start=date(2021, 1, 1),
        period_end=date(2022, 6, 30),
        schedule=[
            ScheduleItem(
                on=date(2022, 8, 10),
                time="8h30",
                place="Trụ sở Quận ủy Hoàn Kiếm",
                activity="Làm việc với Ban Thường vụ Quận ủy",
            ),
            ScheduleItem(
                on=date(2022, 8, 11),
                time="14h00",
                place="UBND phường Hàng Trống",
                activity="Khảo sát tại cơ sở",
            ),
        ],
        report_due=date(2022, 8, 1),
        indicators=[
            Indicator(code="DD3", name="Kê khai tài sản, thu nhập không trung thực"),
            Indicator(code="DD5", name="Quan liêu, xa rời quần chúng, không sâu sát cơ sở"),
        ],
        findings=[
            Finding(
                indicator_code="DD3",
                indicator_name="Kê khai tài sản, thu nhập không trung thực",
                conclusion="Không phát hiện biểu hiện vi phạm",
                details="Việc kê khai được thực hiện đúng thời hạn, công khai tại cơ quan.",
            ),
            Finding(
                indicator_code="DD5",
                indicator_name="Quan liêu, xa rời quần chúng, không sâu sát cơ sở",
                conclusion="Có hạn chế cần khắc phục",
                details="Việc tiếp công dân định kỳ chưa đều đặn ở một số phường.",
            ),
        ],
        recommendations=[
            Recommendation(text="Chỉ đạo thực hiện nghiêm việc tiếp công dân định kỳ."),
            Recommendation(
                text="Công khai kết quả khắc phục tại hội nghị cán bộ chủ chốt.",
                addressee="Thường trực Quận ủy",
            ),
        ],
        answer_by=date(2022, 10, 14),
        decision_reference="Quyết định số 15/QĐ-MTTQ-BTT ngày 01/7/2022",
        contact="đồng chí Hoàng Minh Đức, Ban Dân chủ - Pháp luật, điện thoại 024 3825 0000",
    )


def rollup_table() -> ReportTable:
    """Figures per district, as a city's roll-up would tabulate them."""
    return ReportTable(
        key="so_lieu_quan_huyen",
        title="KẾT QUẢ GIÁM SÁT CỦA MTTQ CÁC QUẬN, HUYỆN, THỊ XÃ",
        sheet_name="Quận, huyện",
        columns=[
            Column(header="STT", kind=ColumnKind.INTEGER, width=8),
            Column(header="Đơn vị", width=24),
            Column(header="Số cuộc giám sát", kind=ColumnKind.INTEGER, width=12),
            Column(header="Số cán bộ được giám sát", kind=ColumnKind.INTEGER, width=14),
            Column(header="Số kiến nghị", kind=ColumnKind.INTEGER, width=12),
            Column(header="Tỷ lệ kiến nghị được trả lời", kind=ColumnKind.PERCENT, width=14),
        ],
        rows=[
            [1, "Quận Hoàn Kiếm", 12, 1530, 18, 0.889],
            [2, "Quận Ba Đình", 9, 1275, 11, 0.818],
            [3, "Huyện Sóc Sơn", 15, 2040, 25, 0.72],
        ],
        note="Nguồn: báo cáo của Ban Thường trực Ủy ban MTTQ các quận, huyện, thị xã.",
    )


def periodic_facts() -> PeriodicReportFacts:
    """A city's yearly roll-up report with one figures table."""
    table = rollup_table()
    return PeriodicReportFacts(
        committee=HANOI,
        signer=VICE_CHAIR,
        year=2022,
        plan_reference=PLAN_2022,
        sections=[
            NarrativeSection(
                heading="I. CÔNG TÁC TRIỂN KHAI",
                paragraphs=["Ban Thường trực đã ban hành kế hoạch và hướng dẫn các cấp."],
            ),
            NarrativeSection(
                heading="II. KẾT QUẢ GIÁM SÁT",
                paragraphs=["Mặt trận các cấp đã tổ chức giám sát theo kế hoạch."],
            ),
        ],
        tables=[table],
        covered_committees=[str(row[1]) for row in table.rows],
    )


def sample_documents(templates: WordingTemplates | None = None) -> dict[str, bytes]:
    """Every document the package builds, rendered from the sample facts, by file name."""
    facts = delegation_facts()
    builds = {
        "1-quyet-dinh-thanh-lap-doan.docx": build_delegation_decision(
            facts, DocumentIssue(number=15, issued_on=date(2022, 7, 1)), templates
        ),
        "2-thong-bao-giam-sat.docx": build_supervision_notice(
            facts, DocumentIssue(number=16, issued_on=date(2022, 7, 5)), templates
        ),
        "3-de-cuong-bao-cao.docx": build_report_outline(
            facts, DocumentIssue(number=None, issued_on=date(2022, 7, 5)), templates
        ),
        "4-bao-cao-ket-qua-giam-sat.docx": build_results_report(
            facts, DocumentIssue(number=30, issued_on=date(2022, 9, 1)), templates
        ),
        "5-van-ban-kien-nghi.docx": build_recommendation_letter(
            facts, DocumentIssue(number=31, issued_on=date(2022, 9, 5)), templates
        ),
        "bao-cao-dinh-ky-2022.docx": build_periodic_report(
            periodic_facts(), DocumentIssue(number=40, issued_on=date(2022, 12, 10)), templates
        ),
    }
    rendered = {name: render_docx(document) for name, document in builds.items()}
    rendered["so-lieu-2022.xlsx"] = write_workbook([rollup_table()])
    return rendered
