"""The typed shapes that cross the boundary between the platform and channel plugins.

Every hook in :mod:`giamsat.channels.hookspecs` takes and returns these msgspec
Structs, and the registry re-validates whatever a plugin returns against them, so
a plugin can never hand the platform a half-formed value.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
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
#: One value as :func:`giamsat.channels.forms.validate` returns it: dates as ISO strings
#: ("2022-11-25"), because a msgspec union may hold only one string-like type.
FieldValue = str | int | float | list[str] | None
#: One value of a :class:`Submission` as a plugin receives it: text, a number, a date, a list
#: of codes (multiselect, multi-valued indicator field), or None for an empty optional field.
SubmittedValue = str | int | float | date | list[str] | None
#: One fact carried by a signal into the rule engine.
FactValue = str | int | bool


class ChannelInfo(msgspec.Struct, frozen=True, kw_only=True):
    """What a channel is, shown to admins and used to enable it per committee."""

    #: The channel's identity, carried by its signals (never changes between versions).
    name: Slug
    label_vi: str
    label_en: str
    description: str
    #: The description on an English page (without it, the Vietnamese, marked as such).
    description_en: str = ""
    #: The committee levels the channel serves (it can be enabled only there).
    levels: list[CommitteeLevel]
    #: The partner organisations (codes, e.g. ``union``) whose officers may submit here; the
    #: committee's own staff may submit on every channel it enabled.
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

    #: The value's key in ``Submission.values`` (and the sheet column's, unless renamed).
    name: FieldName
    label_vi: str
    label_en: str
    type: FieldType
    required: bool = False
    #: Required when another field holds a given value.
    required_if: RequiredIf | None = None
    #: For select and multiselect; for an indicator field, narrows the catalogue (leave empty to
    #: offer the whole catalogue in force, each code with its text).
    choices: list[Choice] = []
    max_length: int | None = None
    min_value: float | None = None
    max_value: float | None = None
    help_vi: str = ""
    help_en: str = ""
    #: For an ``indicator`` field: several codes may be chosen (a list of codes arrives).
    multiple: bool = False


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
    description_en: str = ""


class Attachment(msgspec.Struct, frozen=True, kw_only=True):
    """An uploaded file's metadata; the bytes stay with the platform's storage."""

    field: FieldName
    filename: str
    content_type: str
    size: int
    sha256: str = ""


class Submission(msgspec.Struct, frozen=True, kw_only=True):
    """A submission that already passed validation against its FormSchema.

    ``values`` hold typed values: dates as ``date``, numbers as ``int`` or ``float``, lists for
    multiselect and multi-valued indicator fields, None for an empty optional field. The typed
    accessors (:meth:`text_of`, :meth:`date_of`, :meth:`number_of`, :meth:`codes_of`) read one
    field each.
    """

    channel: Slug
    form_id: Slug
    values: dict[str, SubmittedValue]
    attachments: list[Attachment] = []
    received_on: date
    submitter_role: str = ""
    anonymous: bool = False

    def text_of(self, name: str) -> str:
        """The field's text ("" when empty; a number or a date as its text)."""
        value = self.values.get(name)
        if value is None or isinstance(value, list):
            return ", ".join(value) if isinstance(value, list) else ""
        return value.isoformat() if isinstance(value, date) else str(value)

    def date_of(self, name: str) -> date | None:
        """The date field's date, or None when empty."""
        value = self.values.get(name)
        return value if isinstance(value, date) else None

    def number_of(self, name: str) -> int | float | None:
        """The number field's number, or None when empty."""
        value = self.values.get(name)
        return value if isinstance(value, int | float) else None

    def codes_of(self, name: str) -> list[str]:
        """The chosen values of a multiselect or indicator field (one value as a list of one)."""
        value = self.values.get(name)
        if isinstance(value, list):
            return list(value)
        return [value] if isinstance(value, str) and value else []


