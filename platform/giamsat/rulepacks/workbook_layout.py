"""The sheets of a plan workbook: their names, titles and columns, in Vietnamese.

Row 1 of each sheet is its title, row 2 its column headers, data from row 3. Lists inside
one cell are separated by ``;`` (a Vietnamese name may hold a comma).
"""

from __future__ import annotations

from typing import Final

import msgspec

LIST_SEPARATOR: Final = ";"
HEADER_ROW: Final = 2
FIRST_DATA_ROW: Final = 3


class Column(msgspec.Struct, frozen=True):
    """A column: its header, the key it fills, and how its cells are read.

    ``kind``: ``text``, ``int``, ``date``, ``bool``, ``words:<vocabulary>`` (one word),
    ``words-list:<vocabulary>``, ``codes`` (a list of codes), ``level``, ``levels``,
    ``clocks``, ``yaml``, ``condition``.
    """

    header: str
    key: str
    kind: str = "text"
    required: bool = False
    hint: str = ""


class SheetLayout(msgspec.Struct, frozen=True):
    name: str
    title: str
    columns: tuple[Column, ...]


_CONDITIONS: Final = (
    Column(
        "Kênh", "signal.channel", "words-list:channels", hint="một hoặc nhiều kênh, cách nhau bởi ;"
    ),
    Column("Loại thông tin", "signal.kind", "words-list:kinds"),
    Column("Biểu hiện (bất kỳ mã nào)", "signal.indicators", "codes", hint="ví dụ: DD1; DD7"),
    Column("Dấu hiệu", "signal.flags", "words-list:flags"),
    Column("Cấp tiếp nhận thông tin", "signal.receiving_level", "levels"),
    Column("Cấp đang giữ vụ việc", "case.receiving_level", "levels"),
    Column("Cán bộ thuộc diện", "subject.managing_level", "words-list:managing_levels"),
    Column("Chức vụ", "subject.position", "words-list:positions"),
    Column("Là đảng viên", "subject.is_party_member", "words:yes_no"),
    Column("Ít nhất (số thông tin)", "at_least", "int"),
    Column("Trong vòng (ngày)", "within_days", "int"),
    Column("Điều kiện khác", "other", "condition", hint="viết theo ngôn ngữ điều kiện của gói"),
)

PLAN: Final = SheetLayout(
    "Kế hoạch",
    "Thông tin kế hoạch giám sát",
    (Column("Mục", "label"), Column("Giá trị", "value")),
)
PLAN_ROWS: Final[tuple[Column, ...]] = (
    Column("Mã kế hoạch", "id", required=True),
    Column("Tên kế hoạch (tiếng Việt)", "name.vi", required=True),
    Column("Tên kế hoạch (tiếng Anh)", "name.en", required=True),
    Column("Năm", "year", "int", required=True),
    Column("Mã Ủy ban MTTQ ban hành", "issuing_committee", required=True),
    Column("Hiệu lực từ ngày", "effective_from", "date", required=True),
    Column("Hiệu lực đến ngày", "effective_to", "date", required=True),
)

#: Rows of the plan sheet below ``PLAN_ROWS`` for settings of ``rules.yaml``; a workbook made
#: before a setting existed may lack its row (the setting is then left out).
SETTING_ROWS: Final[tuple[Column, ...]] = (
    Column(
        "Nhắc phân loại sau (số ngày làm việc)",
        "triage_working_days",
        "int",
        hint="để trống: không nhắc",
    ),
)

LEGAL_BASES: Final = SheetLayout(
    "Căn cứ",
    "Căn cứ ban hành kế hoạch",
    (
        Column("Số, ký hiệu văn bản", "code", required=True),
        Column("Trích yếu", "title_vi", required=True),
        Column("Ngày ban hành", "issued_on", "date"),
        Column("Đã đối chiếu văn bản gốc", "verified", "words:yes_no"),
        Column("Ghi chú", "note"),
    ),
)

INDICATORS: Final = SheetLayout(
    "Danh mục biểu hiện",
    "Danh mục biểu hiện, nhiệm vụ được giám sát",
    (
        Column("Mã", "code", required=True),
        Column("Nhóm", "group", required=True),
        Column("Nội dung (tiếng Việt)", "text_vi", required=True),
        Column("Nội dung (tiếng Anh)", "text_en", required=True),
        Column("Nguồn", "source", required=True),
        Column("Đã đối chiếu văn bản gốc", "verified", "words:yes_no", required=True),
    ),
)

