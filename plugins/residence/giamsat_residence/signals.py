"""Turning validated residence forms into signals for the commune Front."""

from __future__ import annotations

from datetime import date

from giamsat.channels import SignalDraft, Submission
from giamsat.channels.structs import FactValue, FieldValue
from giamsat_residence.forms import LETTER_KINDS, RESULTS, UNMET
from giamsat_residence.indicators import DUTIES

CHANNEL = "residence"


def survey_signal(submission: Submission) -> SignalDraft:
    """One survey signal; its indicator codes are the duties rated not done well."""
    values = submission.values
    facts: dict[str, FactValue] = {"residential_group": _text(values["residential_group"])}
    unmet: list[str] = []
    for code, _ in DUTIES:
        answer = _text(values.get(code.lower()))
        if answer:
            facts[code] = answer
        if answer == UNMET:
            unmet.append(code)
    if values.get("comment"):
        facts["comment"] = _text(values["comment"])
    group = facts["residential_group"]
    return SignalDraft(
        channel=CHANNEL,
        kind="survey",
        cadre_code=_text(values["cadre"]),
        indicator_codes=unmet,
        facts=facts,
        source=f"Phiếu khảo sát – Ban công tác Mặt trận {group}",
        summary="Chưa thực hiện tốt: " + ", ".join(unmet) if unmet else "Không có ý kiến chưa tốt",
        occurred_on=_date(values["surveyed_on"]),
        received_on=submission.received_on,
        anonymous=True,
    )


def letter_signal(submission: Submission) -> SignalDraft:
    """One signal per suggestion-box letter; letters are anonymous by nature."""
    values = submission.values
    kind, _, _ = LETTER_KINDS[_text(values["letter_kind"])]
    facts: dict[str, FactValue] = {
        "residential_group": _text(values["residential_group"]),
        "letter_kind": _text(values["letter_kind"]),
    }
    if values.get("cadre_name"):
        facts["cadre_name"] = _text(values["cadre_name"])
    duty = _text(values.get("duty"))
    return SignalDraft(
        channel=CHANNEL,
        kind=kind,
        cadre_code=_text(values.get("cadre")) or None,
        indicator_codes=[duty] if duty else [],
        facts=facts,
        source=f"Hòm thư góp ý – {facts['residential_group']}",
        summary=_text(values["content"])[:300],
        occurred_on=_date(values["opened_on"]),
        received_on=submission.received_on,
        anonymous=True,
    )


def year_end_signal(values: dict[str, FieldValue], received_on: date) -> SignalDraft:
    """The year-end comment, addressed to the member's workplace party organisation."""
    result = _text(values["result"])
    unmet = _list(values.get("unmet_duties"))
    facts: dict[str, FactValue] = {
        "year": int(values["year"]) if isinstance(values["year"], int | float) else 0,
        "result": result,
        "residence_party_cell": _text(values["residence_party_cell"]),
        "forward_to": _text(values["workplace_party_org"]),
    }
    if values.get("comment"):
        facts["comment"] = _text(values["comment"])
    return SignalDraft(
        channel=CHANNEL,
        kind="assessment",
        cadre_code=_text(values["cadre"]),
        indicator_codes=unmet,
        facts=facts,
        source=f"Chi ủy {facts['residence_party_cell']} và Ban công tác Mặt trận",
        summary=f"Năm {facts['year']}: {RESULTS[result][0]}",
        received_on=received_on,
    )


def _text(value: FieldValue) -> str:
    return value if isinstance(value, str) else ""


def _list(value: FieldValue) -> list[str]:
    return list(value) if isinstance(value, list) else []


def _date(value: FieldValue) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None