class SignalDraft(msgspec.Struct, frozen=True, kw_only=True):
    """A signal a channel proposes; the platform stores it and feeds the rule pack."""

    #: This channel's name.
    channel: Slug
    kind: SignalKind
    #: A register entry the committee may name (the platform checks it).
    cadre_code: str | None = None
    #: Who or what the signal is about when no register entry is named: a cadre's name as the
    #: submitter wrote it, or an organisation's name (cơ quan, tổ chức).
    subject_text: Annotated[str, msgspec.Meta(max_length=255)] = ""
    #: Codes of the catalogue in force (the platform checks them).
    indicator_codes: list[IndicatorCode] = []
    #: Values the rule pack's conditions may test.
    facts: dict[str, FactValue] = {}
    #: Who sent it, in words ("Công đoàn: …").
    source: str
    #: Shown to staff with the signal; never leaves the committee.
    summary: str = ""
    occurred_on: date | None = None
    #: Set by the platform from the submission (it chooses the plan year). Leave it out; a plugin
    #: that sets it to any other date than ``Submission.received_on`` is refused.
    received_on: date | None = None
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
    #: The column holding each row's received date, when the sheet has one: the platform reads
    #: it (a date, never in the future, never before the plan in force; an empty cell is the day
    #: of the import) and decides each row's signals by the plan in force on that date.
    received_column: str = ""


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
    """A titled section of a report: paragraphs and an optional table, in Vietnamese and, where
    the plugin gives them, English (an English page shows the Vietnamese, marked as such, for
    whatever has no English)."""

    title_vi: str
    title_en: str
    paragraphs: list[str] = []
    table_header: list[str] = []
    table_rows: list[list[str]] = []
    paragraphs_en: list[str] = []
    table_header_en: list[str] = []
    table_rows_en: list[list[str]] = []


class CatalogueEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One indicator of the catalogue in force (tiêu chí), with its wording."""

    code: IndicatorCode
    text_vi: str = ""
    text_en: str = ""

    def label(self, width: int = 0) -> str:
        """``"DD3. Kê khai tài sản …"``, the text cut at ``width`` characters when given."""
        text = self.text_vi if not width or len(self.text_vi) <= width else self.text_vi[:width]
        cut = "…" if width and len(self.text_vi) > width else ""
        return f"{self.code}. {text}{cut}" if text else self.code


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
    #: The catalogue's entries with their texts, in catalogue order (codes as ``indicator_codes``).
    catalogue: tuple[CatalogueEntry, ...] = ()

    def indicator(self, code: str) -> CatalogueEntry:
        """The catalogue entry of ``code`` (an entry without text when the catalogue has none)."""
        found = next((entry for entry in self.catalogue if entry.code == code), None)
        return found or CatalogueEntry(code=code)


class PluginStatus(msgspec.Struct, frozen=True, kw_only=True):
    """One plugin's state for the admin page: active, blocked (with why) or shadowed."""

    plugin: str
    channel: str | None
    state: Literal["active", "blocked", "shadowed"]
    reason: str = ""
    distribution: str = ""
    version: str = ""
    #: When it was blocked (a fault while running; shared by every replica through the database).
    blocked_at: datetime | None = None
    #: Who re-enabled it after its last block, and when.
    reenabled_by: str = ""
    reenabled_at: datetime | None = None


class StoredState(msgspec.Struct, frozen=True, kw_only=True):
    """A plugin's state as every replica shares it (the platform's ``plugin_state`` table)."""

    plugin: str
    state: Literal["active", "blocked"]
    reason: str = ""
    blocked_at: datetime | None = None
    reenabled_by: str = ""
    reenabled_at: datetime | None = None


class NewBlock(msgspec.Struct, frozen=True, kw_only=True):
    """A running plugin just blocked in this process, for the platform to share and announce."""

    plugin: str
    channel: str
    reason: str
    at: datetime
