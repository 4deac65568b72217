"""Channel plugins: how signals reach a committee (kênh tiếp nhận thông tin).

Public API for the platform: :func:`build_registry` and :class:`ChannelRegistry`,
:func:`forms.validate` / :func:`forms.render_fields`, :func:`sheets.read_sheet`.
Public API for plugin authors: :data:`hookimpl`, the Structs re-exported here, and
:class:`SubmissionRejected`. See ``plugins/README.md``.
"""

from giamsat.channels.errors import (
    ChannelBlocked,
    ChannelError,
    SubmissionInvalid,
    SubmissionRejected,
    UnknownChannel,
    UnknownForm,
)
from giamsat.channels.hookspecs import ENTRY_POINT_GROUP, hookimpl
from giamsat.channels.loading import build_registry
from giamsat.channels.registry import ChannelRegistry
from giamsat.channels.structs import (
    Attachment,
    AttachmentLimits,
    BulkColumn,
    BulkFormat,
    CadreRef,
    ChannelContext,
    ChannelInfo,
    Choice,
    FieldError,
    FormField,
    FormSchema,
    PluginStatus,
    ReportRequest,
    ReportSection,
    RequiredIf,
    RowResult,
    SignalDraft,
    Submission,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "Attachment",
    "AttachmentLimits",
    "BulkColumn",
    "BulkFormat",
    "CadreRef",
    "ChannelBlocked",
    "ChannelContext",
    "ChannelError",
    "ChannelInfo",
    "ChannelRegistry",
    "Choice",
    "FieldError",
    "FormField",
    "FormSchema",
    "PluginStatus",
    "ReportRequest",
    "ReportSection",
    "RequiredIf",
    "RowResult",
    "SignalDraft",
    "Submission",
    "SubmissionInvalid",
    "SubmissionRejected",
    "UnknownChannel",
    "UnknownForm",
    "build_registry",
    "hookimpl",
]
