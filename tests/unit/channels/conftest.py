"""Fixtures for the channel tests: a committee context with a few real cadres."""

from __future__ import annotations

import pytest

from giamsat.channels import CadreRef, ChannelContext, ChannelRegistry, build_registry

CADRES = {
    "HN-0001": CadreRef(code="HN-0001", full_name="Nguyễn Văn An", position="Trưởng phòng"),
    "HN-0002": CadreRef(code="HN-0002", full_name="Trần Thị Bình", position="Chuyên viên"),
}
INDICATORS = frozenset(
    [f"DD{i}" for i in range(1, 10)] + ["DD-CV"] + [f"NCT{i}" for i in range(1, 8)]
)


@pytest.fixture
def context() -> ChannelContext:
    """A commune committee's context that knows two cadres and the seed indicators."""
    return ChannelContext(
        committee_code="01.001.00001",
        committee_level="commune",
        committee_name="Phường Phúc Xá",
        config={"enabled": True},
        indicator_codes=INDICATORS,
        find_cadre=CADRES.get,
    )


@pytest.fixture
def registry() -> ChannelRegistry:
    """The registry as the app builds it from the installed distributions."""
    return build_registry(timeout=5.0)
