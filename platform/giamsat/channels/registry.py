"""The channel registry: which channel plugins are loaded, active or blocked, and calls.

One ``ChannelRegistry`` per process, built by :func:`giamsat.channels.loading.build_registry`
(never at import time). It owns a pluggy ``PluginManager`` only for hook-signature
checks and call order; it never makes a pluggy fan-out call, because one raising
hookimpl aborts the whole call. Instead each plugin's hookimpl is called on its own,
in a worker thread with a time limit, and its result is re-validated. A plugin that
raises, hangs or returns garbage is blocked with the reason and other channels go on.

Blocking is not tenant data: it records a broken plugin, not a committee's choice. A
plugin blocked while running is handed out by :meth:`ChannelRegistry.take_new_blocks`,
and :meth:`ChannelRegistry.apply_states` follows the state every replica shares (the
platform stores it: :mod:`giamsat.intake.plugin_states`). Per-committee enabling and
configuration arrive through the ``ChannelContext`` the platform builds for each request.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal, TypeVar

import msgspec
import pluggy

from giamsat.channels import forms as form_rules
from giamsat.channels import hookspecs
from giamsat.channels.errors import (
    ChannelBlocked,
    PluginContractError,
    SubmissionRejected,
    UnknownChannel,
    UnknownForm,
)
from giamsat.channels.guard import FaultKind, PluginFault, call_with_limit, validated
from giamsat.channels.sheets import BulkOutcome, RowReport
from giamsat.channels.structs import (
    Attachment,
    BulkFormat,
    ChannelContext,
    ChannelInfo,
    FieldError,
    FormSchema,
    NewBlock,
    PluginStatus,
    ReportRequest,
    ReportSection,
    RowResult,
    SignalDraft,
    StoredState,
    Submission,
)
from giamsat.observability.metrics import PLUGIN_FAILURES
from giamsat.web.i18n import N_, in_both

T = TypeVar("T")


@dataclass
class _Plugin:
    """What the registry knows about one registered plugin object."""

    name: str
    obj: object
    distribution: str = ""
    version: str = ""
    info: ChannelInfo | None = None
    blocked: str = ""
    #: When a running plugin was blocked (None for a block found at registration).
    blocked_at: datetime | None = None
    reenabled_by: str = ""
    reenabled_at: datetime | None = None
    shadowed_by: str = ""
    hooks: dict[str, pluggy.HookImpl] = field(default_factory=dict)


class ChannelRegistry:
    """Loaded channel plugins, their status, and safe per-plugin hook calls."""

    def __init__(self, *, timeout: float = 5.0) -> None:
        self.timeout = timeout
        self._pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self._pm.add_hookspecs(hookspecs)
        self._plugins: dict[str, _Plugin] = {}
        self._failed: list[PluginStatus] = []
        self._active: dict[str, _Plugin] = {}
        self._new_blocks: list[NewBlock] = []
        self._lock = threading.Lock()

    @property
    def plugin_manager(self) -> pluggy.PluginManager:
        """The underlying pluggy manager (for hook introspection, not for calls)."""
        return self._pm

    # -- loading ---------------------------------------------------------------

    def add(self, name: str, obj: object, *, distribution: str = "", version: str = "") -> None:
        """Register one plugin object; on any fault record it as blocked and go on."""
        plugin = _Plugin(name=name, obj=obj, distribution=distribution, version=version)
        kind: FaultKind | None = None
        try:
            self._register(plugin)
        except PluginFault as fault:
            # A failing hook call was already blocked (and counted) by ``_call``.
            kind = None if plugin.blocked else fault.kind
            plugin.blocked = fault.reason
        except Exception as exc:
            kind = "registration"
            plugin.blocked = f"could not be registered: {type(exc).__name__}: {exc}"
        if plugin.info is None:
            # Nothing callable came of it: keep only the record for the admin page.
            if self._pm.is_registered(obj) and self._pm.get_name(obj) == name:
                self._pm.unregister(obj)
            reason = plugin.blocked or "channel_info returned nothing"
            self._failed.append(_failed_status(name, reason, distribution, version))
            if kind is not None:
                _count_failure(name, kind)
            return
        if not plugin.info.levels and not plugin.blocked:
            plugin.blocked = "channel_info lists no committee level"
            kind = "registration"
        if kind is not None:
            _count_failure(name, kind)
        self._plugins[name] = plugin
        self._resolve()

    def record_failure(
        self,
        name: str,
        reason: str,
        *,
        distribution: str = "",
        version: str = "",
        kind: FaultKind = "import",
    ) -> None:
        """Record a plugin that never got as far as registering (e.g. import error)."""
        self._failed.append(_failed_status(name, reason, distribution, version))
        _count_failure(name, kind)

    def _register(self, plugin: _Plugin) -> None:
        try:
            self._pm.register(plugin.obj, name=plugin.name)
        except ValueError as exc:
            raise PluginFault(f"could not be registered: {exc}") from exc
        try:
            self._pm.check_pending()
        except pluggy.PluginValidationError as exc:
            self._pm.unregister(plugin.obj)
            raise PluginFault(f"implements an unknown hook: {exc}") from exc
        for hook_name in _hook_names(self._pm):
            for impl in getattr(self._pm.hook, hook_name).get_hookimpls():
                if impl.plugin is plugin.obj:
                    plugin.hooks[hook_name] = impl
        if any(impl.hookwrapper or impl.wrapper for impl in plugin.hooks.values()):
            raise PluginFault("hook wrappers are not allowed in channel plugins")
        missing = [hook for hook in hookspecs.REQUIRED_HOOKS if hook not in plugin.hooks]
        if missing:
            raise PluginFault(f"missing required hooks: {', '.join(missing)}")
        plugin.info = self._call(plugin, "channel_info", {}, ChannelInfo)

    def _resolve(self) -> None:
        """Pick, per channel name, the plugin pluggy would call first (trylast loses)."""
        order = reversed(self._pm.hook.channel_info.get_hookimpls())
        active: dict[str, _Plugin] = {}
        for impl in order:
            plugin = self._by_object(impl.plugin)
            if plugin is None or plugin.info is None or plugin.blocked:
                continue
            winner = active.get(plugin.info.name)
            plugin.shadowed_by = winner.name if winner else ""
            if winner is None:
                active[plugin.info.name] = plugin
        self._active = active

    def _by_object(self, obj: object) -> _Plugin | None:
        return next((p for p in self._plugins.values() if p.obj is obj), None)

    # -- status ----------------------------------------------------------------

    def statuses(self) -> list[PluginStatus]:
        """Return every plugin's state, blocked ones with their reason, for admins."""
        result = list(self._failed)
        for plugin in self._plugins.values():
            state: Literal["active", "blocked", "shadowed"] = (
                "blocked" if plugin.blocked else "shadowed" if plugin.shadowed_by else "active"
            )
            reason = plugin.blocked or (
                f"channel provided by {plugin.shadowed_by}" if plugin.shadowed_by else ""
            )
            result.append(
                PluginStatus(
                    plugin=plugin.name,
                    channel=plugin.info.name if plugin.info else None,
                    state=state,
                    reason=reason,
                    distribution=plugin.distribution,
                    version=plugin.version,
                    blocked_at=plugin.blocked_at if plugin.blocked else None,
                    reenabled_by=plugin.reenabled_by,
                    reenabled_at=plugin.reenabled_at,
                )
            )
        return sorted(result, key=lambda status: status.plugin)

    # -- one state for every replica ---------------------------------------------

    def take_new_blocks(self) -> list[NewBlock]:
        """The running plugins blocked in this process since the last call (to be shared)."""
        with self._lock:
            taken, self._new_blocks = self._new_blocks, []
        return taken

    def apply_states(self, states: Mapping[str, StoredState]) -> None:
        """Follow the state every replica shares: block a plugin blocked elsewhere, and lift a
        block that an admin re-enabled after it (a block found at registration stays)."""
        with self._lock:
            for plugin in self._plugins.values():
                stored = states.get(plugin.name)
                if stored is None or plugin.info is None:
                    continue
                if stored.state == "blocked" and not plugin.blocked:
                    plugin.blocked, plugin.blocked_at = stored.reason, stored.blocked_at
                elif _lifted(plugin.blocked_at, stored):
                    plugin.blocked, plugin.blocked_at = "", None
                if stored.reenabled_at:
                    plugin.reenabled_by, plugin.reenabled_at = (
                        stored.reenabled_by,
                        stored.reenabled_at,
                    )
            self._resolve()

    def known_channels(self) -> list[ChannelInfo]:
        """Every registered channel's info, blocked ones included (one per channel name)."""
        found: dict[str, ChannelInfo] = {}
        for plugin in self._plugins.values():
            if plugin.info is not None and not plugin.shadowed_by:
                found.setdefault(plugin.info.name, plugin.info)
        return [found[name] for name in sorted(found)]

    def channels(self) -> list[ChannelInfo]:
        """Return the active channels' info, sorted by channel name."""
        return [
            plugin.info
            for name, plugin in sorted(self._active.items())
            if plugin.info is not None and not plugin.blocked
        ]

    # -- calls -----------------------------------------------------------------

    def forms(self, channel: str, context: ChannelContext) -> list[FormSchema]:
        """Return the channel's intake forms for this committee."""
        plugin = self._plugin(channel)
        return self._call(plugin, "channel_forms", {"context": context}, list[FormSchema])

    def form(self, channel: str, context: ChannelContext, form_id: str) -> FormSchema:
        """Return one intake form of the channel, or raise UnknownForm."""
        for schema in self.forms(channel, context):
            if schema.id == form_id:
                return schema
        raise UnknownForm(channel, form_id)

    def submit(
        self,
        channel: str,
        context: ChannelContext,
        form_id: str,
        raw: form_rules.RawValues,
        *,
        received_on: date,
        attachments: list[Attachment] | None = None,
        anonymous: bool = False,
        submitter_role: str = "",
    ) -> list[SignalDraft]:
        """Validate a posted form and return the signals it produces.

        Raises SubmissionInvalid (per-field errors) for bad input, UnknownChannel,
        UnknownForm or ChannelBlocked otherwise.
        """
        schema = self.form(channel, context, form_id)
        values = form_rules.validate(schema, raw, attachments or [], context)
        submission = Submission(
            channel=channel,
            form_id=form_id,
            values=form_rules.typed(schema, values),
            attachments=attachments or [],
            received_on=received_on,
            submitter_role=submitter_role,
            anonymous=anonymous,
        )
        return self.signals(context, submission)

    def signals(self, context: ChannelContext, submission: Submission) -> list[SignalDraft]:
        """Return the signals the submission's channel makes of a validated submission."""
        plugin = self._plugin(submission.channel)
        kwargs = {"context": context, "submission": submission}
        drafts = self._call(plugin, "channel_signals", kwargs, list[SignalDraft])
        self._check_channel(plugin, drafts)
        return settle(plugin.name, context, drafts, submission.received_on)

    def bulk_formats(self, channel: str, context: ChannelContext) -> list[BulkFormat]:
        """Return the channel's bulk-import sheet formats (empty if it has none)."""
        plugin = self._plugin(channel)
        if "channel_bulk_formats" not in plugin.hooks:
            return []
        return self._call(plugin, "channel_bulk_formats", {"context": context}, list[BulkFormat])

    def import_rows(
        self,
        channel: str,
        context: ChannelContext,
        format_id: str,
        rows: list[dict[str, str]],
        line_numbers: list[int] | None = None,
        *,
        received_on: date,
    ) -> BulkOutcome:
        """Turn sheet rows into signals, all or nothing: any bad row keeps none.

        ``line_numbers`` are the rows' numbers in the sheet (header is line 1); by
        default the rows are taken to be lines 2, 3, … . Every bad row is reported.
        ``received_on`` is the sheet's received date, set on every signal.
        """
        plugin = self._plugin(channel)
        known = {fmt.id for fmt in self.bulk_formats(channel, context)}
        if format_id not in known or "channel_bulk_rows" not in plugin.hooks:
            raise UnknownForm(channel, format_id)
        lines = line_numbers or list(range(2, len(rows) + 2))
        kwargs = {
            "context": context,
            "format": format_id,
            "rows": rows,
            "received_on": received_on,
        }
        results = self._call(plugin, "channel_bulk_rows", kwargs, list[RowResult])
        if len(results) != len(rows):
            self._block(
                plugin,
                f"channel_bulk_rows returned {len(results)} results for {len(rows)} rows",
                "invalid",
            )
            raise ChannelBlocked(channel, plugin.blocked)
        for result in results:
            self._check_channel(plugin, result.signals)
        reports = [
            RowReport(line=line, ok=result.ok and not result.errors, errors=result.errors)
            for line, result in zip(lines, results, strict=True)
        ]
        accepted = all(report.ok for report in reports)
        signals = [draft for result in results for draft in result.signals] if accepted else []
        signals = settle(plugin.name, context, signals, received_on)
        return BulkOutcome(accepted=accepted, rows=reports, signals=signals)

    def report_sections(
        self, context: ChannelContext, request: ReportRequest
    ) -> dict[str, list[ReportSection]]:
        """Return each active channel's report sections; a failing channel is skipped."""
        sections: dict[str, list[ReportSection]] = {}
        for info in self.channels():
            try:
                sections[info.name] = self.channel_report_sections(info.name, context, request)
            except ChannelBlocked:
                continue
        return sections

    def channel_report_sections(
        self, channel: str, context: ChannelContext, request: ReportRequest
    ) -> list[ReportSection]:
        """One channel's part of a period report (empty when it has none); raises ChannelBlocked
        when the channel is blocked or its hook fails (which blocks it)."""
        plugin = self._plugin(channel)
        if "channel_report_sections" not in plugin.hooks:
            return []
        own = ReportRequest(
            period_start=request.period_start,
            period_end=request.period_end,
            signals=[s for s in request.signals if s.channel == channel],
        )
        kwargs = {"context": context, "request": own}
        return self._call(plugin, "channel_report_sections", kwargs, list[ReportSection])

    # -- internals ---------------------------------------------------------------

    def _plugin(self, channel: str) -> _Plugin:
        plugin = self._active.get(channel)
        if plugin is None:
            blocked = next(
                (p for p in self._plugins.values() if p.info and p.info.name == channel), None
            )
            if blocked is not None and blocked.blocked:
                raise ChannelBlocked(channel, blocked.blocked)
            raise UnknownChannel(channel)
        if plugin.blocked:
            raise ChannelBlocked(channel, plugin.blocked)
        return plugin

    def _call(self, plugin: _Plugin, hook: str, kwargs: dict[str, Any], shape: type[T]) -> T:
        """Call one plugin's hookimpl alone; block the plugin on any fault."""
        impl = plugin.hooks.get(hook)
        if impl is None:
            raise PluginFault(f"does not implement {hook}")
        what = f"{plugin.name}.{hook}"
        wanted = {name: kwargs[name] for name in impl.argnames if name in kwargs}
        try:
            value = call_with_limit(impl.function, wanted, self.timeout, what)
            return validated(value, shape, what)
        except SubmissionRejected:
            raise
        except PluginFault as fault:
            self._block(plugin, fault.reason, fault.kind)
        except Exception as exc:
            self._block(plugin, f"{what} raised {type(exc).__name__}: {exc}", "exception")
        if plugin.info is None:
            raise PluginFault(plugin.blocked)
        raise ChannelBlocked(plugin.info.name, plugin.blocked)

    def _check_channel(self, plugin: _Plugin, drafts: list[SignalDraft]) -> None:
        assert plugin.info is not None
        wrong = sorted({d.channel for d in drafts if d.channel != plugin.info.name})
        if wrong:
            self._block(
                plugin, f"returned signals for other channels: {', '.join(wrong)}", "invalid"
            )
            raise ChannelBlocked(plugin.info.name, plugin.blocked)

    def _block(self, plugin: _Plugin, reason: str, kind: FaultKind) -> None:
        with self._lock:
            newly = not plugin.blocked
            if newly:
                plugin.blocked = reason
                if plugin.info is not None:
                    plugin.blocked_at = datetime.now(UTC)
                    self._new_blocks.append(
                        NewBlock(
                            plugin=plugin.name,
                            channel=plugin.info.name,
                            reason=reason,
                            at=plugin.blocked_at,
                        )
                    )
            self._resolve()
        if newly:
            _count_failure(plugin.name, kind)


