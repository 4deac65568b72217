"""The government's announced public-sector calendars for 2022–2026, written down as facts.

Each year lists the weekdays on which public offices were (or are to be) closed, and the
weekend days worked by swap. Written from the announcements, independently of the code:

- 2022 (Công văn 245/VPCP-KGVX, 11/01/2022): Tết Nhâm Dần off Sat 29/01 – Sun 06/02, i.e.
  weekdays Mon 31/01 – Fri 04/02 (29/01–30/01 and 05/02–06/02 are plain weekends: no swap
  was needed). 01/01 fell on Saturday → off Mon 03/01. Giỗ Tổ (Sun 10/04) → off Mon 11/04.
  30/04 Sat + 01/05 Sun → off Mon 02/05 and Tue 03/05. Quốc khánh Thu 01/09 – Fri 02/09.
- 2023: 01/01 Sunday → off Mon 02/01. Tết Quý Mão off Fri 20/01 – Thu 26/01 (weekdays 20,
  23–26). Giỗ Tổ Sat 29/04 + 30/04 Sun + 01/05 Mon → off 29/04 – Wed 03/05. Quốc khánh Fri
  01/09 + Sat 02/09 → off 01/09 – Mon 04/09.
- 2024: Tết Giáp Thìn off Thu 08/02 – Wed 14/02. Giỗ Tổ Thu 18/04. 30/04–01/05 with Mon 29/04
  swapped for Sat 04/05 (Công văn 2450/VPCP-KGVX). Quốc khánh Mon 02/09 – Tue 03/09.
- 2025: Tết Ất Tỵ off Sat 25/01 – Sun 02/02 (weekdays 27–31/01; Thông báo 6150/TB-LĐTBXH).
  Giỗ Tổ Mon 07/04. 30/04–01/05 with Fri 02/05 swapped for Sat 26/04. Quốc khánh Mon 01/09 –
  Tue 02/09.
- 2026: Tết Dương lịch off Thu 01/01 – Sun 04/01 with Fri 02/01 swapped for Sat 10/01 (văn
  bản 12729/VPCP-KGVX, 25/12/2025). Tết Bính Ngọ off Sat 14/02 – Sun 22/02 (weekdays 16–20/02).
  Giỗ Tổ Sun 26/04 → off Mon 27/04. 30/04 Thu – 01/05 Fri. Quốc khánh Tue 01/09 – Wed 02/09
  with Mon 31/08 swapped for Sat 22/08. Ngày Văn hóa Việt Nam Tue 24/11 (Nghị quyết
  80-NQ/TW; the Labor Code amendment making it statutory was still pending in early 2026).

Disagreements with the ``holidays`` package (0.109): it lacks the 2026 New Year swap (02/01 off,
10/01 worked), and names 27/01/2025 "29 Tết" although it is the 28th of the lunar month.
"""

from __future__ import annotations

import datetime as dt

D = dt.date

WEEKDAYS_OFF: dict[int, frozenset[dt.date]] = {
    2022: frozenset(
        {
            D(2022, 1, 3),
            *(D(2022, 1, 31), D(2022, 2, 1), D(2022, 2, 2), D(2022, 2, 3), D(2022, 2, 4)),
            D(2022, 4, 11),
            D(2022, 5, 2),
            D(2022, 5, 3),
            D(2022, 9, 1),
            D(2022, 9, 2),
        }
    ),
    2023: frozenset(
        {
            D(2023, 1, 2),
            *(D(2023, 1, 20), D(2023, 1, 23), D(2023, 1, 24), D(2023, 1, 25), D(2023, 1, 26)),
            D(2023, 5, 1),
            D(2023, 5, 2),
            D(2023, 5, 3),
            D(2023, 9, 1),
            D(2023, 9, 4),
        }
    ),
    2024: frozenset(
        {
            D(2024, 1, 1),
            *(D(2024, 2, 8), D(2024, 2, 9), D(2024, 2, 12), D(2024, 2, 13), D(2024, 2, 14)),
            D(2024, 4, 18),
            D(2024, 4, 29),
            D(2024, 4, 30),
            D(2024, 5, 1),
            D(2024, 9, 2),
            D(2024, 9, 3),
        }
    ),
    2025: frozenset(
        {
            D(2025, 1, 1),
            *(D(2025, 1, 27), D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31)),
            D(2025, 4, 7),
            D(2025, 4, 30),
            D(2025, 5, 1),
            D(2025, 5, 2),
            D(2025, 9, 1),
            D(2025, 9, 2),
        }
    ),
    2026: frozenset(
        {
            D(2026, 1, 1),
            D(2026, 1, 2),
            *(D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20)),
            D(2026, 4, 27),
            D(2026, 4, 30),
            D(2026, 5, 1),
            D(2026, 8, 31),
            D(2026, 9, 1),
            D(2026, 9, 2),
            D(2026, 11, 24),
        }
    ),
}

WORKING_WEEKENDS: dict[int, frozenset[dt.date]] = {
    2022: frozenset(),
    2023: frozenset(),
    2024: frozenset({D(2024, 5, 4)}),
    2025: frozenset({D(2025, 4, 26)}),
    2026: frozenset({D(2026, 1, 10), D(2026, 8, 22)}),
}

YEARS = tuple(sorted(WEEKDAYS_OFF))


def is_official_working_day(day: dt.date) -> bool:
    """Reference rule built only from the facts above, to check the calendar against."""
    if day in WORKING_WEEKENDS[day.year]:
        return True
    return day.weekday() < 5 and day not in WEEKDAYS_OFF[day.year]


def reference_due(received: dt.date, days: int) -> dt.date:
    """Count ``days`` official working days after ``received`` using only the facts."""
    current, counted = received, 0
    while counted < days:
        current += dt.timedelta(days=1)
        counted += is_official_working_day(current)
    return current
