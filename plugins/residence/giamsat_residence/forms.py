"""The residence channel's intake forms: survey, suggestion box, year-end comment."""

from __future__ import annotations

from giamsat.channels import Choice, FormField, FormSchema, RequiredIf
from giamsat.channels.structs import SignalKind
from giamsat_residence.indicators import DUTIES

#: Survey answers per duty; "chua_tot" marks a duty the respondent finds unmet.
SURVEY_ANSWERS = [
    Choice("tot", "Thực hiện tốt", "done well"),
    Choice("chua_tot", "Chưa thực hiện tốt", "not done well"),
    Choice("khong_biet", "Không nắm được", "don't know"),
]
UNMET = "chua_tot"
LETTER_KINDS: dict[str, tuple[SignalKind, str, str]] = {
    "gop_y": ("feedback", "Góp ý", "Feedback"),
    "phan_anh": ("report", "Phản ánh", "Report"),
    "to_cao": ("denunciation", "Tố cáo", "Denunciation"),
}
RESULTS = {
    "hoan_thanh_tot": ("Hoàn thành tốt", "Completed well"),
    "hoan_thanh": ("Hoàn thành", "Completed"),
    "khong_hoan_thanh": ("Không hoàn thành", "Not completed"),
}
NOT_COMPLETED = "khong_hoan_thanh"
DUTY_CHOICES = [Choice(code, f"{code}. {text[:80]}…") for code, text in DUTIES]


def _group_field() -> FormField:
    return FormField(
        name="residential_group",
        label_vi="Thôn, tổ dân phố (Ban công tác Mặt trận)",
        label_en="Village / residential group",
        type="text",
        required=True,
        max_length=200,
    )


def _cadre_field(required: bool = True) -> FormField:
    return FormField(
        name="cadre",
        label_vi="Mã đảng viên",
        label_en="Party member code",
        type="cadre",
        required=required,
    )


def survey_form() -> FormSchema:
    """Phiếu khảo sát / phiếu góp ý: residents rate one member on each duty."""
    duties = [
        FormField(
            name=code.lower(),
            label_vi=f"{code}. {text}",
            label_en=f"Duty {code} (Regulation 213-QĐ/TW, art. 2)",
            type="select",
            choices=SURVEY_ANSWERS,
        )
        for code, text in DUTIES
    ]
    return FormSchema(
        id="survey",
        title_vi="Phiếu khảo sát, góp ý đối với đảng viên ở nơi cư trú",
        title_en="Survey on a party member at the place of residence",
        kind="survey",
        fields=[
            _group_field(),
            _cadre_field(),
            FormField(
                name="surveyed_on",
                label_vi="Ngày khảo sát",
                label_en="Survey date",
                type="date",
                required=True,
            ),
            *duties,
            FormField(
                name="comment",
                label_vi="Ý kiến khác",
                label_en="Other comments",
                type="textarea",
                max_length=4000,
            ),
        ],
    )


def suggestion_box_form() -> FormSchema:
    """One letter taken from a residential group's suggestion box (hòm thư góp ý)."""
    return FormSchema(
        id="suggestion-box",
        title_vi="Thư từ hòm thư góp ý",
        title_en="Letter from the suggestion box",
        kind="feedback",
        fields=[
            _group_field(),
            FormField(
                name="opened_on",
                label_vi="Ngày mở hòm thư",
                label_en="Box opened on",
                type="date",
                required=True,
            ),
            FormField(
                name="letter_kind",
                label_vi="Loại thư",
                label_en="Kind of letter",
                type="select",
                required=True,
                choices=[Choice(k, vi, en) for k, (_, vi, en) in LETTER_KINDS.items()],
            ),
            _cadre_field(required=False),
            FormField(
                name="cadre_name",
                label_vi="Họ tên người được nêu (nếu không có mã)",
                label_en="Name of the person concerned",
                type="text",
                max_length=200,
            ),
            FormField(
                name="duty",
                label_vi="Nhiệm vụ liên quan",
                label_en="Duty concerned",
                type="indicator",
                choices=DUTY_CHOICES,
            ),
            FormField(
                name="content",
                label_vi="Nội dung thư",
                label_en="Letter content",
                type="textarea",
                required=True,
                max_length=10_000,
            ),
            FormField(
                name="scan", label_vi="Ảnh chụp thư", label_en="Scan of the letter", type="file"
            ),
        ],
    )


def year_end_form() -> FormSchema:
    """Kết quả nhận xét: the year-end comment on one working party member."""
    return FormSchema(
        id="year-end",
        title_vi="Nhận xét đảng viên đang công tác ở nơi cư trú (cuối năm)",
        title_en="Year-end comment on a working party member at residence",
        kind="assessment",
        fields=[
            _cadre_field(),
            FormField(
                name="year",
                label_vi="Năm",
                label_en="Year",
                type="number",
                required=True,
                min_value=2000,
                max_value=2100,
            ),
            FormField(
                name="residence_party_cell",
                label_vi="Chi bộ nơi cư trú",
                label_en="Party cell at residence",
                type="text",
                required=True,
                max_length=300,
            ),
            FormField(
                name="workplace_party_org",
                label_vi="Tổ chức đảng nơi công tác (nơi nhận)",
                label_en="Workplace party organisation (recipient)",
                type="text",
                required=True,
                max_length=300,
            ),
            FormField(
                name="result",
                label_vi="Kết quả nhận xét",
                label_en="Result",
                type="select",
                required=True,
                choices=[Choice(k, vi, en) for k, (vi, en) in RESULTS.items()],
            ),
            FormField(
                name="unmet_duties",
                label_vi="Nhiệm vụ chưa thực hiện tốt",
                label_en="Duties not fulfilled",
                type="indicator",
                multiple=True,
                choices=DUTY_CHOICES,
                required_if=RequiredIf("result", NOT_COMPLETED),
            ),
            FormField(
                name="comment",
                label_vi="Nhận xét",
                label_en="Comment",
                type="textarea",
                max_length=4000,
            ),
        ],
        description=(
            "Chi ủy nơi cư trú phối hợp Ban công tác Mặt trận nhận xét; gửi qua đảng ủy xã, "
            "phường đến tổ chức đảng nơi đảng viên công tác."
        ),
        description_en=(
            "The residence party cell comments together with the Front work committee; the "
            "comment goes through the commune's party committee to the party organisation "
            "where the member works."
        ),
    )
