"""plugins/REFERENCE.md is generated from the code and never drifts from it."""

from __future__ import annotations

from giamsat.channels import reference


def test_reference_matches_the_code() -> None:
    # given the reference rendered from the hooks, structs and kit as they are now
    rendered = reference.render()
    # then the committed file is exactly that (run `python -m giamsat.channels.reference`)
    assert reference.TARGET.read_text(encoding="utf-8") == rendered
    # and it documents every hook and the fields plugin authors asked about
    for name in ("channel_bulk_rows", "SignalDraft", "FormField", "find_cadre", "received_on"):
        assert name in rendered
