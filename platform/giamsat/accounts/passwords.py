"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106's recommendations)."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from giamsat.errors import InvalidInput

_hasher = PasswordHasher()
MIN_LENGTH = 10


def hash_password(password: str) -> str:
    check_strength(password)
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            f"mật khẩu cần ít nhất {MIN_LENGTH} ký tự (password needs {MIN_LENGTH}+ characters)",
            field="password",
        )


def generate_password() -> str:
    return secrets.token_urlsafe(12)


#: A hash to verify against when the user does not exist, so timing does not reveal usernames.
DUMMY_HASH = _hasher.hash("not-a-real-password-" + secrets.token_hex(8))
