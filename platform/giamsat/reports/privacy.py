"""Small-count suppression (che số nhỏ) for everything that leaves a committee.

A count of one or two reports about a residential group can point at the person who reported.
Outside the committee (a submission viewed by the parent, an export, the API of another level),
counts of the plan's sensitive families that are above zero and below the threshold are shown as
``"<N"``. Exact figures stay inside the committee's own rows so that roll-ups remain exact.
"""

from __future__ import annotations

from collections.abc import Mapping

from giamsat.reports.figures import family_of
from giamsat.reports.plan import ReportingPlan
from giamsat.reports.schemas import ShownFigure


def suppress(figures: Mapping[str, int], plan: ReportingPlan) -> dict[str, ShownFigure]:
    """``figures`` with sensitive small counts replaced by ``"<threshold>"``."""
    limit = plan.suppression_threshold
    sensitive = plan.sensitive_families
    shown: dict[str, ShownFigure] = {}
    for key, value in sorted(figures.items()):
        if family_of(key) in sensitive and 0 < value < limit:
            shown[key] = f"<{limit}"
        else:
            shown[key] = value
    return shown


def exact(figures: Mapping[str, int]) -> dict[str, ShownFigure]:
    return dict(sorted(figures.items()))
