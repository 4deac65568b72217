"""The bounds of a stored integer: ids and counts are PostgreSQL ``integer`` columns.

A request field typed with these is refused at the boundary (a clear 400) instead of failing the
query (PostgreSQL) or the driver (SQLite takes at most 2^63 - 1).
"""

from __future__ import annotations

from typing import Annotated

import msgspec

MAX_INTEGER = 2**31 - 1

#: The id of a row named in a request body.
RowId = Annotated[int, msgspec.Meta(ge=1, le=MAX_INTEGER)]
#: A document number (số văn bản) or another positive stored count.
Number = Annotated[int, msgspec.Meta(ge=1, le=MAX_INTEGER)]
