"""The residence channel (giám sát đảng viên đang công tác ở nơi cư trú).

The commune Front and the Ban công tác Mặt trận of each thôn / tổ dân phố supervise
working party members at their place of residence against the 7 duties of Điều 2
Quy định 213-QĐ/TW (NCT1–NCT7; seed 000 §II.2, §III.3.2): through survey forms
(phiếu khảo sát, phiếu góp ý), the suggestion box (hòm thư góp ý), and the year-end
comment on each member (kết quả nhận xét), which goes through the commune party
committee to the member's workplace party organisation.
"""
