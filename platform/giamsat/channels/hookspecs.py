"""The channel plugin contract: every hook a channel plugin may implement.

A channel (kênh tiếp nhận) is one way signals reach a Front committee: trade-union
supervision at the workplace, the Ban công tác Mặt trận at the place of residence, a
partner organisation's own intake, the public portal. Each channel ships as an
installable distribution exposing one object (usually a module) under the entry-point
group ``giamsat.channels``; that object implements the hooks below with
``@giamsat.channels.hookimpl``.

Rules every hook follows, so that the platform can call plugins safely:

* arguments and return values are msgspec Structs from :mod:`giamsat.channels.structs`;
  the registry re-validates each return value and blocks a plugin that returns
  anything else;
* each hook has exactly one return shape (a Struct or a list of Structs), never "a
  value, or a callable, or an awaitable";
* hooks are plain synchronous functions; the registry runs each call in a worker
  thread with a time limit and blocks a plugin that raises or hangs;
* a plugin implements hooks for exactly one channel; every hook except
  ``channel_info`` may take ``context`` (a :class:`ChannelContext`), and a plugin may
  omit arguments it does not need.

``channel_info``, ``channel_forms`` and ``channel_signals`` are required;
``channel_bulk_formats``, ``channel_bulk_rows`` and ``channel_report_sections`` are
optional.
"""

from __future__ import annotations

from datetime import date

import pluggy

from giamsat.channels.structs import (
    BulkFormat,
    ChannelContext,
    ChannelInfo,
    FormSchema,
    ReportRequest,
    ReportSection,
    RowResult,
    SignalDraft,
    Submission,
)

PROJECT_NAME = "giamsat"
ENTRY_POINT_GROUP = "giamsat.channels"
REQUIRED_HOOKS = ("channel_info", "channel_forms", "channel_signals")

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def channel_info() -> ChannelInfo:  # type: ignore[empty-body]
    """Return a ChannelInfo: the channel's name, labels, levels, submitter roles, version.

    Called once when the plugin is loaded; the ``name`` is the channel's identity
    (signals carry it), so it must not change between versions.
    """


@hookspec
def channel_forms(context: ChannelContext) -> list[FormSchema]:  # type: ignore[empty-body]
    """Return a list of FormSchema: the intake forms this channel offers.

    The platform renders each form as HTML and validates submissions against it
    before ``channel_signals`` ever sees them. The context carries the committee's
    channel configuration, so forms may differ per committee.
    """


@hookspec
def channel_signals(  # type: ignore[empty-body]
    context: ChannelContext, submission: Submission
) -> list[SignalDraft]:
    """Return a list of SignalDraft: the signals one validated submission produces.

    Each draft must carry this channel's name in ``channel`` and leave ``received_on`` to
    the platform (a draft with another received date, a cadre the committee may not name
    or an indicator outside the catalogue refuses the submission). An empty list is allowed
    (a submission with nothing to act on). To refuse a submission for a business
    reason, raise :class:`giamsat.channels.SubmissionRejected`; any other exception
    blocks the plugin.
    """


@hookspec
def channel_bulk_formats(context: ChannelContext) -> list[BulkFormat]:  # type: ignore[empty-body]
    """Return a list of BulkFormat: the sheet layouts this channel can import in bulk.

    Optional. Sheets are CSV or .xlsx with the header on the first row; the platform
    parses the file and passes rows to ``channel_bulk_rows``.
    """


@hookspec
def channel_bulk_rows(  # type: ignore[empty-body]
    context: ChannelContext, format: str, rows: list[dict[str, str]], received_on: date
) -> list[RowResult]:
    """Return a list of RowResult: one per input row, in order, each ok or with errors.

    Optional. ``format`` is a BulkFormat id; each row maps column name to the cell
    text (empty string for an empty cell); ``received_on`` is the sheet's received date
    (the platform sets it on every signal). The platform keeps a sheet only when every
    row is ok: a sheet with any bad row keeps none, and the user sees every bad row.
    :class:`giamsat.channels.FormSheet` does all of this for a sheet that mirrors a form.
    """


@hookspec
def channel_report_sections(  # type: ignore[empty-body]
    context: ChannelContext, request: ReportRequest
) -> list[ReportSection]:
    """Return a list of ReportSection: this channel's part of a period report.

    Optional. The request carries the period and this channel's signals in it.
    """
