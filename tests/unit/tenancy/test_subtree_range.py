"""A subtree as a range of paths is exactly "starts with the committee's path"."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from giamsat.db.subtree import subtree_bounds

#: Paths as the register writes them: '/', then segments of digits each closed by '/'.
segments = st.lists(st.from_regex(r"[0-9]{2,5}", fullmatch=True), min_size=0, max_size=3)
paths = segments.map(lambda parts: "/" + "".join(p + "/" for p in parts))


@given(scope=paths, path=paths)
def test_the_range_holds_exactly_the_paths_under_the_scope(scope: str, path: str) -> None:
    # given a committee's path and any other path
    lower, upper = subtree_bounds(scope)
    # when the range is compared byte-wise, as both databases compare the path columns
    inside = lower.encode() <= path.encode() < upper.encode()
    # then it agrees with "starts with"
    assert inside == path.startswith(scope)


def test_the_root_holds_every_path_and_a_commune_only_itself() -> None:
    # given the root and Phường Phúc Xá
    assert subtree_bounds("/") == ("/", "0")
    lower, upper = subtree_bounds("/01/001/00001/")
    # then the commune is inside, and a neighbour whose code begins the same way is outside
    assert lower <= "/01/001/00001/" < upper
    assert not (lower <= "/01/001/000010/" < upper)
    assert not (lower <= "/01/001/00002/" < upper)


@pytest.mark.parametrize("bad", ["", "01/", "/01", "/01/001"])
def test_a_value_that_is_not_a_path_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a committee path"):
        subtree_bounds(bad)