LEVELS: Final = SheetLayout(
    "Cấp Mặt trận",
    "Các cấp Mặt trận và cấp trên để chuyển vụ việc lên",
    (
        Column("Mã cấp (dùng trong hệ thống)", "code", required=True),
        Column("Cấp trên", "parent", "level"),
        Column("Tên cấp (tiếng Việt)", "title_vi", required=True),
        Column("Tên cấp (tiếng Anh)", "title_en", required=True),
    ),
)

CHANNELS: Final = SheetLayout(
    "Kênh",
    "Các kênh tiếp nhận thông tin",
    (Column("Kênh", "channel", "words:channels", required=True),),
)

CLOCKS: Final = SheetLayout(
    "Thời hạn",
    "Thời hạn tính theo ngày làm việc",
    (
        Column("Mã thời hạn (dùng trong hệ thống)", "id", required=True),
        Column("Tên (tiếng Việt)", "title_vi", required=True),
        Column("Tên (tiếng Anh)", "title_en", required=True),
        Column("Số ngày làm việc", "working_days", "int", required=True),
        Column("Số ngày khi vụ việc phức tạp", "complex_working_days", "int", required=True),
        Column("Khi quá hạn", "on_overdue", "words:on_overdue", required=True),
        Column("Được tạm dừng tính hạn", "pausable", "words:yes_no", required=True),
    ),
)

INDICATOR_RULES: Final = SheetLayout(
    "Quy tắc biểu hiện",
    "Bảng quyết định: mọi dòng khớp đều được áp dụng (chính sách: tổng hợp); "
    "nhiều dòng cùng mã quy tắc là các trường hợp thay thế nhau",
    (
        Column("Mã quy tắc", "id", required=True),
        Column("Tên quy tắc (tiếng Việt)", "title_vi"),
        Column("Tên quy tắc (tiếng Anh)", "title_en"),
        *_CONDITIONS,
        Column("Mở vụ việc, mức ưu tiên", "open_case", "words:priorities"),
        Column("Ghi nhận biểu hiện", "add_findings", "codes"),
        Column("Ghi các biểu hiện của thông tin", "record_signal_indicators", "words:yes_no"),
        Column("Bắt đầu thời hạn", "start_clocks", "clocks"),
        Column("Đề xuất lập đoàn giám sát", "propose_delegation", "words:yes_no"),
        Column("Ghi vào hồ sơ nơi cư trú (nhiệm vụ)", "record_at_residence", "codes"),
    ),
)

ROUTING_RULES: Final = SheetLayout(
    "Phân cấp",
    "Bảng quyết định: cấp cao nhất trong các dòng khớp được chọn (chính sách: ưu tiên)",
    (
        Column("Mã quy tắc", "id", required=True),
        Column("Tên quy tắc (tiếng Việt)", "title_vi"),
        Column("Tên quy tắc (tiếng Anh)", "title_en"),
        *_CONDITIONS,
        Column("Chuyển đến cấp", "route_to", "level"),
    ),
)

REPORTING: Final = SheetLayout(
    "Báo cáo",
    "Tổng hợp báo cáo lên cấp trên",
    (Column("Mục", "label"), Column("Giá trị", "value")),
)
REPORTING_ROWS: Final[tuple[Column, ...]] = (
    Column("Hạn gửi báo cáo", "deadline", "date", required=True),
    Column("Các cấp gửi báo cáo", "from_levels", "levels", required=True),
    Column("Cấp nhận báo cáo", "to_level", "level", required=True),
    Column("Ẩn số liệu nhỏ hơn", "suppress_below", "int", required=True),
    Column("Tổng hợp theo", "group_by", "words-list:group_by", required=True),
    Column("Đã đối chiếu văn bản gốc", "verified", "words:yes_no"),
    Column("Ghi chú", "note"),
)

EXAMPLES: Final = SheetLayout(
    "Ví dụ",
    "Ví dụ mẫu: khi kiểm tra, mỗi ví dụ phải cho đúng kết quả đã ghi",
    (
        Column("Mã ví dụ", "id", required=True),
        Column("Tên ví dụ", "title_vi", required=True),
        Column("Dữ kiện", "facts", "yaml", required=True),
        Column("Kết quả mong đợi", "expect", "yaml", required=True),
    ),
)

LISTS: Final = "Danh sách chọn"

SHEETS: Final[tuple[SheetLayout, ...]] = (
    PLAN,
    LEGAL_BASES,
    INDICATORS,
    LEVELS,
    CHANNELS,
    CLOCKS,
    INDICATOR_RULES,
    ROUTING_RULES,
    REPORTING,
    EXAMPLES,
)
