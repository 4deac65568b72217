"""The channel errors the platform maps to HTTP responses in one place.

Every error carries a message fit to show; ``SubmissionInvalid`` also carries the
per-field errors so a form can be re-rendered with each message beside its field.
"""

from __future__ import annotations

from giamsat.channels.structs import FieldError


class ChannelError(Exception):
    """Base of every error raised by the channel registry."""


class UnknownChannel(ChannelError):
    """No active channel has this name (never installed, or disabled)."""

    def __init__(self, channel: str) -> None:
        super().__init__(f"unknown channel: {channel!r}")
        self.channel = channel


class ChannelBlocked(ChannelError):
    """The channel's plugin is blocked; ``reason`` says why (shown to admins)."""

    def __init__(self, channel: str, reason: str) -> None:
        super().__init__(f"channel {channel!r} is blocked: {reason}")
        self.channel = channel
        self.reason = reason


class UnknownForm(ChannelError):
    """The channel offers no form or bulk format with this id."""

    def __init__(self, channel: str, form_id: str) -> None:
        super().__init__(f"channel {channel!r} has no form or format {form_id!r}")
        self.channel = channel
        self.form_id = form_id


class SubmissionInvalid(ChannelError):
    """A submission failed validation; ``errors`` point at the fields at fault."""

    def __init__(self, errors: list[FieldError]) -> None:
        fields = ", ".join(error.field or "(form)" for error in errors)
        super().__init__(f"invalid submission: {fields}")
        self.errors = errors


class SubmissionRejected(SubmissionInvalid):
    """Raised by a plugin to refuse a submission for a business reason.

    Unlike any other exception from a hook, this one does not block the plugin.
    """


class PluginContractError(SubmissionInvalid):
    """A plugin's signals broke a rule the platform keeps (a received date of its own, a cadre
    outside the committee's reach, an indicator outside the catalogue): the submission is refused
    and nothing is stored; ``errors`` name the plugin and the field."""

    def __init__(self, plugin: str, errors: list[FieldError]) -> None:
        super().__init__(errors)
        self.plugin = plugin
