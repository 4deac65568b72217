"""The standing board's heading and signature, and a list's "made on" line, in both languages."""

from __future__ import annotations

import datetime as dt

from giamsat.documents.heading import made_on, standing_board
from giamsat.web.i18n import Translator


def test_a_board_paper_names_the_front_committee_above_its_standing_board() -> None:
    # given the commune Xã Tam Hiệp
    name = "Xã Tam Hiệp"
    # when its standing board's heading is asked for in Vietnamese and in English
    vi, en = standing_board(Translator("vi"), name), standing_board(Translator("en"), name)
    # then the committee sits above the board, its name in capitals, signed by the chair
    assert vi.issuing_parent == "ỦY BAN MTTQ VIỆT NAM\nXÃ TAM HIỆP"
    assert (vi.issuing_body, vi.signer_capacity, vi.signer_title) == (
        "BAN THƯỜNG TRỰC", "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"
    )  # fmt: skip
    assert en.issuing_parent == "VIETNAM FATHERLAND FRONT COMMITTEE\nXÃ TAM HIỆP"
    assert en.issuing_body == "STANDING BOARD" and en.signer_title == "CHAIR"


def test_a_list_is_made_on_a_long_vietnamese_date_or_a_short_english_one() -> None:
    # given 26 February 2025
    day = dt.date(2025, 2, 26)
    # when the title block's last line is written in each language
    # then Vietnamese spells the date out, English writes it day first
    assert made_on(Translator("vi"), day) == "Lập ngày 26 tháng 02 năm 2025"
    assert made_on(Translator("en"), day) == "Made on 26/02/2025"
