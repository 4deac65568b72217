"""The stage of a citizen's report in plain words, for whoever holds its receipt code.

đã tiếp nhận → đang phân loại → đã chuyển Ủy ban MTTQ cấp … xem xét → đang xác minh → đã có
kết quả; or, when the pack decides no case is needed, đã ghi nhận để theo dõi, giám sát.
Only the level of the committee handling it is named: never a committee's or a staff member's
name, never a rule or an internal code.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from giamsat.web.i18n import N_, Translator

#: "Passed to the … Front committee", by the level of the committee handling the report.
_REFERRED_TO: dict[str, str] = {
    "central": N_("Passed to the central Front committee for consideration"),
    "province": N_("Passed to the province or city Front committee for consideration"),
    "district": N_("Passed to the district Front committee for consideration"),
    "commune": N_("Passed to the commune Front committee for consideration"),
}
_VERIFYING = {"verifying", "reported", "awaiting_answer", "answered", "follow_up", "merged"}
_REFERRED = {"received", "forwarded", "escalated"}


class Stage(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    #: the stage in words (an English message id of the catalogue)
    text: str
    reply_by: dt.date | None = None

    @property
    def vi(self) -> str:
        return Translator("vi").gettext(self.text)

    @property
    def en(self) -> str:
        return self.text


def stage_of(
    signal_status: str,
    *,
    case_status: str | None = None,
    owner_level: str = "",
    due_on: dt.date | None = None,
) -> Stage:
    """Where the report stands; ``reply_by`` once a case's clock runs."""
    if case_status == "closed":
        return Stage(code="result", text=N_("A result has been reached"))
    if case_status in _VERIFYING:
        return Stage(code="verifying", text=N_("Being verified"), reply_by=due_on)
    if case_status in _REFERRED:
        text = _REFERRED_TO.get(
            owner_level, N_("Passed to the competent Front committee for consideration")
        )
        return Stage(code="referred", text=text, reply_by=due_on)
    if signal_status == "rejected":
        return Stage(code="outside_remit", text=N_("Outside the Front's remit"))
    if signal_status == "evaluated":
        # decided without a case: kept on the person's record, counted in the committee's
        # supervision (a later report about the same person may open one)
        return Stage(code="recorded", text=N_("Recorded for the committee's supervision"))
    if signal_status == "triage":
        return Stage(code="classifying", text=N_("Being classified"))
    return Stage(code="received", text=N_("Newly received"))
