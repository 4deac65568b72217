"""The workplace channel's intake forms: a periodic assessment and an ad-hoc report."""

from __future__ import annotations

from giamsat.channels import Choice, FormField, FormSchema, RequiredIf
from giamsat_workplace.indicators import MANIFESTATIONS

PRESENT = "co"
ABSENT = "khong"
FINDING_CHOICES = [
    Choice(ABSENT, "Không có biểu hiện", "not observed"),
    Choice(PRESENT, "Có biểu hiện", "observed"),
]
PERIODS = {
    "h1": ("6 tháng đầu năm", "first half-year"),
    "year": ("Cả năm", "whole year"),
    "ad-hoc": ("Đột xuất", "ad hoc"),
}


def field_name(code: str) -> str:
    """The form field holding the finding for an indicator code ("DD-CV" → "dd_cv")."""
    return code.lower().replace("-", "_")


def _finding_fields() -> list[FormField]:
    fields: list[FormField] = []
    for code, text in MANIFESTATIONS:
        name = field_name(code)
        fields.append(
            FormField(
                name=name,
                label_vi=f"{code}. {text}",
                label_en=(
                    f"Manifestation {code} (Resolution TW4, 12th term)"
                    if code != "DD-CV"
                    else "Public-service and professional ethics"
                ),
                type="select",
                required=True,
                choices=FINDING_CHOICES,
            )
        )
        fields.append(
            FormField(
                name=f"{name}_evidence",
                label_vi=f"Biểu hiện, chứng cứ ({code})",
                label_en=f"Evidence ({code})",
                type="textarea",
                required_if=RequiredIf(name, PRESENT),
                max_length=4000,
                help_vi="Bắt buộc khi đánh dấu “Có biểu hiện”.",
                help_en="Required when marked observed.",
            )
        )
    return fields


def assessment_form() -> FormSchema:
    """The periodic assessment of one cadre by the grassroots trade union."""
    head = [
        FormField(
            name="cadre",
            label_vi="Mã cán bộ, đảng viên",
            label_en="Cadre code",
            type="cadre",
            required=True,
        ),
        FormField(
            name="unit",
            label_vi="Cơ quan, đơn vị công tác",
            label_en="Workplace",
            type="text",
            required=True,
            max_length=300,
        ),
        FormField(
            name="union",
            label_vi="Công đoàn thực hiện giám sát",
            label_en="Supervising trade union",
            type="text",
            required=True,
            max_length=300,
        ),
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
            name="period",
            label_vi="Kỳ đánh giá",
            label_en="Period",
            type="select",
            required=True,
            choices=[Choice(k, vi, en) for k, (vi, en) in PERIODS.items()],
        ),
        FormField(
            name="assessed_on",
            label_vi="Ngày đánh giá",
            label_en="Assessed on",
            type="date",
            required=True,
        ),
    ]
    tail = [
        FormField(
            name="conclusion",
            label_vi="Nhận xét chung",
            label_en="Overall comment",
            type="textarea",
            max_length=4000,
        ),
    ]
    return FormSchema(
        id="assessment",
        title_vi="Phiếu giám sát cán bộ, đảng viên ở nơi làm việc",
        title_en="Workplace supervision of a cadre",
        kind="assessment",
        fields=head + _finding_fields() + tail,
        description=(
            "Theo Hướng dẫn số 44/HD-TLĐ ngày 20/12/2021 của Tổng Liên đoàn Lao động Việt Nam."
        ),
        description_en=(
            "Under Guidance 44/HD-TLĐ of 20/12/2021 of the Vietnam General Confederation of Labour."
        ),
    )


def report_form() -> FormSchema:
    """An ad-hoc report by a union officer about one manifestation."""
    return FormSchema(
        id="report",
        title_vi="Báo cáo biểu hiện suy thoái tại nơi làm việc",
        title_en="Report of a manifestation at the workplace",
        kind="report",
        fields=[
            FormField(
                name="cadre",
                label_vi="Mã cán bộ, đảng viên",
                label_en="Cadre code",
                type="cadre",
                required=True,
            ),
            FormField(
                name="indicator",
                label_vi="Biểu hiện",
                label_en="Manifestation",
                type="indicator",
                required=True,
                choices=[Choice(code, f"{code}. {text[:80]}…") for code, text in MANIFESTATIONS],
            ),
            FormField(
                name="union",
                label_vi="Công đoàn báo cáo",
                label_en="Reporting union",
                type="text",
                required=True,
                max_length=300,
            ),
            FormField(
                name="occurred_on", label_vi="Thời gian xảy ra", label_en="When", type="date"
            ),
            FormField(
                name="content",
                label_vi="Nội dung",
                label_en="Details",
                type="textarea",
                required=True,
                max_length=10_000,
            ),
            FormField(
                name="evidence", label_vi="Tài liệu kèm theo", label_en="Documents", type="file"
            ),
        ],
    )
