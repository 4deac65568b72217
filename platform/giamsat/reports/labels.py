"""Vietnamese (and English) labels of figure keys for pages and documents."""

from __future__ import annotations

_FIXED: dict[str, tuple[str, str]] = {
    "cadres.supervised": ("Cán bộ, đảng viên được giám sát", "Cadres supervised"),
    "cases.opened": ("Vụ việc đã mở", "Cases opened"),
    "cases.answered": ("Vụ việc đã được trả lời", "Cases answered"),
    "cases.overdue": ("Vụ việc quá hạn trả lời", "Cases overdue"),
    "delegations.formed": ("Đoàn giám sát đã thành lập", "Delegations formed"),
    "recommendations.issued": ("Kiến nghị sau giám sát", "Recommendations issued"),
    "recommendations.answered": ("Kiến nghị đã được trả lời", "Recommendations answered"),
}
_PREFIXES: list[tuple[str, tuple[str, str]]] = [
    ("signals.channel.", ("Phản ánh qua kênh", "Signals via channel")),
    ("signals.indicator.", ("Phản ánh về biểu hiện", "Signals on indicator")),
    ("findings.", ("Biểu hiện được xác định", "Findings of indicator")),
    ("residence_comments.", ("Nhận xét nơi cư trú – kết quả", "Residence comments – result")),
    ("partners.", ("Báo cáo tổ chức thành viên", "Partner report")),
]
CHANNEL_NAMES = {"workplace": "Nơi làm việc", "residence": "Nơi cư trú", "citizen": "Công dân"}


def figure_label(key: str, lang: str = "vi") -> str:
    index = 1 if lang == "en" else 0
    if key in _FIXED:
        return _FIXED[key][index]
    for prefix, names in _PREFIXES:
        if key.startswith(prefix):
            rest = key[len(prefix) :]
            return f"{names[index]} {CHANNEL_NAMES.get(rest, rest) if index == 0 else rest}"
    return key


STATUS_LABELS: dict[str, tuple[str, str]] = {
    "submitted": ("Đã gửi", "Submitted"),
    "late": ("Gửi muộn", "Submitted late"),
    "missing": ("Chưa gửi (quá hạn)", "Missing"),
    "pending": ("Chưa gửi (còn hạn)", "Not yet due"),
    "draft": ("Dự thảo", "Draft"),
}


def status_label(status: str, lang: str = "vi") -> str:
    return STATUS_LABELS.get(status, (status, status))[1 if lang == "en" else 0]
