"""Registry rules exercised with small plugins registered inline."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from giamsat.channels import (
    ChannelBlocked,
    ChannelContext,
    ChannelInfo,
    FieldError,
    FormField,
    FormSchema,
    SignalDraft,
    Submission,
    SubmissionRejected,
    build_registry,
    hookimpl,
)


def _info(name: str) -> ChannelInfo:
    return ChannelInfo(
        name=name,
        label_vi=name,
        label_en=name,
        description="",
        levels=["commune"],
        submitter_roles=[],
        version="1",
    )


class Replacement:
    """A partner plugin that takes over the built-in "citizen" channel."""

    @hookimpl
    def channel_info(self) -> ChannelInfo:
        return _info("citizen")

    @hookimpl
    def channel_forms(self) -> list[FormSchema]:
        fields = [FormField(name="text", label_vi="Nội dung", label_en="Text", type="text")]
        return [
            FormSchema(
                id="short", title_vi="Ngắn", title_en="Short", kind="feedback", fields=fields
            )
        ]

    @hookimpl
    def channel_signals(self, submission: Submission) -> list[SignalDraft]:
        if submission.values["text"] == "spam":
            raise SubmissionRejected([FieldError("text", "Nội dung rác", "spam")])
        channel = "citizen" if submission.values["text"] != "elsewhere" else "workplace"
        return [
            SignalDraft(
                channel=channel, kind="feedback", source="test", received_on=submission.received_on
            )
        ]


def test_installed_plugin_overrides_the_trylast_default(context: ChannelContext) -> None:
    # given the default citizen channel and a replacement registered after it
    registry = build_registry(entry_points=False)
    registry.add("replacement", Replacement())
    # when the citizen channel's forms are listed
    forms = registry.forms("citizen", context)
    # then the replacement serves it and the default is shadowed, not blocked
    assert [f.id for f in forms] == ["short"]
    states = {s.plugin: (s.state, s.reason) for s in registry.statuses()}
    assert states["giamsat.citizen"] == ("shadowed", "channel provided by replacement")


def test_rejection_does_not_block_but_foreign_signals_do(context: ChannelContext) -> None:
    # given the replacement plugin
    registry = build_registry(entry_points=False)
    registry.add("replacement", Replacement())
    # when it rejects a submission, then the error reaches the user and the plugin stays
    with pytest.raises(SubmissionRejected):
        registry.submit("citizen", context, "short", {"text": "spam"}, received_on=date(2022, 1, 3))
    assert registry.forms("citizen", context)
    # when it returns a signal for another channel, then it is blocked
    with pytest.raises(ChannelBlocked, match="other channels: workplace"):
        registry.submit(
            "citizen", context, "short", {"text": "elsewhere"}, received_on=date(2022, 1, 3)
        )
    # and the default citizen channel takes over again
    assert [f.id for f in registry.forms("citizen", context)] == ["report"]


def test_plugin_missing_a_required_hook_is_blocked() -> None:
    # given a plugin with channel_info only
    partial = SimpleNamespace(channel_info=hookimpl(lambda: _info("partial")))
    registry = build_registry(defaults=False, entry_points=False)
    # when it is added
    registry.add("partial", partial)
    # then it is blocked and says which hooks are missing
    [status] = registry.statuses()
    assert status.state == "blocked"
    assert status.reason == "missing required hooks: channel_forms, channel_signals"


def test_plugin_with_an_unknown_hook_is_blocked_and_not_registered() -> None:
    # given a plugin implementing a hook that does not exist
    typo = SimpleNamespace(channel_signal=hookimpl(lambda: []))
    registry = build_registry(defaults=False, entry_points=False)
    # when it is added
    registry.add("typo", typo)
    # then it is blocked with pluggy's explanation and holds no hooks
    [status] = registry.statuses()
    assert status.state == "blocked"
    assert "unknown hook" in status.reason
    assert not registry.plugin_manager.is_registered(typo)


def test_garbage_channel_info_blocks_at_load() -> None:
    # given a plugin whose channel_info is not a ChannelInfo
    bad = SimpleNamespace(
        channel_info=hookimpl(lambda: {"name": "Bad Name!"}),
        channel_forms=hookimpl(lambda: []),
        channel_signals=hookimpl(lambda: []),
    )
    registry = build_registry(defaults=False, entry_points=False)
    # when it is added
    registry.add("bad", bad)
    # then it is blocked at load with the validation error, and no channel is active
    [status] = registry.statuses()
    assert status.state == "blocked"
    assert "channel_info returned an invalid value" in status.reason
    assert registry.channels() == []
