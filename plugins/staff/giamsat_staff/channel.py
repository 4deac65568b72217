"""The ``staff`` channel: what a committee receives by hand and its staff enter.

- a letter (đơn thư): the date on the letter and the date received;
- a hotline call (đường dây nóng);
- a meeting, dialogue, forum or voter contact (hội nghị, đối thoại, diễn đàn, tiếp xúc cử tri):
  one event, one signal per person raised;
- a suggestion-box opening (hòm thư góp ý): the opening date, one signal per item;
- a report from a member organisation (tổ chức thành viên).

Letters also come as a sheet: the committee's letter register (sổ tiếp nhận đơn thư), one letter
a row, each with the date it was received (column ``ngay_tiep_nhan``, read by the platform).
"""

from __future__ import annotations

from datetime import date

from giamsat.channels import (
    BulkFormat,
    ChannelContext,
    ChannelInfo,
    Choice,
    FormField,
    FormSchema,
    FormSheet,
    RowResult,
    SignalDraft,
    Submission,
    hookimpl,
)
from giamsat_staff.fields import (
    content_field,
    day,
    people,
    person_fields,
    received_field,
    text,
)

CHANNEL = "staff"
VERSION = "1.1.0"
EVENTS = [
    Choice("hoi-nghi", "Hội nghị", "meeting"),
    Choice("doi-thoai", "Đối thoại", "dialogue"),
    Choice("dien-dan", "Diễn đàn", "forum"),
    Choice("tiep-xuc-cu-tri", "Tiếp xúc cử tri", "voter contact"),
]


@hookimpl
def channel_info() -> ChannelInfo:
    return ChannelInfo(
        name=CHANNEL,
        label_vi="Tiếp nhận trực tiếp (đơn thư, đường dây nóng, hội nghị, hòm thư góp ý)",
        label_en="Received by hand (letters, hotline, meetings, suggestion boxes)",
        description=(
            "Cán bộ Ủy ban MTTQ nhập những gì đơn vị nhận trực tiếp: đơn thư, cuộc gọi đường "
            "dây nóng, ý kiến tại hội nghị, đối thoại, diễn đàn, tiếp xúc cử tri, hòm thư góp "
            "ý và báo cáo của các tổ chức thành viên; ngày tiếp nhận do cán bộ nhập."
        ),
        description_en=(
            "Front staff enter what the committee receives directly: letters, hotline calls, "
            "opinions at conferences, dialogues, forums and meetings with voters, suggestion "
            "boxes and member organisations' reports; staff enter the date it was received."
        ),
        levels=["province", "district", "commune"],
        submitter_roles=["front-officer"],
        version=VERSION,
    )


def _letter() -> FormSchema:
    return FormSchema(id="letter", title_vi="Đơn thư", title_en="Letter", kind="complaint", fields=[
        FormField(name="letter_date", label_vi="Ngày ghi trên đơn", label_en="Date on the letter",
                  type="date", required=False),
        received_field(),
        FormField(name="sender", label_vi="Người gửi (nếu có)", label_en="Sender (if given)",
                  type="text", required=False, max_length=200),
        *person_fields(1), content_field(),
    ])  # fmt: skip


def _hotline() -> FormSchema:
    return FormSchema(id="hotline", title_vi="Cuộc gọi đường dây nóng", title_en="Hotline call",
                      kind="report", fields=[received_field(), *person_fields(1),
                                             content_field()])  # fmt: skip


def _meeting() -> FormSchema:
    return FormSchema(id="meeting", title_vi="Hội nghị, đối thoại, diễn đàn, tiếp xúc cử tri",
                      title_en="Meeting, dialogue, forum or voter contact", kind="feedback",
                      fields=[
        FormField(name="event", label_vi="Hình thức", label_en="Event", type="select",
                  required=True, choices=EVENTS),
        FormField(name="event_name", label_vi="Tên sự kiện", label_en="Name of the event",
                  type="text", required=True, max_length=300),
        received_field(), *person_fields(), content_field(required=False),
    ])  # fmt: skip


def _box() -> FormSchema:
    return FormSchema(id="suggestion-box", title_vi="Mở hòm thư góp ý",
                      title_en="Suggestion-box opening", kind="feedback", fields=[
        FormField(name="box", label_vi="Hòm thư", label_en="Box", type="text", required=True,
                  max_length=200),
        received_field(), *person_fields(), content_field(required=False),
    ])  # fmt: skip


def _member() -> FormSchema:
    return FormSchema(id="member-organisation", title_vi="Báo cáo của tổ chức thành viên",
                      title_en="Report from a member organisation", kind="report", fields=[
        FormField(name="organisation", label_vi="Tổ chức thành viên", label_en="Organisation",
                  type="text", required=True, max_length=200),
        received_field(), *person_fields(), content_field(),
    ])  # fmt: skip


@hookimpl
def channel_forms() -> list[FormSchema]:
    return [_letter(), _hotline(), _meeting(), _box(), _member()]


_SOURCES = {
    "letter": "Đơn thư",
    "hotline": "Đường dây nóng",
    "meeting": "Hội nghị",
    "suggestion-box": "Hòm thư góp ý",
    "member-organisation": "Tổ chức thành viên",
}
_KINDS = {"letter": "complaint", "hotline": "report", "meeting": "feedback",
          "suggestion-box": "feedback", "member-organisation": "report"}  # fmt: skip


@hookimpl
def channel_signals(submission: Submission) -> list[SignalDraft]:
    """One signal per person raised, received on the date staff entered."""
    values = submission.values
    received = day(values.get("received_on")) or submission.received_on
    form = submission.form_id
    where = text(values.get("event_name")) or text(values.get("box")) or text(
        values.get("organisation"))  # fmt: skip
    facts: dict[str, str | int | bool] = {"form": form}
    if form == "letter" and day(values.get("letter_date")) is not None:
        facts["letter_date"] = text(values.get("letter_date"))
    if where:
        facts["event"] = where[:200]
    source = f"{_SOURCES.get(form, form)}{': ' + where if where else ''}"[:255]
    return [
        SignalDraft(
            channel=CHANNEL,
            kind=_KINDS.get(form, "report"),
            cadre_code=code,  # type: ignore[arg-type]
            indicator_codes=indicators,
            facts=facts,
            source=source,
            summary=text(values.get("content"))[:300],
            occurred_on=day(values.get("letter_date")),
            received_on=received,
        )
        for code, indicators in people(values)
    ]


#: The letter register: every row one letter form, the received date in ``ngay_tiep_nhan``.
LETTERS = FormSheet(
    id="letter-register",
    channel=CHANNEL,
    label_vi="Sổ tiếp nhận đơn thư",
    label_en="Letter register",
    form=_letter(),
    names={
        "letter_date": "ngay_ghi_tren_don",
        "received_on": "ngay_tiep_nhan",
        "sender": "nguoi_gui",
        "cadre_1": "ma_can_bo",
        "indicator_1": "bieu_hien",
        "content": "noi_dung",
    },
)


@hookimpl
def channel_bulk_formats() -> list[BulkFormat]:
    """The letter register."""
    return [LETTERS.bulk_format()]


@hookimpl
def channel_bulk_rows(
    context: ChannelContext, rows: list[dict[str, str]], received_on: date
) -> list[RowResult]:
    """Each row is one letter (the platform groups the rows by their received date)."""
    return LETTERS.rows(context, rows, received_on, channel_signals)