def _lifted(blocked_at: datetime | None, stored: StoredState) -> bool:
    """Whether an admin re-enabled the plugin after this process blocked it."""
    return (
        stored.state == "active"
        and blocked_at is not None
        and stored.reenabled_at is not None
        and blocked_at <= stored.reenabled_at
    )


def settle(
    plugin: str, context: ChannelContext, drafts: list[SignalDraft], received_on: date
) -> list[SignalDraft]:
    """The drafts with the platform's received date, or PluginContractError naming the plugin
    and the field when a draft sets its own date, names a cadre outside the committee's reach
    or an indicator outside the catalogue in force (then nothing is stored)."""
    errors: list[FieldError] = []
    for number, draft in enumerate(drafts, start=1):
        if draft.received_on is not None and draft.received_on != received_on:
            errors.append(
                FieldError(
                    "received_on",
                    *in_both(
                        N_(
                            "%(plugin)s, signal %(number)s: received_on is set by the platform, "
                            "not by the plugin (it returned %(date)s)"
                        ),
                        plugin=plugin,
                        number=number,
                        date=f"{draft.received_on:%d/%m/%Y}",
                    ),
                )
            )
        if draft.cadre_code and context.find_cadre(draft.cadre_code) is None:
            errors.append(
                FieldError(
                    "cadre_code",
                    *in_both(
                        N_(
                            "%(plugin)s, signal %(number)s: cadre_code %(code)s is not a cadre "
                            "%(committee)s may name"
                        ),
                        plugin=plugin,
                        number=number,
                        code=draft.cadre_code,
                        committee=context.committee_name,
                    ),
                )
            )
        outside = [c for c in draft.indicator_codes if c not in context.indicator_codes]
        if outside and context.indicator_codes:
            errors.append(
                FieldError(
                    "indicator_codes",
                    *in_both(
                        N_(
                            "%(plugin)s, signal %(number)s: indicator_codes %(codes)s are not in "
                            "the indicator catalogue in force"
                        ),
                        plugin=plugin,
                        number=number,
                        codes=", ".join(outside),
                    ),
                )
            )
    if errors:
        raise PluginContractError(plugin, errors)
    return [msgspec.structs.replace(draft, received_on=received_on) for draft in drafts]


def _failed_status(name: str, reason: str, distribution: str, version: str) -> PluginStatus:
    return PluginStatus(
        plugin=name,
        channel=None,
        state="blocked",
        reason=reason,
        distribution=distribution,
        version=version,
    )


def _count_failure(plugin: str, kind: FaultKind) -> None:
    """One blocked plugin, once, in ``giamsat_plugin_failures_total`` (label: the fault's kind)."""
    PLUGIN_FAILURES.labels(plugin=plugin, reason=kind).inc()


def _hook_names(pm: pluggy.PluginManager) -> list[str]:
    return [name for name in vars(pm.hook) if name.startswith("channel_")]
