"""The built-in "citizen" channel: reports, complaints, denunciations and feedback
from the public portal (phản ánh, khiếu nại, tố cáo, góp ý của Nhân dân).

Registered like any other plugin, with every hook ``trylast`` so that an installed
plugin naming its channel "citizen" replaces it.
"""

from __future__ import annotations

from giamsat.channels.hookspecs import hookimpl
from giamsat.channels.structs import (
    ChannelContext,
    ChannelInfo,
    Choice,
    FactValue,
    FormField,
    FormSchema,
    RequiredIf,
    SignalDraft,
    SignalKind,
    Submission,
    SubmittedValue,
)

CHANNEL = "citizen"
KINDS: dict[str, tuple[SignalKind, str, str]] = {
    "report": ("report", "Phản ánh", "Report"),
    "complaint": ("complaint", "Khiếu nại", "Complaint"),
    "denunciation": ("denunciation", "Tố cáo", "Denunciation"),
    "feedback": ("feedback", "Góp ý", "Feedback"),
}
#: What a report is about: a named cadre or party member, or an organisation as a whole.
SUBJECTS: dict[str, tuple[str, str]] = {
    "cadre": ("Cán bộ, đảng viên", "A cadre or party member"),
    "organisation": ("Cơ quan, tổ chức", "An agency or organisation"),
}


@hookimpl(trylast=True)
def channel_info() -> ChannelInfo:
    """Describe the public-portal channel."""
    return ChannelInfo(
        name=CHANNEL,
        label_vi="Cổng tiếp nhận phản ánh của Nhân dân",
        label_en="Citizens' portal",
        description=(
            "Phản ánh, khiếu nại, tố cáo, góp ý của Nhân dân về cán bộ, đảng viên; "
            "có thể gửi ẩn danh và nhận mã tra cứu."
        ),
        description_en=(
            "Citizens' reports, complaints, denunciations and suggestions about cadres and party "
            "members; they may be sent anonymously, with a code to follow them."
        ),
        levels=["province", "district", "commune"],
        submitter_roles=["citizen"],
        version="1.0",
    )


@hookimpl(trylast=True)
def channel_forms() -> list[FormSchema]:
    """One form covering the four kinds of inbound message from the public."""
    return [
        FormSchema(
            id="report",
            title_vi="Gửi phản ánh, khiếu nại, tố cáo, góp ý",
            title_en="Send a report, complaint, denunciation or feedback",
            kind="report",
            fields=[
                FormField(
                    name="kind",
                    label_vi="Loại",
                    label_en="Kind",
                    type="select",
                    required=True,
                    choices=[Choice(key, vi, en) for key, (_, vi, en) in KINDS.items()],
                ),
                FormField(
                    name="subject_kind",
                    label_vi="Phản ánh về",
                    label_en="About",
                    type="select",
                    required=True,
                    choices=[Choice(key, vi, en) for key, (vi, en) in SUBJECTS.items()],
                ),
                FormField(
                    name="cadre_name",
                    label_vi="Họ tên cán bộ, đảng viên",
                    label_en="Name of the cadre",
                    type="text",
                    required_if=RequiredIf("subject_kind", "cadre"),
                    max_length=200,
                ),
                FormField(
                    name="organisation_name",
                    label_vi="Tên cơ quan, tổ chức",
                    label_en="Name of the organisation",
                    type="text",
                    required_if=RequiredIf("subject_kind", "organisation"),
                    max_length=255,
                    help_vi="Chỉ điền khi phản ánh về một cơ quan, tổ chức",
                    help_en="only when the report is about an organisation",
                ),
                FormField(
                    name="cadre_unit",
                    label_vi="Chức vụ, cơ quan, đơn vị",
                    label_en="Position and unit",
                    type="text",
                    max_length=300,
                ),
                FormField(
                    name="occurred_on",
                    label_vi="Thời gian xảy ra",
                    label_en="When it happened",
                    type="date",
                ),
                FormField(
                    name="content",
                    label_vi="Nội dung",
                    label_en="What happened",
                    type="textarea",
                    required=True,
                    max_length=10_000,
                ),
                FormField(
                    name="evidence",
                    label_vi="Tài liệu kèm theo",
                    label_en="Supporting documents",
                    type="file",
                ),
            ],
        )
    ]


@hookimpl(trylast=True)
def channel_signals(context: ChannelContext, submission: Submission) -> list[SignalDraft]:
    """One signal per submission; the kind and the subject come from the form.

    A report about an organisation carries the organisation's name as its subject and never a
    cadre's name: the name field of the other subject is ignored, so it cannot mislabel it.
    """
    values = submission.values
    kind, _, _ = KINDS[str(values["kind"])]
    subject_kind = str(values.get("subject_kind") or "cadre")
    subject_field = "organisation_name" if subject_kind == "organisation" else "cadre_name"
    subject = _text(values.get(subject_field))
    facts: dict[str, FactValue] = {"subject_kind": subject_kind, subject_field: subject}
    unit = _text(values.get("cadre_unit"))
    if unit:
        facts["cadre_unit"] = unit
    facts["committee"] = context.committee_code
    return [
        SignalDraft(
            channel=CHANNEL,
            kind=kind,
            subject_text=subject,
            facts=facts,
            source="cổng thông tin (public portal)",
            summary=_text(values.get("content"))[:300],
            occurred_on=submission.date_of("occurred_on"),
            anonymous=submission.anonymous,
        )
    ]


def _text(value: SubmittedValue) -> str:
    return value if isinstance(value, str) else ""
