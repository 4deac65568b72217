"""Fields and helpers the staff and press forms share."""

from __future__ import annotations

from datetime import date

from giamsat.channels import FormField

FieldValue = str | int | float | list[str] | None

#: People raised at one event (meeting, dialogue, forum, voter contact) or named in an article.
PEOPLE = 5


def received_field() -> FormField:
    return FormField(
        name="received_on", label_vi="Ngày tiếp nhận", label_en="Date received", type="date",
        required=True,
        help_vi="Ngày Ủy ban nhận được; không sau hôm nay, không trước kế hoạch đang áp dụng.",
        help_en="The day the committee received it: not after today, not before the plan.",
    )  # fmt: skip


def content_field(required: bool = True) -> FormField:
    return FormField(name="content", label_vi="Nội dung", label_en="Content", type="textarea",
                     required=required, max_length=8000)  # fmt: skip


def person_fields(count: int = PEOPLE) -> list[FormField]:
    """``cadre_1``/``indicator_1`` … the first required, the others optional."""
    fields: list[FormField] = []
    for i in range(1, count + 1):
        fields += [
            FormField(name=f"cadre_{i}", label_vi=f"Cán bộ, đảng viên {i}",
                      label_en=f"Cadre {i}", type="cadre", required=i == 1),
            FormField(name=f"indicator_{i}", label_vi=f"Biểu hiện, nhiệm vụ ({i})",
                      label_en=f"Manifestation or duty ({i})", type="indicator",
                      required=False),
        ]  # fmt: skip
    return fields


def text(value: FieldValue | None) -> str:
    return value.strip() if isinstance(value, str) else ""


def day(value: FieldValue | None) -> date | None:
    raw = text(value)
    return date.fromisoformat(raw) if raw else None


def people(values: dict[str, FieldValue]) -> list[tuple[str, list[str]]]:
    """(cadre code, indicator codes) of each person entered."""
    found = []
    for i in range(1, PEOPLE + 1):
        code = text(values.get(f"cadre_{i}"))
        if code:
            indicator = text(values.get(f"indicator_{i}"))
            found.append((code, [indicator] if indicator else []))
    return found
