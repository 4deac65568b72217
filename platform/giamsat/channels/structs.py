"""The typed shapes that cross the boundary between the platform and channel plugins.

Every hook in :mod:`giamsat.channels.hookspecs` takes and returns these msgspec
Structs, and the registry re-validates whatever a plugin returns against them, so
a plugin can never hand the platform a half-formed value.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Literal

import msgspec

#: A channel or form identifier: lower-case ASCII, digits and dashes ("workplace").
Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9-]{0,62}$")]
#: An indicator code from the catalogue ("DD1", "DD-CV", "NCT7").
IndicatorCode = Annotated[str, msgspec.Meta(pattern=r"^[A-Z][A-Z0-9-]{0,31}$")]
#: A form field name, also used as a column key in facts.
FieldName = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,62}$")]

CommitteeLevel = Literal["central", "province", "district", "commune", "residential-group"]
FieldType = Literal[
    "text", "textarea", "select", "multiselect", "date", "number", "cadre", "indicator", "file"
]
SignalKind = Literal["report", "complaint", "denunciation", "feedback", "survey", "assessment"]
#: One value of a validated submission. Dates travel as ISO strings ("2022-11-25")
#: because a msgspec union may hold only one string-like type.
FieldValue = str | int | float | list[str] | None
#: One fact carried by a signal into the rule engine.
FactValue = str | int | bool


class ChannelInfo(msgspec.Struct, frozen=True, kw_only=True):
    """What a channel is, shown to admins and used to enable it per committee."""

    name: Slug
    label_vi: str
    label_en: str
    description: str
    levels: list[CommitteeLevel]
    submitter_roles: list[str]
    version: str


class Choice(msgspec.Struct, frozen=True):
    """One option of a select, multiselect or indicator field."""

    value: str
    label_vi: str
    label_en: str = ""


class RequiredIf(msgspec.Struct, frozen=True):
    """Makes a field required when another field holds a given value."""

    field: FieldName
    value: str


class FormField(msgspec.Struct, frozen=True, kw_only=True):
    """One input of an intake form (trường của biểu mẫu)."""

    name: FieldName
    label_vi: str
    label_en: str
    type: FieldType
    required: bool = False
    required_if: RequiredIf | None = None
    choices: list[Choice] = []
    max_length: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    help_vi: str = ""
    help_en: str = ""


DEFAULT_CONTENT_TYPES = (
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)


class AttachmentLimits(msgspec.Struct, frozen=True, kw_only=True):
    """Limits on files attached to one submission (tệp đính kèm)."""

    max_files: int = 5
    max_bytes_per_file: int = 10 * 1024 * 1024
    content_types: list[str] = msgspec.field(default_factory=lambda: list(DEFAULT_CONTENT_TYPES))


class FormSchema(msgspec.Struct, frozen=True, kw_only=True):
    """An intake form that the platform renders as HTML and validates."""

    id: Slug
    title_vi: str
    title_en: str
    kind: SignalKind
    fields: list[FormField]
    attachments: AttachmentLimits = msgspec.field(default_factory=AttachmentLimits)
    description: str = ""


class Attachment(msgspec.Struct, frozen=True, kw_only=True):
    """An uploaded file's metadata; the bytes stay with the platform's storage."""

    field: FieldName
    filename: str
    content_type: str
    size: int
    sha256: str = ""


class Submission(msgspec.Struct, frozen=True, kw_only=True):
    """A submission that already passed validation against its FormSchema."""

    channel: Slug
    form_id: Slug
    values: dict[str, FieldValue]
    attachments: list[Attachment] = []
    received_on: date
    submitter_role: str = ""
    anonymous: bool = False


class SignalDraft(msgspec.Struct, frozen=True, kw_only=True):
    """A signal a channel proposes; the platform stores it and feeds the rule pack."""

    channel: Slug
    kind: SignalKind
    cadre_code: str | None = None
    #: Who or what the signal is about when no register entry is named: a cadre's name as the
    #: submitter wrote it, or an organisation's name (cơ quan, tổ chức).
    subject_text: Annotated[str, msgspec.Meta(max_length=255)] = ""
    indicator_codes: list[IndicatorCode] = []
    facts: dict[str, FactValue] = {}
    source: str
    summary: str = ""
    occurred_on: date | None = None
    received_on: date
    anonymous: bool = False


class BulkColumn(msgspec.Struct, frozen=True, kw_only=True):
    """One column of a bulk-import sheet."""

    name: str
    label_vi: str
    label_en: str
    required: bool = False
    help_vi: str = ""


class BulkFormat(msgspec.Struct, frozen=True, kw_only=True):
    """A sheet layout (CSV or .xlsx, header on the first row) a channel imports."""

    id: Slug
    label_vi: str
    label_en: str
    columns: list[BulkColumn]


class FieldError(msgspec.Struct, frozen=True):
    """A problem with one field (or sheet column); ``field`` is empty for the whole form."""

    field: str
    message_vi: str
    message_en: str = ""


class RowResult(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome for one sheet row, in the order the rows were given."""

    ok: bool
    errors: list[FieldError] = []
    signals: list[SignalDraft] = []


class ReportRequest(msgspec.Struct, frozen=True, kw_only=True):
    """What a channel gets when contributing to a period report (báo cáo kết quả)."""

    period_start: date
    period_end: date
    signals: list[SignalDraft]


class ReportSection(msgspec.Struct, frozen=True, kw_only=True):
    """A titled section of a report: paragraphs and an optional table."""

    title_vi: str
    title_en: str
    paragraphs: list[str] = []
    table_header: list[str] = []
    table_rows: list[list[str]] = []


class CadreRef(msgspec.Struct, frozen=True, kw_only=True):
    """The few facts about a cadre a channel may see (never the ORM row)."""

    code: str
    full_name: str
    position: str = ""
    managing_level: CommitteeLevel | None = None


def _no_cadres(code: str) -> CadreRef | None:
    return None


class ChannelContext(msgspec.Struct, frozen=True, kw_only=True):
    """The narrow facade a plugin receives: its committee, its config, two look-ups.

    Built per request by the platform for the resolved committee (tenant); plugins
    must not keep it beyond the call, so no tenant can leak into another's request.
    """

    committee_code: str
    committee_level: CommitteeLevel
    committee_name: str
    config: dict[str, str | int | bool] = {}
    indicator_codes: frozenset[str] = frozenset()
    #: Where ``indicator_codes`` came from, for error messages: the rule pack version in force,
    #: or a note that no pack is published and the built-in catalogue is used.
    indicator_source: str = ""
    find_cadre: Callable[[str], CadreRef | None] = _no_cadres


class PluginStatus(msgspec.Struct, frozen=True, kw_only=True):
    """One plugin's state for the admin page: active, blocked (with why) or shadowed."""

    plugin: str
    channel: str | None
    state: Literal["active", "blocked", "shadowed"]
    reason: str = ""
    distribution: str = ""
    version: str = ""
