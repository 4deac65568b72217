"""Page texts in Vietnamese (default) and English. Keys are short English phrases."""

from __future__ import annotations

LANGUAGES = ("vi", "en")

MESSAGES: dict[str, tuple[str, str]] = {
    "app": ("Giám sát đạo đức, lối sống cán bộ, đảng viên", "Supervision of cadres' ethics"),
    "front": ("Mặt trận Tổ quốc Việt Nam", "Vietnam Fatherland Front"),
    "login": ("Đăng nhập", "Log in"),
    "logout": ("Đăng xuất", "Log out"),
    "committee": ("Ủy ban MTTQ", "Front committee"),
    "committee_code": ("Mã đơn vị", "Committee code"),
    "username": ("Tên đăng nhập", "Username"),
    "password": ("Mật khẩu", "Password"),
    "home": ("Trang chủ", "Home"),
    "tree": ("Cây đơn vị", "Committee tree"),
    "parent": ("Cấp trên", "Parent committee"),
    "children": ("Đơn vị trực thuộc", "Committees below"),
    "level": ("Cấp", "Level"),
    "code": ("Mã", "Code"),
    "name": ("Tên", "Name"),
    "unit_type": ("Loại đơn vị", "Unit type"),
    "search": ("Tìm kiếm", "Search"),
    "search_hint": (
        "Gõ không dấu cũng được, ví dụ: hoan kiem",
        "Diacritics optional, e.g. hoan kiem",
    ),
    "no_results": ("Không tìm thấy", "Nothing found"),
    "welcome": ("Xin chào", "Welcome"),
    "role": ("Vai trò", "Role"),
    "change_password": ("Đổi mật khẩu", "Change password"),
    "current_password": ("Mật khẩu hiện tại", "Current password"),
    "new_password": ("Mật khẩu mới", "New password"),
    "save": ("Lưu", "Save"),
    "saved": ("Đã lưu", "Saved"),
    "error": ("Lỗi", "Error"),
    "back_home": ("Về trang chủ", "Back to home"),
    "language": ("English", "Tiếng Việt"),
    "subtree_size": ("Số đơn vị trong phạm vi", "Committees in this subtree"),
    "ended": ("Đã kết thúc hoạt động", "Ended"),
    "successor": ("Đơn vị kế thừa", "Successor"),
    "api_docs": ("Tài liệu API", "API documentation"),
    "users": ("Tài khoản", "Accounts"),
}

LEVEL_NAMES: dict[str, tuple[str, str]] = {
    "central": ("Trung ương", "Central"),
    "province": ("Tỉnh/Thành phố", "Province/City"),
    "district": ("Quận/Huyện/Thị xã", "District"),
    "commune": ("Xã/Phường/Thị trấn", "Commune"),
}


def translate(key: str, language: str) -> str:
    pair = MESSAGES.get(key) or LEVEL_NAMES.get(key)
    if pair is None:
        return key
    return pair[1] if language == "en" else pair[0]


def pick_language(requested: str | None, accept: str | None, default: str = "vi") -> str:
    if requested in LANGUAGES:
        return requested
    if accept and accept.lower().startswith("en"):
        return "en"
    return default
