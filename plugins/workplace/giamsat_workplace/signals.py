"""Turning validated workplace forms into signals for the Front."""

from __future__ import annotations

from datetime import date

from giamsat.channels import SignalDraft, Submission
from giamsat.channels.structs import FactValue, FieldValue
from giamsat_workplace.forms import PERIODS, PRESENT, field_name
from giamsat_workplace.indicators import MANIFESTATIONS

CHANNEL = "workplace"


def assessment_signal(
    values: dict[str, FieldValue], received_on: date, submitter_role: str
) -> SignalDraft:
    """One assessment signal; its indicator codes are the manifestations observed."""
    facts: dict[str, FactValue] = {
        "unit": _text(values["unit"]),
        "union": _text(values["union"]),
        "year": _int(values["year"]),
        "period": _text(values["period"]),
    }
    observed: list[str] = []
    for code, _ in MANIFESTATIONS:
        name = field_name(code)
        present = values.get(name) == PRESENT
        facts[code] = present
        if present:
            observed.append(code)
            facts[f"{code}_evidence"] = _text(values.get(f"{name}_evidence"))
    if values.get("conclusion"):
        facts["conclusion"] = _text(values["conclusion"])
    if submitter_role:
        facts["submitter_role"] = submitter_role
    period_vi = PERIODS[_text(values["period"])][0].lower()
    found = ", ".join(observed) if observed else "không có biểu hiện"
    return SignalDraft(
        channel=CHANNEL,
        kind="assessment",
        cadre_code=_text(values["cadre"]),
        indicator_codes=observed,
        facts=facts,
        source=f"Công đoàn: {facts['union']}",
        summary=f"Đánh giá {period_vi} năm {facts['year']}: {found}",
        occurred_on=date.fromisoformat(_text(values["assessed_on"])),
        received_on=received_on,
    )


def report_signal(submission: Submission) -> SignalDraft:
    """One report signal about one manifestation."""
    values = submission.values
    occurred = values.get("occurred_on")
    return SignalDraft(
        channel=CHANNEL,
        kind="report",
        cadre_code=_text(values["cadre"]),
        indicator_codes=[_text(values["indicator"])],
        facts={"union": _text(values["union"]), "attachments": len(submission.attachments)},
        source=f"Công đoàn: {_text(values['union'])}",
        summary=_text(values["content"])[:300],
        occurred_on=date.fromisoformat(occurred) if isinstance(occurred, str) else None,
        received_on=submission.received_on,
        anonymous=submission.anonymous,
    )


def _text(value: FieldValue) -> str:
    return value if isinstance(value, str) else ""


def _int(value: FieldValue) -> int:
    return int(value) if isinstance(value, int | float) else 0
