"""The dashboard names what it counts: indicators by their text (code as a tag), months the
Vietnamese way ("tháng 3/2022") or the English way ("March 2022"), one language at a time,
figures in the reader's number style and the suppression rule in words."""

from __future__ import annotations

import html
import re
from datetime import date

import yaml
from tests.unit.documents.rendered import internal_hits

from giamsat.db.scope import system_scope
from giamsat.reports.dashboard import month_name, worded
from giamsat.reports.plan import RULES_DIR
from giamsat.reports.sampledata import generate_activity

COMMUNE = "09964"  # Xã Lại Thượng, Huyện Thạch Thất: no other test reports for it


def _catalogue() -> list[dict[str, str]]:
    path = RULES_DIR / "2022-ha-noi" / "indicators.yaml"
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["indicators"])


def _visible(html: str) -> str:
    """The page's text as read: no tags, no attribute values, no inline SVG."""
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_months_and_figures_are_written_for_the_reader() -> None:
    assert month_name("2026-12", "vi") == "tháng 12/2026"
    assert month_name("2026-12", "en") == "December 2026"
    assert worded(12345, "vi") == "12.345" and worded(12345, "en") == "12,345"
    assert worded("<5", "vi") == "dưới 5" and worded("<5", "en") == "fewer than 5"
    assert worded("≥7", "vi") == "ít nhất 7"


async def test_the_dashboard_names_indicators_and_months_in_one_language(db, factory) -> None:
    # given a year of reports in a commune and its officer
    async with system_scope():
        await generate_activity(
            COMMUNE, signals=40, cases=3, cadres=3, seed=31, start=date(2022, 3, 1), days=120
        )
    officer, _ = await factory.page_client(COMMUNE)
    # when the officer opens the dashboard in Vietnamese
    vi = await officer.get(f"/c/{COMMUNE}/dashboard?period=2022")
    assert vi.status_code == 200
    text = _visible(vi.text)
    # then months read "tháng 3/2022", indicators by their text with the code as a tag
    assert "tháng 3/2022" in text and "2022-03" not in vi.text
    assert re.search(r'class="govuk-tag[^"]*gs-code">(DD|NCT)\d+<', vi.text)
    texts = {i["code"]: " ".join(i["text_vi"].split()) for i in _catalogue()}
    named = re.findall(r'gs-code">([A-Z-]+\d*)</strong>\s*([^<]+)</td>', vi.text)
    assert named, "the indicator series has lines"
    for code, label in named:
        shown = html.unescape(" ".join(label.split())).rstrip("…").strip()
        assert shown != code and texts[code].startswith(shown), (code, shown)
    assert "Phản ánh theo tháng" in text and "không công bố để bảo vệ người phản ánh" in text
    assert internal_hits(text) == [], internal_hits(text)
    # when it switches to English
    await officer.get(f"/language?to=en&next=/c/{COMMUNE}/dashboard")
    en = await officer.get(f"/c/{COMMUNE}/dashboard?period=2022")
    english = _visible(en.text)
    # then the same page is English only: "March 2022", English titles, no Vietnamese months
    assert "March 2022" in english and "tháng 3/2022" not in english
    assert "Signals by month" in english and "Phản ánh theo tháng" not in english
    assert internal_hits(english, enumerations=False) == [], internal_hits(english)
    # and another commune's dashboard shows none of this commune's figures
    other, _ = await factory.page_client("09967")
    theirs = await other.get("/c/09967/dashboard?period=2022")
    assert theirs.status_code == 200 and "tháng 3/2022" not in _visible(theirs.text)
    assert (await other.get(f"/c/{COMMUNE}/dashboard?period=2022")).status_code == 403
