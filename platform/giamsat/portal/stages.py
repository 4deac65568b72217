"""The stage of a citizen's report in plain words, for whoever holds its receipt code.

đã tiếp nhận → đang phân loại → đã chuyển Ủy ban MTTQ cấp … xem xét → đang xác minh → đã có
kết quả. Only the level of the committee handling it is named: never a committee's or a staff
member's name, never a rule or an internal code.
"""

from __future__ import annotations

import datetime as dt

import msgspec

_LEVEL_WORDS: dict[str, tuple[str, str]] = {
    "central": ("Trung ương", "central"),
    "province": ("tỉnh, thành phố", "province or city"),
    "district": ("huyện, quận, thị xã", "district"),
    "commune": ("xã, phường, thị trấn", "commune"),
}
_VERIFYING = {"verifying", "reported", "awaiting_answer", "answered", "follow_up", "merged"}
_REFERRED = {"received", "forwarded", "escalated"}


class Stage(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    vi: str
    en: str
    reply_by: dt.date | None = None


def stage_of(
    signal_status: str,
    *,
    case_status: str | None = None,
    owner_level: str = "",
    due_on: dt.date | None = None,
) -> Stage:
    """Where the report stands; ``reply_by`` once a case's clock runs."""
    if case_status == "closed":
        return Stage(code="result", vi="Đã có kết quả", en="A result has been reached")
    if case_status in _VERIFYING:
        return Stage(code="verifying", vi="Đang xác minh", en="Being verified", reply_by=due_on)
    if case_status in _REFERRED:
        vi, en = _LEVEL_WORDS.get(owner_level, ("có thẩm quyền", "competent"))
        return Stage(code="referred", vi=f"Đã chuyển Ủy ban MTTQ cấp {vi} xem xét",
                     en=f"Passed to the {en} Front committee for consideration",
                     reply_by=due_on)  # fmt: skip
    if signal_status == "rejected":
        return Stage(code="outside_remit", vi="Không thuộc phạm vi xem xét của Mặt trận",
                     en="Outside the Front's remit")  # fmt: skip
    if signal_status in {"evaluated", "triage"}:
        return Stage(code="classifying", vi="Đang phân loại", en="Being classified")
    return Stage(code="received", vi="Đã tiếp nhận", en="Received")
