"""Intake errors that are not the channel registry's own."""

from __future__ import annotations

from giamsat.errors import InvalidInput, PermissionDenied
from giamsat.web.i18n import N_


class ChannelDisabled(PermissionDenied):
    """The committee has not enabled this channel, so it accepts nothing through it."""

    code = "channel_disabled"

    def __init__(self, channel: str, committee: str) -> None:
        super().__init__(
            N_("The channel %(channel)s is not turned on for committee %(committee)s."),
            field="channel",
            params={"channel": channel, "committee": committee},
        )
        self.channel = channel


class ChannelNotForLevel(InvalidInput):
    """A channel that does not serve this committee's level cannot be enabled there."""

    code = "channel_not_for_level"
