"""The periodic results report: narrative, figure tables, roll-up coverage."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest
from documents_reading import ReadBack, read_back

from giamsat.documents import (
    DocumentIssue,
    PeriodicReportFacts,
    build_periodic_report,
    render_docx,
)
from giamsat.documents.layout import MOTTO
from giamsat.documents.vndate import long_date

ISSUE = DocumentIssue(number=40, issued_on=date(2022, 12, 10), recipients=["BTT UBTW MTTQ VN"])


def test_periodic_report_reads_back_with_narrative_and_figures(
    periodic: PeriodicReportFacts,
) -> None:
    # given a city's yearly roll-up with one figures table
    # when it is built, rendered and reopened
    document = build_periodic_report(periodic, ISSUE)
    read = read_back(render_docx(document))
    # then the header names the city committee, the number, the motto and the date
    left = ReadBack.texts(read.header_left)
    assert left == [
        periodic.committee.parent.upper(),
        periodic.committee.body.upper(),
        f"Số: {ISSUE.number}/BC-{periodic.committee.symbol_suffix}",
    ]
    right = ReadBack.texts(read.header_right)
    assert right[0] == MOTTO
    assert right[-1] == f"{periodic.committee.place}, {long_date(ISSUE.issued_on)}"
    # and the title says the period
    titled = ReadBack.texts(read.body)
    assert titled[0] == "BÁO CÁO"
    assert titled[1].endswith(f"năm {periodic.year}")
    # and the narrative headings and paragraphs appear in order
    for section in periodic.sections:
        assert section.heading in titled
        for paragraph in section.paragraphs:
            assert paragraph in titled
    # and the lower committees covered are named
    for name in periodic.covered_committees:
        assert name in read.body_text
    # and the figures table holds every header and figure (Vietnamese thousands dot)
    [table] = read.body_tables()
    source = periodic.tables[0]
    assert table[0] == [c.header for c in source.columns]
    assert len(table) == 1 + len(source.rows)
    for printed, row in zip(table[1:], source.rows, strict=True):
        assert printed[1] == row[1]
        assert printed[3] == f"{row[3]:,}".replace(",", ".")
    # and the extra recipient is listed
    assert f"- {ISSUE.recipients[0]};" in ReadBack.texts(read.closing_left)


def test_period_label_overrides_the_year(periodic: PeriodicReportFacts) -> None:
    half = msgspec.structs.replace(periodic, period_label="6 tháng đầu năm 2022")
    document = build_periodic_report(half, ISSUE)
    assert document.title.endswith("6 tháng đầu năm 2022")


def test_report_with_nothing_to_say_is_refused(periodic: PeriodicReportFacts) -> None:
    data = msgspec.to_builtins(periodic)
    data.update(sections=[], tables=[])
    with pytest.raises(msgspec.ValidationError, match="neither narrative nor tables"):
        msgspec.convert(data, PeriodicReportFacts)


def test_duplicate_table_keys_are_refused(periodic: PeriodicReportFacts) -> None:
    data = msgspec.to_builtins(periodic)
    data["tables"] = data["tables"] * 2
    with pytest.raises(msgspec.ValidationError, match="share one key: “KẾT QUẢ GIÁM SÁT CỦA MTTQ"):
        msgspec.convert(data, PeriodicReportFacts)


def test_year_out_of_range_is_refused(periodic: PeriodicReportFacts) -> None:
    data = msgspec.to_builtins(periodic)
    data["year"] = 22
    with pytest.raises(msgspec.ValidationError, match="not between 2000 and 2100"):
        msgspec.convert(data, PeriodicReportFacts)


def test_facts_round_trip_through_json(periodic: PeriodicReportFacts) -> None:
    # given facts sent over the wire as JSON (the lead's services store and replay them)
    decoded = msgspec.json.decode(msgspec.json.encode(periodic), type=PeriodicReportFacts)
    # then they build the same document
    assert build_periodic_report(decoded, ISSUE) == build_periodic_report(periodic, ISSUE)
