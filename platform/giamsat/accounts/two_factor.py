"""The second factor: RFC 6238 time-based codes (pyotp) and one-time recovery codes.

- Required at login for administrators and the standing board (they approve identity
  disclosures); optional for everyone else. Anyone about to open a reporter's identity must have
  passed it within ``identity_recheck_minutes`` (so a staff member without one enrols first).
- Enrolment shows a QR code (an SVG drawn here by segno, no outside service) and the secret as
  text; it is in force once a first code is confirmed, which also issues ten recovery codes.
- A code is accepted once: the step it belongs to must be later than the last one accepted.
- Recovery codes are kept as keyed hashes; each works once.
- An administrator of the same committee can reset it (see :mod:`.management`), audited.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import pyotp
import segno

from giamsat.accounts.roles import APPROVER_ROLES
from giamsat.accounts.tables import RecoveryCode, User
from giamsat.db.scope import system_scope
from giamsat.errors import Conflict, NotFound
from giamsat.web.i18n import N_

ISSUER = "giamsat"
RECOVERY_CODES = 10
#: Codes of the previous and the next 30-second step are accepted too (clock drift).
VALID_WINDOW = 1
_DIGITS = re.compile(r"^\d{6}$")


class Enrolment(msgspec.Struct, frozen=True):
    """What the enrolment page shows: the secret (as text too) and its QR code as SVG."""

    secret: str
    uri: str
    qr_svg: str

    @property
    def grouped_secret(self) -> str:
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


def required_for(role: str | None) -> bool:
    """Administrators and the standing board cannot log in without a second factor."""
    return role in {r.value for r in APPROVER_ROLES}


def is_fresh(checked_at: datetime | None, minutes: int, now: datetime) -> bool:
    if checked_at is None:
        return False
    aware = checked_at if checked_at.tzinfo else checked_at.replace(tzinfo=UTC)
    return now - aware <= timedelta(minutes=minutes)


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def _recovery_hash(user_id: int, code: str) -> str:
    return hashlib.sha256(f"{user_id}|{_normalise(code)}".encode()).hexdigest()


def new_recovery_code() -> str:
    raw = secrets.token_hex(5)  # 40 bits, shown as xxxxx-xxxxx
    return f"{raw[:5]}-{raw[5:]}"


def accepted_step(secret: str, code: str, last_step: int, now: datetime) -> int | None:
    """The 30-second step ``code`` belongs to, if valid now and later than ``last_step``."""
    code = _normalise(code)
    if not _DIGITS.match(code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        step = current + offset
        if step > last_step and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def enrolment_of(secret: str, username: str, committee_code: str) -> Enrolment:
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=f"{username}@{committee_code}", issuer_name=ISSUER
    )
    svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    return Enrolment(secret=secret, uri=uri, qr_svg=svg)


async def _user(user_id: int) -> dict[str, Any]:
    row: dict[str, Any] | None = (
        await User.select(
            User.id,
            User.username,
            User.tenant_path,
            User.committee.code,
            User.totp_secret,
            User.totp_enabled_at,
            User.totp_last_step,
        )
        .where(User.id == user_id)
        .first()
    )
    if row is None:
        raise NotFound(N_("There is no such account."))
    return row


async def begin_enrolment(user_id: int) -> Enrolment:
    """The secret being enrolled (made on first call; the same one until confirmed)."""
    async with system_scope():
        user = await _user(user_id)
        if user["totp_enabled_at"] is not None:
            raise Conflict(
                N_(
                    "Two-factor login is already on; if the device is lost, ask an "
                    "administrator to reset it."
                )
            )
        secret = user["totp_secret"]
        if not secret:
            secret = pyotp.random_base32()
            await User.update({User.totp_secret: secret}).where(User.id == user_id)
    return enrolment_of(secret, user["username"], user["committee.code"])


async def confirm_enrolment(user_id: int, code: str, now: datetime) -> list[str] | None:
    """Turn the second factor on with a first valid code; the new recovery codes, or None."""
    async with system_scope():
        user = await _user(user_id)
        if user["totp_enabled_at"] is not None or not user["totp_secret"]:
            return None
        step = accepted_step(user["totp_secret"], code, int(user["totp_last_step"]), now)
        if step is None:
            return None
        await User.update({User.totp_enabled_at: now, User.totp_last_step: step}).where(
            User.id == user_id
        )
        codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
        await RecoveryCode.delete().where(RecoveryCode.user == user_id)
        await RecoveryCode.insert(
            *[
                RecoveryCode(
                    user=user_id,
                    tenant_path=user["tenant_path"],
                    code_hash=_recovery_hash(user_id, c),
                )
                for c in codes
            ]
        )
    return codes


async def verify(user_id: int, code: str, now: datetime) -> bool:
    """A current code, or an unused recovery code (then spent); call inside a scope."""
    user = await _user(user_id)
    if user["totp_enabled_at"] is None:
        return False
    step = accepted_step(user["totp_secret"], code, int(user["totp_last_step"]), now)
    if step is not None:
        await User.update({User.totp_last_step: step}).where(User.id == user_id)
        return True
    spent = (
        await RecoveryCode.update({RecoveryCode.used_at: now})
        .where(
            (RecoveryCode.user == user_id)
            & (RecoveryCode.code_hash == _recovery_hash(user_id, code))
            & RecoveryCode.used_at.is_null()
        )
        .returning(RecoveryCode.id)
    )
    return bool(spent)


async def is_enrolled(user_id: int) -> bool:
    async with system_scope():
        return bool(
            await User.exists().where((User.id == user_id) & User.totp_enabled_at.is_not_null())
        )


async def recovery_codes_left(user_id: int) -> int:
    async with system_scope():
        left = await RecoveryCode.count().where(
            (RecoveryCode.user == user_id) & RecoveryCode.used_at.is_null()
        )
    return int(left)


async def clear(user_id: int) -> None:
    """Forget the second factor and its recovery codes (inside the caller's scope)."""
    await User.update(
        {User.totp_secret: "", User.totp_enabled_at: None, User.totp_last_step: 0}
    ).where(User.id == user_id)
    await RecoveryCode.delete().where(RecoveryCode.user == user_id)


async def enrol_with_secret(user_id: int, secret: str, now: datetime) -> list[str]:
    """Turn the second factor on with a secret chosen elsewhere (the demo prints its admins'
    secret so a presenter can add it to an app); the recovery codes."""
    async with system_scope():
        await User.update(
            {User.totp_secret: secret, User.totp_enabled_at: None, User.totp_last_step: 0}
        ).where(User.id == user_id)
    codes = await confirm_enrolment(user_id, pyotp.TOTP(secret).now(), now)
    assert codes is not None
    return codes
