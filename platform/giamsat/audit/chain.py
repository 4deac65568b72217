"""The hash chain: a canonical encoding of an entry and its SHA-256.

The encoding is msgspec JSON of a struct with a fixed field order and sorted ``details`` keys, so
the same entry always hashes to the same value on SQLite and PostgreSQL. ``at`` is encoded as a UTC
ISO-8601 string with microseconds: both databases keep microseconds, so a re-read entry hashes the
same as when it was written.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import msgspec

#: ``prev_hash`` of the first entry of every chain.
GENESIS = "0" * 64

_encoder = msgspec.json.Encoder(order="sorted")


class SealedFields(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the hash covers (the row id and tenant path are storage details)."""

    committee_id: int
    seq: int
    at: str
    actor_id: int | None
    actor_username: str
    action: str
    subject_type: str
    subject_id: str
    details: dict[str, Any]
    prev_hash: str


def timestamp(at: datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_details(details: dict[str, Any]) -> str:
    return _encoder.encode(details).decode()


def entry_hash(fields: SealedFields) -> str:
    return hashlib.sha256(_encoder.encode(fields)).hexdigest()
