"""The words staff read for the values a pack uses (kênh, loại thông tin, cấp quản lý …).

A pack stores short codes (``workplace``, ``key_official``); a plan editor, a workbook or a
page shows the Vietnamese (or English) word and reads it back. Channels installed by partners
have no entry here: their code is shown until the platform knows the channel's own name.
"""

from __future__ import annotations

from typing import Final

Words = dict[str, tuple[str, str]]

CHANNELS: Final[Words] = {
    "workplace": ("Nơi làm việc (Công đoàn)", "Workplace (trade union)"),
    "residence": ("Nơi cư trú (Ban công tác Mặt trận)", "Residence (Front work committee)"),
    "citizen": ("Phản ánh của Nhân dân", "Citizens' reports"),
    "press": ("Báo chí", "Press"),
    "suggestion_box": ("Hòm thư góp ý", "Suggestion box"),
    "survey": ("Phiếu khảo sát", "Survey form"),
    "organisation": ("Tổ chức, đoàn thể", "Member organisations"),
    "feedback_q99": ("Góp ý theo Quyết định 99", "Feedback under Decision 99"),
    "staff_entry": ("Cán bộ Mặt trận nhập", "Entered by Front staff"),
}

SIGNAL_KINDS: Final[Words] = {
    "report": ("Phản ánh", "Report"),
    "complaint": ("Khiếu nại", "Complaint"),
    "denunciation": ("Tố cáo", "Denunciation"),
    "feedback": ("Góp ý", "Feedback"),
    "survey": ("Phiếu khảo sát", "Survey"),
    "assessment": ("Đánh giá", "Assessment"),
}

FLAGS: Final[Words] = {
    "corruption": ("Tham nhũng", "Corruption"),
    "press": ("Báo chí nêu", "In the press"),
    "anonymous": ("Nặc danh", "Anonymous"),
    "complex": ("Vụ việc phức tạp", "Complex case"),
}

MANAGING_LEVELS: Final[Words] = {
    "central": ("Trung ương quản lý", "Centrally managed"),
    "province": ("Tỉnh ủy, Thành ủy quản lý", "Province-managed"),
    "district": ("Cấp ủy huyện quản lý", "District-managed"),
    "commune": ("Đảng ủy xã, phường quản lý", "Commune-managed"),
    "residence_party_cell": ("Chi bộ nơi cư trú", "Residence party cell"),
}

POSITIONS: Final[Words] = {
    "head": ("Người đứng đầu", "Head"),
    "key_official": ("Cán bộ chủ chốt", "Key official"),
    "cadre": ("Cán bộ", "Cadre"),
    "party_member": ("Đảng viên", "Party member"),
}

PRIORITIES: Final[Words] = {
    "low": ("Thấp", "Low"),
    "normal": ("Bình thường", "Normal"),
    "high": ("Cao", "High"),
}

ON_OVERDUE: Final[Words] = {
    "escalate_to_parent": ("Chuyển lên cấp trên", "Escalate to the parent committee"),
    "remind": ("Chỉ nhắc", "Remind only"),
}

YES_NO: Final[Words] = {"true": ("Có", "Yes"), "false": ("Không", "No")}

GROUP_BY: Final[Words] = {
    "indicator": ("Biểu hiện", "Indicator"),
    "channel": ("Kênh", "Channel"),
    "kind": ("Loại thông tin", "Kind"),
    "level": ("Cấp", "Level"),
}


def word(words: Words, code: str, language: str = "vi") -> str:
    """The word for ``code`` (the code itself when there is none)."""
    pair = words.get(code)
    if pair is None:
        return code
    return pair[0] if language == "vi" else pair[1]


def code_for(words: Words, text: str) -> str | None:
    """The code a word stands for, in either language or as the code itself; else None."""
    wanted = " ".join(text.split()).casefold()
    for code, (vi, en) in words.items():
        if wanted in (code.casefold(), vi.casefold(), en.casefold()):
            return code
    return None
