"""The ``press`` channel for the Ban Tuyên giáo: an article (outlet, title, link, publication
date) and the cadres it names, one signal per cadre."""

from __future__ import annotations

from giamsat.channels import ChannelInfo, FormField, FormSchema, SignalDraft, Submission, hookimpl
from giamsat_staff.fields import content_field, day, people, person_fields, received_field, text

CHANNEL = "press"
VERSION = "1.0.0"


@hookimpl
def channel_info() -> ChannelInfo:
    return ChannelInfo(
        name=CHANNEL,
        label_vi="Báo chí (Ban Tuyên giáo)",
        label_en="The press (propaganda and education board)",
        description=(
            "Ban Tuyên giáo nhập bài báo phản ánh về cán bộ, đảng viên: cơ quan báo chí, tiêu "
            "đề, đường dẫn, ngày đăng và những cán bộ được nêu tên."
        ),
        description_en=(
            "The propaganda department enters press articles about cadres and party members: "
            "the outlet, title, link, publication date and the cadres named."
        ),
        levels=["province", "district", "commune"],
        submitter_roles=["propaganda-officer"],
        version=VERSION,
    )


@hookimpl
def channel_forms() -> list[FormSchema]:
    return [FormSchema(id="article", title_vi="Bài báo", title_en="Press article", kind="report",
                       fields=[
        FormField(name="outlet", label_vi="Cơ quan báo chí", label_en="Outlet", type="text",
                  required=True, max_length=200),
        FormField(name="title", label_vi="Tiêu đề", label_en="Title", type="text", required=True,
                  max_length=500),
        FormField(name="link", label_vi="Đường dẫn", label_en="Link", type="text",
                  required=False, max_length=1000),
        FormField(name="published_on", label_vi="Ngày đăng", label_en="Publication date",
                  type="date", required=True),
        received_field(), *person_fields(), content_field(required=False),
    ])]  # fmt: skip


@hookimpl
def channel_signals(submission: Submission) -> list[SignalDraft]:
    values = submission.values
    facts: dict[str, str | int | bool] = {
        "press": True, "outlet": text(values.get("outlet"))[:200],
        "title": text(values.get("title"))[:300], "link": text(values.get("link"))[:500],
    }  # fmt: skip
    return [
        SignalDraft(
            channel=CHANNEL,
            kind="report",
            cadre_code=code,
            indicator_codes=indicators,
            facts=facts,
            source=f"Báo chí: {facts['outlet']}"[:255],
            summary=str(facts["title"])[:300],
            occurred_on=day(values.get("published_on")),
            received_on=day(values.get("received_on")) or submission.received_on,
        )
        for code, indicators in people(values)
    ]
