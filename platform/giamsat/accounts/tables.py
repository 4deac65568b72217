"""Tables of accounts. Users and sessions belong to one committee (``tenant_path`` → RLS)."""

from __future__ import annotations

from piccolo.columns import BigInt, Boolean, ForeignKey, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from giamsat.tenancy.tables import Committee


class User(Table, tablename="app_user"):
    """A member of a committee's staff; ``username`` is unique within the committee."""

    id: Serial  # created by piccolo; declared for type checkers

    committee = ForeignKey(Committee, on_delete=OnDelete.restrict, index=True)
    tenant_path = Varchar(length=255, index=True)
    username = Varchar(length=64, index=True)
    full_name = Varchar(length=160, default="")
    email = Varchar(length=254, default="")
    role = Varchar(length=32)
    #: A partner officer's organisation (``union``, ``women`` …): the channels whose
    #: ``submitter_roles`` name it are the ones the officer may submit on; empty for staff.
    organisation = Varchar(length=32, default="")
    #: The language the user last chose (``vi`` or ``en``): their mail is written in it.
    language = Varchar(length=2, default="vi")
    password_hash = Varchar(length=255)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    password_changed_at = Timestamptz(default=TimestamptzNow())
    #: RFC 6238 shared secret (base32); set while enrolling, in force once ``totp_enabled_at``.
    totp_secret = Varchar(length=64, default="")
    totp_enabled_at = Timestamptz(null=True, default=None)
    #: The last 30-second step whose code was accepted: a code is never accepted twice.
    totp_last_step = BigInt(default=0)


class Session(Table, tablename="app_session"):
    """A server-side login session; the cookie carries a token whose SHA-256 is ``token_hash``."""

    id: Serial  # created by piccolo; declared for type checkers

    token_hash = Varchar(length=64, unique=True, index=True)
    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    committee = ForeignKey(Committee, on_delete=OnDelete.restrict)
    tenant_path = Varchar(length=255, index=True)
    csrf_token = Varchar(length=64)
    language = Varchar(length=2, default="vi")
    #: "" for a session in force; "verify" or "enrol" while the second factor is still owed.
    stage = Varchar(length=8, default="")
    #: When this session last passed the second factor (identity views ask again when old).
    second_factor_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()


class LoginAttempt(Table, tablename="login_attempt"):
    """A failed login, kept for throttling across all app processes."""

    id: Serial  # created by piccolo; declared for type checkers

    throttle_key = Varchar(length=200, index=True)
    attempted_at = Timestamptz(default=TimestamptzNow(), index=True)


class RecoveryCode(Table, tablename="recovery_code"):
    """A one-time recovery code of a user's second factor, kept as a keyed hash only."""

    id: Serial  # created by piccolo; declared for type checkers

    user = ForeignKey(User, on_delete=OnDelete.cascade, index=True)
    tenant_path = Varchar(length=255, index=True)
    code_hash = Varchar(length=64)
    used_at = Timestamptz(null=True, default=None)


TABLES = [User, Session, LoginAttempt, RecoveryCode]
