"""The reporter's identity (danh tính người phản ánh), sealed with AES-GCM at rest.

The key is derived with HKDF-SHA256 from ``GIAMSAT_IDENTITY_KEY``; each record gets a fresh
96-bit random nonce, and the committee and signal ids are bound in as associated data, so a
ciphertext copied onto another report does not decrypt. ``Identity`` never prints its contents,
so it cannot reach a log line or a traceback by accident.
"""

from __future__ import annotations

import base64
import os
from typing import Annotated

import msgspec
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from giamsat.errors import ConfigurationError
from giamsat.web.i18n import N_

_VERSION = "v1"
_INFO = b"giamsat reporter identity v1"

Short = Annotated[str, msgspec.Meta(max_length=200)]


class Identity(msgspec.Struct, frozen=True, kw_only=True, repr_omit_defaults=True):
    """Who the reporter says they are; every field optional."""

    name: Short = ""
    phone: Annotated[str, msgspec.Meta(max_length=40)] = ""
    address: Annotated[str, msgspec.Meta(max_length=300)] = ""
    email: Annotated[str, msgspec.Meta(max_length=200)] = ""

    def __repr__(self) -> str:
        return "Identity(<sealed>)"

    __str__ = __repr__

    def is_empty(self) -> bool:
        return not any((self.name, self.phone, self.address, self.email))


def _aead(key_material: str) -> AESGCM:
    if not key_material:
        raise ConfigurationError("GIAMSAT_IDENTITY_KEY is not set")
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        key_material.encode("utf-8")
    )
    return AESGCM(key)


def _associated(committee_id: int, signal_id: int) -> bytes:
    return f"giamsat:identity:{committee_id}:{signal_id}".encode("ascii")


def seal(key_material: str, identity: Identity, *, committee_id: int, signal_id: int) -> str:
    """The identity encrypted for one report: ``v1.<nonce>.<ciphertext>`` in URL-safe base64."""
    nonce = os.urandom(12)
    plain = msgspec.json.encode(identity)
    sealed = _aead(key_material).encrypt(nonce, plain, _associated(committee_id, signal_id))
    encode = base64.urlsafe_b64encode
    return f"{_VERSION}.{encode(nonce).decode()}.{encode(sealed).decode()}"


def unseal(key_material: str, token: str, *, committee_id: int, signal_id: int) -> Identity:
    """Decrypt a sealed identity; a wrong key or a moved ciphertext is a configuration error."""
    try:
        version, nonce, sealed = token.split(".")
        if version != _VERSION:
            raise ValueError(version)
        plain = _aead(key_material).decrypt(
            base64.urlsafe_b64decode(nonce),
            base64.urlsafe_b64decode(sealed),
            _associated(committee_id, signal_id),
        )
    except (ValueError, InvalidTag) as exc:
        raise ConfigurationError(
            N_(
                "The identity cannot be decrypted: the identity key is wrong or the record is "
                "damaged."
            )
        ) from exc
    return msgspec.json.decode(plain, type=Identity)
