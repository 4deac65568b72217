"""Passwords: argon2id hashing (argon2-cffi's defaults follow RFC 9106) and a strength check.

The strength check is zxcvbn's estimator, whose frequency lists of common and breached passwords,
names and words ship inside the package (nothing is fetched at run time). A password needs
:data:`MIN_LENGTH` characters and a zxcvbn score of at least :data:`MIN_SCORE`; the refusal says
which rule failed, with zxcvbn's own warning when it has one.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from giamsat.errors import InvalidInput
from giamsat.web.i18n import N_

_hasher = PasswordHasher()
MIN_LENGTH = 12
#: zxcvbn scores 0–4; 3 is "safely unguessable: moderate protection from offline slow-hash".
MIN_SCORE = 3
#: zxcvbn's cost grows with the length; longer inputs are checked on their first characters only.
_CHECKED_LENGTH = 100


def hash_password(password: str, context: Sequence[str] = ()) -> str:
    check_strength(password, context)
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_strength(password: str, context: Sequence[str] = ()) -> None:
    """Refuse a short or guessable password; ``context`` (username, committee) counts as known."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            N_("A password needs at least %(n)s characters."),
            field="password",
            params={"n": MIN_LENGTH},
        )
    result = zxcvbn(password[:_CHECKED_LENGTH], user_inputs=[c for c in context if c])
    if int(result["score"]) < MIN_SCORE:
        raise InvalidInput(
            N_(
                "The password is too easy to guess: it is a common or breached password, or "
                "close to one. Add a few uncommon words."
            ),
            field="password",
        )


def generate_password() -> str:
    return secrets.token_urlsafe(12)


#: A hash to verify against when the user does not exist, so timing does not reveal usernames.
DUMMY_HASH = _hasher.hash("not-a-real-password-" + secrets.token_hex(8))
