"""The platform owns the received date, the cadres a committee may name and the catalogue: a
plugin's signals that break one of these are refused, naming the plugin and the field."""

from __future__ import annotations

from datetime import date

import pytest

from giamsat.channels import (
    ChannelBlocked,
    ChannelContext,
    ChannelInfo,
    FormField,
    FormSchema,
    PluginContractError,
    SignalDraft,
    Submission,
    build_registry,
    hookimpl,
)

RECEIVED = date(2026, 11, 30)


class Sloppy:
    """A plugin whose signal fields come from the submitted text (to try each wrong value)."""

    @hookimpl
    def channel_info(self) -> ChannelInfo:
        return ChannelInfo(
            name="sloppy",
            label_vi="Thử",
            label_en="Test",
            description="",
            levels=["commune"],
            submitter_roles=[],
            version="1",
        )

    @hookimpl
    def channel_forms(self) -> list[FormSchema]:
        field = FormField(name="what", label_vi="Gì", label_en="What", type="text")
        return [FormSchema(id="f", title_vi="F", title_en="F", kind="report", fields=[field])]

    @hookimpl
    def channel_signals(self, submission: Submission) -> list[SignalDraft]:
        what = str(submission.values["what"])
        values: dict[str, object] = {
            "date": {"received_on": date(2024, 5, 1)},
            "same-date": {"received_on": submission.received_on},
            "cadre": {"cadre_code": "HN-9999"},
            "indicator": {"indicator_codes": ["DD1", "ZZ9"]},
            "kind": {"kind": 42},
        }[what]
        base: dict[str, object] = {"channel": "sloppy", "kind": "report", "source": "t"}
        return [SignalDraft(**(base | values))]  # type: ignore[arg-type]


@pytest.fixture
def registry() -> object:
    registry = build_registry(defaults=False, entry_points=False)
    registry.add("sloppy-plugin", Sloppy())
    return registry


def _submit(registry: object, context: ChannelContext, what: str) -> list[SignalDraft]:
    return registry.submit(  # type: ignore[attr-defined, no-any-return]
        "sloppy", context, "f", {"what": what}, received_on=RECEIVED
    )


@pytest.mark.parametrize(
    ("what", "field"),
    [("date", "received_on"), ("cadre", "cadre_code"), ("indicator", "indicator_codes")],
)
def test_a_plugin_setting_what_the_platform_owns_is_refused(
    registry: object, context: ChannelContext, what: str, field: str
) -> None:
    # given a plugin whose signal sets a received date, a cadre or an indicator of its own
    # when a submission goes through it
    with pytest.raises(PluginContractError) as refused:
        _submit(registry, context, what)
    # then it is refused with an error naming the plugin and the field, and stays active
    [error] = refused.value.errors
    assert error.field == field
    assert "sloppy-plugin" in error.message_en and field in error.message_en
    assert _submit(registry, context, "same-date")[0].received_on == RECEIVED


def test_the_platform_sets_the_received_date(registry: object, context: ChannelContext) -> None:
    # given a plugin that leaves the received date out (the kit's way) or copies it
    # when a submission received on 30/11/2026 goes through it
    [signal] = _submit(registry, context, "same-date")
    # then the signal carries the submission's date
    assert signal.received_on == RECEIVED


def test_a_wrong_typed_field_blocks_the_plugin_naming_the_field(
    registry: object, context: ChannelContext
) -> None:
    # given a plugin that returns a number where the kind belongs
    # when a submission goes through it
    with pytest.raises(ChannelBlocked) as blocked:
        _submit(registry, context, "kind")
    # then the plugin is blocked with a reason naming it and the field
    assert "sloppy-plugin.channel_signals" in blocked.value.reason
    assert "kind" in blocked.value.reason
