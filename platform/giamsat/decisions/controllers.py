"""What the decision step gives the case routes (``giamsat.cases.provided``): opening a case
by hand goes through the pack, and cases never imports the step that calls it."""

from __future__ import annotations

from litestar.di import Provide

from giamsat.cases.provided import OpenByHand
from giamsat.decisions.by_hand import open_by_hand


def provide_open_by_hand() -> OpenByHand:
    return open_by_hand


DEPENDENCIES = {
    "open_by_hand": Provide(provide_open_by_hand, use_cache=True, sync_to_thread=False),
}
