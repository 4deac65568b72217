"""Documents ready to sign, end to end through the app on SQLite and PostgreSQL.

A commune officer writes the results report's narrative, recipients and signer in the draft
form (a refused submission comes back with the error summary and the text kept), downloads it
as Word, PDF and Excel, and finds every section, the recipients, the signer, the suppression
rule in words and figures set the Vietnamese way. Every document and workbook the app makes
(the period report by page and API, the five delegation documents, the plan draft workbook)
is read back and shows no internal value. Another committee downloads none of them (404).
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import docx
import openpyxl
from tests.factories import csrf
from tests.integration.delegations.test_delegation_api import MEMBERS, PLAN, _ok
from tests.unit.documents.rendered import (
    converter_missing,
    docx_text,
    internal_hits,
    misaligned_numbers,
    misaligned_xlsx_numbers,
    must_convert,
    pdf_pages,
    squeeze,
    word_pdf_pages,
    xlsx_text,
)

from giamsat.db.scope import system_scope
from giamsat.reports.labels import threshold_sentence
from giamsat.reports.plan import load_plan
from giamsat.reports.sampledata import generate_activity
from giamsat.reports.tables import ReportSubmission

COMMUNE = "09958"  # Xã Đại Đồng, Huyện Thạch Thất: no other test reports for it
OTHER_COMMUNE = "09961"  # Xã Cẩm Yên, same district
DISTRICT = "276"  # Huyện Thạch Thất
OTHER_DISTRICT = "277"
NARRATIVE = {
    "strengths": "Ban Thường trực đã ban hành kế hoạch và tổ chức giám sát đúng tiến độ.",
    "shortcomings": "Một số chi hội chưa gửi báo cáo đúng hạn.",
    "causes": "Cán bộ kiêm nhiệm nhiều việc.\nKinh phí còn hạn chế.",
    "proposals": "Đề nghị Huyện hỗ trợ tập huấn cho cán bộ cơ sở.",
}
CLOSING = {
    "recipients": "Ban Thường trực Ủy ban MTTQ Việt Nam Huyện Thạch Thất\nĐảng ủy xã Đại Đồng",
    "signer_capacity": "KT. CHỦ TỊCH",
    "signer_title": "PHÓ CHỦ TỊCH",
    "signer_name": "Đỗ Thị Minh Hằng",
}


def _closing_block(content: bytes) -> tuple[list[str], list[str]]:
    closing = docx.Document(io.BytesIO(content)).tables[-1].rows[0].cells
    return (
        [p.text for p in closing[0].paragraphs if p.text.strip()],
        [p.text for p in closing[1].paragraphs if p.text.strip()],
    )


async def test_the_results_report_carries_the_drafts_sections_recipients_and_signer(
    db, factory
) -> None:
    # given activity in the commune in 2022 and its officer on the reports page
    async with system_scope():
        await generate_activity(
            COMMUNE, signals=14, cases=3, cadres=2, seed=21, start=date(2022, 2, 1), days=200
        )
    officer, _ = await factory.page_client(COMMUNE, "democracy_law")
    form = await officer.get(f"/c/{COMMUNE}/reports?period=2022")
    assert form.status_code == 200
    for field in ("section-causes", "recipients", "signer-capacity", "signer-name"):
        assert f'id="{field}"' in form.text, field
    # when the officer sends it with a required section left empty
    refused = await officer.post(
        f"/c/{COMMUNE}/reports/submit",
        data={
            "_csrf_token": csrf(officer),
            "period": "2022",
            **NARRATIVE,
            "shortcomings": "",
            **CLOSING,
        },
    )
    # then the same page comes back with the error summary and everything typed, nothing sent
    assert refused.status_code == 422
    assert "govuk-error-summary" in refused.text and "Tồn tại, hạn chế" in refused.text
    assert NARRATIVE["strengths"] in refused.text and CLOSING["signer_name"] in refused.text
    assert "Đảng ủy xã Đại Đồng" in refused.text
    assert '<option value="KT. CHỦ TỊCH" selected>' in refused.text
    async with system_scope():
        assert (
            await ReportSubmission.count().where(
                ReportSubmission.tenant_path.like("%/" + COMMUNE + "/%")
                | ReportSubmission.tenant_path.like("%/" + COMMUNE)
            )
            == 0
        )
    # when it saves the whole draft instead, and downloads the Word report
    saved = await officer.post(
        f"/c/{COMMUNE}/reports/draft",
        data={"_csrf_token": csrf(officer), "period": "2022", **NARRATIVE, **CLOSING},
    )
    assert saved.status_code in (302, 303)
    again = await officer.get(f"/c/{COMMUNE}/reports?period=2022")
    assert NARRATIVE["causes"].splitlines()[1] in again.text
    assert CLOSING["signer_name"] in again.text
    word = await officer.get(f"/c/{COMMUNE}/reports/export.docx?period=2022")
    assert word.status_code == 200
    text = docx_text(word.content)
    # then it has every narrative section under its heading, in the plan's order
    headings = [
        "1. ƯU ĐIỂM, KẾT QUẢ ĐẠT ĐƯỢC",
        "2. TỒN TẠI, HẠN CHẾ",
        "3. NGUYÊN NHÂN",
        "4. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    body = [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs]
    assert [h for h in body if h in headings] == headings
    for section in NARRATIVE.values():
        for paragraph in section.splitlines():
            assert paragraph in body, paragraph
    # and "Nơi nhận" lists the recipients entered, then the archive; the signer as entered
    recipients, signer = _closing_block(word.content)
    assert recipients == [
        "Nơi nhận:",
        "- Ban Thường trực Ủy ban MTTQ Việt Nam Huyện Thạch Thất;",
        "- Đảng ủy xã Đại Đồng;",
        "- Lưu: VT, Ban Dân chủ - Pháp luật.",
    ]
    assert signer == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Đỗ Thị Minh Hằng"]
    # and the suppression rule is a sentence from the plan's threshold, never "<N"
    threshold = load_plan().suppression_threshold
    assert threshold_sentence(threshold) in text
    assert re.search(r"<\s*\d", text) is None and "<N" not in text
    # and the API shows the same closing; submitting through it keeps the draft's signer
    api, _ = await factory.api_client(COMMUNE)
    draft = (await api.get("/api/v1/reports/2022/draft")).json()
    assert draft["closing"]["signer_name"] == CLOSING["signer_name"]
    sent = await api.post("/api/v1/reports/2022/submissions", json={"narrative": NARRATIVE})
    assert sent.status_code == 201, sent.text
    after = await officer.get(f"/c/{COMMUNE}/reports/export.docx?period=2022")
    assert _closing_block(after.content)[1] == signer
    # and another commune of the district gets none of it: its own report holds nothing of
    # this one, and this commune's address answers 403 (the /c/{code} guard, before any data)
    other, _ = await factory.page_client(OTHER_COMMUNE, "democracy_law")
    for kind in ("docx", "xlsx", "pdf"):
        foreign = await other.get(f"/c/{COMMUNE}/reports/export.{kind}?period=2022")
        assert foreign.status_code == 403 and CLOSING["signer_name"] not in foreign.text
    theirs = await other.get(f"/c/{OTHER_COMMUNE}/reports/export.docx?period=2022")
    assert theirs.status_code == 200 and "Đỗ Thị Minh Hằng" not in docx_text(theirs.content)
    elsewhere = await other.get(f"/c/{OTHER_COMMUNE}/reports?period=2022")
    assert CLOSING["signer_name"] not in elsewhere.text


async def _delegation(client: Any) -> int:
    """A delegation of the district through to its letter, one member with no post."""
    members = [
        *MEMBERS,
        {"full_name": "Vũ Thị Hoa", "role": "member", "position": "", "organisation": ""},
    ]
    made = await _ok(await client.post("/api/v1/delegations", json=PLAN))
    base = f"/api/v1/delegations/{made['id']}"
    steps: list[tuple[str, dict[str, Any]]] = [
        (
            "decision",
            {
                "decided_on": "2022-07-01",
                "number": 15,
                "members": members,
                "signer_name": "Nguyễn Văn An",
            },
        ),
        (
            "notice",
            {
                "notice_on": "2022-07-05",
                "number": 16,
                "report_due": "2022-08-01",
                "sessions": [
                    {"held_on": "2022-08-10", "place": "Trụ sở Đảng ủy", "activity": "Làm việc"}
                ],
            },
        ),
        ("report", {"received_on": "2022-08-01"}),
    ]
    for step, body in steps:
        shown = await _ok(await client.post(f"{base}/{step}", json=body))
    for session in shown["sessions"]:
        await _ok(
            await client.post(
                f"{base}/minutes", json={"session_id": session["id"], "minutes": "Biên bản"}
            )
        )
    await _ok(
        await client.post(
            f"{base}/results",
            json={
                "results_on": "2022-09-01",
                "number": 30,
                "findings": [
                    {
                        "indicator_code": "DD3",
                        "indicator_name": "Kê khai tài sản, thu nhập không trung thực",
                        "conclusion": "Có hạn chế cần khắc phục",
                    }
                ],
            },
        )
    )
    await _ok(
        await client.post(
            f"{base}/letter",
            json={
                "letter_on": "2022-09-05",
                "number": 31,
                "recommendations": [{"text": "Kê khai đúng hạn."}],
            },
        )
    )
    return int(made["id"])


async def test_every_document_and_workbook_the_app_makes_names_things_for_people(
    db, factory
) -> None:
    # given a district with a complete delegation and a year of activity below it
    async with system_scope():
        await generate_activity(
            OTHER_COMMUNE, signals=9, cases=2, cadres=2, seed=22, start=date(2022, 3, 1), days=150
        )
    api, _ = await factory.api_client(DISTRICT)
    officer, _ = await factory.page_client(DISTRICT)
    delegation = await _delegation(api)
    # when every file is downloaded, through the pages and through the API
    words: dict[str, bytes] = {}
    books: dict[str, bytes] = {}
    pdfs: dict[str, bytes] = {}
    for name in ("decision", "notice", "outline", "results", "letter"):
        for via, client, url in (
            ("api", api, f"/api/v1/delegations/{delegation}/documents/{name}"),
            ("page", officer, f"/c/{DISTRICT}/delegations/{delegation}/documents/{name}"),
        ):
            resp = await client.get(url)
            assert resp.status_code == 200, (url, resp.text)
            words[f"{name} ({via})"] = resp.content
    for via, client, base in (
        ("api", api, "/api/v1/reports/2022"),
        ("page", officer, f"/c/{DISTRICT}/reports"),
    ):
        query = "" if via == "api" else "?period=2022"
        words[f"report ({via})"] = (await client.get(f"{base}/export.docx{query}")).content
        books[f"report ({via})"] = (await client.get(f"{base}/export.xlsx{query}")).content
        pdf = await client.get(f"{base}/export.pdf{query}")
        if pdf.status_code == 200:
            pdfs[f"report ({via})"] = pdf.content
        else:
            assert pdf.status_code == 503 and converter_missing(), pdf.text
    # then no Word file, workbook or PDF shows an enumeration value or a snake_case key
    assert len(words) == 12 and len(books) == 2
    for label, content in words.items():
        assert internal_hits(docx_text(content)) == [], label
    for label, content in books.items():
        assert internal_hits(xlsx_text(content)) == [], label
        assert misaligned_xlsx_numbers(content) == [], label
        book = openpyxl.load_workbook(io.BytesIO(content))
        assert "Đơn vị trực thuộc" in book.sheetnames and "Don vi" not in book.sheetnames
        first = book.worksheets[0]
        top = [first.cell(row, 1).value for row in range(1, 5)]
        assert top[0] == "BAN THƯỜNG TRỰC ỦY BAN MTTQ VIỆT NAM HUYỆN THẠCH THẤT"
        assert top[2] == "Kỳ báo cáo: Năm 2022" and "ngày" in str(top[3])
    for label in ("report (api)", "report (page)"):
        assert misaligned_numbers(words[label]) == [], label
    # and the decision names the member without a post without empty parts
    decision = docx_text(words["decision (api)"])
    assert "Đồng chí Vũ Thị Hoa - Thành viên;" in decision and ", ," not in decision
    # and rendered to PDF (as the server does) each reads the same, the signature kept
    missing = converter_missing()
    if missing:
        assert not must_convert(), missing
    else:
        for label, content in {**pdfs, "decision": words["decision (api)"]}.items():
            pages = pdf_pages(content) if label in pdfs else word_pdf_pages(content)
            assert internal_hits("\n".join(pages)) == [], label
            assert "Nơinhận" in squeeze(pages[-1]) and "./." in pages[-1], label
    # and another district downloads none of them: the delegation's documents are 404 under
    # its own address and through the API; the district's own address answers 403
    stranger_api, _ = await factory.api_client(OTHER_DISTRICT)
    stranger, _ = await factory.page_client(OTHER_DISTRICT)
    for name in ("decision", "results"):
        assert (
            await stranger_api.get(f"/api/v1/delegations/{delegation}/documents/{name}")
        ).status_code == 404
        assert (
            await stranger.get(f"/c/{OTHER_DISTRICT}/delegations/{delegation}/documents/{name}")
        ).status_code == 404
        assert (
            await stranger.get(f"/c/{DISTRICT}/delegations/{delegation}/documents/{name}")
        ).status_code == 403
