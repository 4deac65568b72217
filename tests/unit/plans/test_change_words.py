"""A simulated change reads as words: levels, priorities and rules by name, no Python lists."""

from __future__ import annotations

from pathlib import Path

from giamsat.plans.pack_words import change_words, pack_view
from giamsat.rulepacks.loader import read_pack

PACK = Path(__file__).resolve().parents[3] / "rules" / "2022-ha-noi"


def test_a_change_is_told_in_words_in_each_language() -> None:
    # given the 2022 pack and a decision that now opens a high-priority case at the district
    loaded = read_pack(PACK)
    changes = {
        "open_case": [False, True],
        "priority": ["normal", "high"],
        "route_to_level": ["commune", "district"],
        "fired": [["route-commune"], ["corruption-signal", "route-district"]],
        "clocks": [{}, {"answer": 20}],
    }
    # when it is told in Vietnamese and in English
    vi = change_words(changes, pack_view(loaded, "vi"), "vi")
    en = change_words(changes, pack_view(loaded, "en"), "en")
    # then each part reads as words, never as codes or lists
    assert ("Mức ưu tiên", "Bình thường", "Cao") in vi
    assert ("Cấp nhận vụ việc", "Xã, phường, thị trấn", "Quận, huyện, thị xã") in vi
    assert ("Mở vụ việc", "Không", "Có") in vi
    assert ("Priority", "Normal", "High") in en
    text = " ".join(" ".join(t) for t in vi)
    assert "Phản ánh, tố cáo về tham nhũng" in text
    assert "[" not in text and "route-district" not in text and "answer" not in text
