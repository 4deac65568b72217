"""The signer chosen at the decision is the one on every document; names keep their diacritics."""

from __future__ import annotations

import io
from urllib.parse import unquote

import docx

from giamsat.web.downloads import ascii_fallback, content_disposition
from tests.integration.delegations.test_delegation_api import MEMBERS, _ok, _planned


def _all_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [
        p.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
    ]
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


def _utf8_name(header: str) -> str:
    encoded = header.split("filename*=UTF-8''", 1)[1].split(";", 1)[0]
    return unquote(encoded)


async def test_decision_carries_the_committee_signer_and_a_vietnamese_file_name(db, factory):
    # given a delegation of Quận Tây Hồ (005) whose Chairwoman signs for the standing board
    client, _ = await factory.api_client("005")
    delegation = await _planned(client)
    await _ok(
        await client.post(
            f"/api/v1/delegations/{delegation}/decision",
            json={
                "decided_on": "2022-07-01",
                "number": 21,
                "members": MEMBERS,
                "signer_name": "Đỗ Thị Hạnh",
                "signer_title": "CHỦ TỊCH",
                "signer_capacity": "TM. BAN THƯỜNG TRỰC",
            },
        )
    )
    shown = await _ok(await client.get(f"/api/v1/delegations/{delegation}"))
    assert (shown["signer_title"], shown["signer_name"]) == ("CHỦ TỊCH", "Đỗ Thị Hạnh")
    # when the decision is downloaded
    resp = await client.get(f"/api/v1/delegations/{delegation}/documents/decision")
    assert resp.status_code == 200, resp.text
    # then the signature block names her title and name, not the default deputy's
    text = _all_text(resp.content)
    assert "CHỦ TỊCH" in text and "Đỗ Thị Hạnh" in text and "PHÓ CHỦ TỊCH" not in text
    # and the file name is the Vietnamese title (RFC 5987), with an ASCII fallback
    header = resp.headers["content-disposition"]
    assert header.startswith("attachment; ")
    assert _utf8_name(header) == "Quyết định thành lập Đoàn giám sát số 21.docx"
    assert f'filename="quyet-dinh-thanh-lap-doan-{delegation}.docx"' in header
    assert header.isascii()
    # and another district's officer cannot download it
    other, _ = await factory.api_client("006")
    refused = await other.get(f"/api/v1/delegations/{delegation}/documents/decision")
    assert refused.status_code == 404


def test_content_disposition_strips_unsafe_characters_and_folds_the_fallback():
    # given a name with a slash, a quote
    name = 'Báo cáo "kết quả" 1/2.docx'
    # when the header is built
    header = content_disposition(name)
    # then the fallback is plain ASCII and the UTF-8 name keeps its letters, never the slash
    assert 'filename="bao-cao-ket-qua-1-2.docx"' in header
    assert _utf8_name(header) == "Báo cáo kết quả 1 2.docx"
    assert ascii_fallback("Đề cương báo cáo.docx") == "de-cuong-bao-cao.docx"
