"""The stage a citizen reads on the receipt page, for every state a report can be in."""

from __future__ import annotations

import datetime as dt

import pytest

from giamsat.portal.stages import stage_of

DUE = dt.date(2027, 1, 26)


@pytest.mark.parametrize(
    ("signal_status", "case_status", "level", "vi", "en", "reply_by"),
    [
        ("received", None, "", "Đã tiếp nhận", "Newly received", None),
        ("triage", None, "", "Đang phân loại", "Being classified", None),
        ("evaluated", None, "", "Đã ghi nhận để theo dõi, giám sát",
         "Recorded for the committee's supervision", None),
        ("rejected", None, "", "Không thuộc phạm vi xem xét của Mặt trận",
         "Outside the Front's remit", None),
        ("attached", "received", "province",
         "Đã chuyển Ủy ban MTTQ cấp tỉnh, thành phố xem xét",
         "Passed to the province or city Front committee for consideration", DUE),
        ("attached", "verifying", "commune", "Đang xác minh", "Being verified", DUE),
        ("attached", "closed", "commune", "Đã có kết quả", "A result has been reached", None),
    ],
)  # fmt: skip
def test_each_state_reads_as_one_plain_stage(
    signal_status: str, case_status: str | None, level: str, vi: str, en: str,
    reply_by: dt.date | None,
) -> None:  # fmt: skip
    # given a report in this state (its case, if any, due on DUE)
    # when the receipt page asks for its stage
    stage = stage_of(signal_status, case_status=case_status, owner_level=level, due_on=DUE)
    # then it reads in each language, with the reply-by date only while a clock runs
    assert (stage.vi, stage.en, stage.reply_by) == (vi, en, reply_by)
