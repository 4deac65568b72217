"""Accounts: create users, log in (throttled), resolve and end sessions, change passwords."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from giamsat.accounts import passwords
from giamsat.accounts.postgres import LIVE_SESSION
from giamsat.accounts.roles import parse_role
from giamsat.accounts.schemas import SessionToken, UserCreate, UserView
from giamsat.accounts.tables import LoginAttempt, Session, User
from giamsat.clock import today
from giamsat.db.engine import is_postgres
from giamsat.db.scope import active_tenant_path, system_scope, tenant_scope
from giamsat.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, TooManyRequests
from giamsat.settings import Settings
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.repository import code_on, last_holder
from giamsat.tenancy.tables import Committee
from giamsat.text import nfc

_LOGIN_FAILED = "Sai đơn vị, tên đăng nhập hoặc mật khẩu (wrong committee, username or password)"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


async def _committee(code: str) -> dict[str, Any]:
    row = (
        await Committee.select(
            Committee.id, Committee.code, Committee.name, Committee.level, Committee.path
        )
        .where(code_on(code))
        .first()
    )
    if row is None:
        raise NotFound(f"không có ủy ban mã {code!r} (unknown committee code)", field="committee")
    return row


async def create_user(committee_code: str, data: UserCreate) -> UserView:
    """Add a user to a committee; the username must be new within that committee."""
    role = parse_role(data.role)
    password_hash = passwords.hash_password(data.password, [data.username, committee_code])
    async with system_scope():
        committee = await _committee(committee_code)
    async with tenant_scope(committee["path"]):
        taken = await User.exists().where(
            (User.committee == committee["id"]) & (User.username == data.username)
        )
        if taken:
            raise Conflict(
                f"user {data.username!r} already exists in {committee_code}", field="username"
            )
        user = User(
            committee=committee["id"],
            tenant_path=committee["path"],
            username=data.username,
            full_name=nfc(data.full_name),
            email=data.email.strip(),
            role=role.value,
            password_hash=password_hash,
        )
        await user.save()
    return UserView(
        id=user.id,
        committee_code=committee["code"],
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        active=True,
    )


async def login(
    settings: Settings, committee_code: str, username: str, password: str, client: str
) -> SessionToken:
    """Check the password (argon2id) and open a server-side session; throttled per user and IP."""
    keys = [f"user:{committee_code.strip()}:{username.strip().lower()}", f"ip:{client}"]
    window_start = _now() - timedelta(seconds=settings.login_window_seconds)
    async with system_scope():
        # one address may try many users (a shared office) before it is throttled as a whole
        for key, limit in zip(
            keys, (settings.login_attempts, settings.login_attempts * 10), strict=True
        ):
            failures = await LoginAttempt.count().where(
                (LoginAttempt.throttle_key == key) & (LoginAttempt.attempted_at > window_start)
            )
            if failures >= limit:
                raise TooManyRequests(
                    "Đăng nhập sai quá nhiều lần, hãy thử lại sau (too many failed logins; "
                    "try again later)"
                )
        user = await _find_user(committee_code, username)
        ok = passwords.verify_password(
            user["password_hash"] if user else passwords.DUMMY_HASH, password
        )
        ended = None if user else await _ended_committee_notice(committee_code, username, password)
        if not user or not ok or not user["active"]:
            await LoginAttempt.insert(*[LoginAttempt(throttle_key=k) for k in keys])
            user = None  # the failure is recorded when this transaction commits
        else:
            await LoginAttempt.delete().where(LoginAttempt.throttle_key == keys[0])
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
            await Session.insert(
                Session(
                    token_hash=token_hash(token),
                    user=user["id"],
                    committee=user["committee"],
                    tenant_path=user["tenant_path"],
                    csrf_token=csrf,
                    expires_at=_now() + timedelta(hours=settings.session_hours),
                )
            )
    if ended:
        raise NotAuthenticated(ended)
    if user is None:
        raise NotAuthenticated(_LOGIN_FAILED)
    return SessionToken(
        token=token,
        csrf_token=csrf,
        committee=committee_code.strip(),
        username=user["username"],
        role=user["role"],
    )


async def _find_user(committee_code: str, username: str) -> dict[str, Any] | None:
    committee = await Committee.select(Committee.id).where(code_on(committee_code)).first()
    if committee is None:
        return None
    row: dict[str, Any] | None = (
        await User.select()
        .where((User.committee == committee["id"]) & (User.username == username.strip().lower()))
        .first()
    )
    return row


async def _ended_committee_notice(code: str, username: str, password: str) -> str | None:
    """When the right password is given for an account of a committee that has ended under
    this code, say where its work went (and nothing when the password is wrong)."""
    holder = await last_holder(code)
    if holder is None:
        return None
    row = (
        await User.select(User.password_hash)
        .where((User.committee == holder["id"]) & (User.username == username.strip().lower()))
        .first()
    )
    if row is None or not passwords.verify_password(row["password_hash"], password):
        return None
    ended = holder["valid_to"].strftime("%d/%m/%Y")
    if holder["successor.code"] is None:
        return f"Ủy ban MTTQ Việt Nam {holder['name']} đã kết thúc ngày {ended} (committee ended)."
    successor = (
        await Committee.select(Committee.name).where(Committee.id == holder["successor"]).first()
    )
    name = successor["name"] if successor else holder["successor.code"]
    return (
        f"Ủy ban MTTQ Việt Nam {holder['name']} đã kết thúc ngày {ended}; công việc chuyển sang "
        f"Ủy ban MTTQ Việt Nam {name} (mã {holder['successor.code']}). Hãy đăng nhập bằng tài "
        f"khoản của đơn vị mới (this committee ended on {ended}; its work continues at "
        f"{name}, code {holder['successor.code']})."
    )


async def resolve_session(token: str) -> TenantContext | None:
    """The context of a live session, or None when the token is unknown, expired or disabled.

    On PostgreSQL one statement outside any transaction (see :mod:`giamsat.accounts.postgres`),
    so the request's own work is its only transaction."""
    if not token:
        return None
    if is_postgres() and active_tenant_path() is None:  # inside a scope it would reset the path
        rows = await Session.raw(LIVE_SESSION, token_hash(token), _now())
        row = rows[0] if rows else None
    else:
        async with system_scope():
            row = await (
                Session.select(
                    Session.id.as_alias("session_id"),
                    Session.csrf_token,
                    Session.language,
                    Session.user.id.as_alias("user_id"),
                    Session.user.username.as_alias("username"),
                    Session.user.full_name.as_alias("full_name"),
                    Session.user.role.as_alias("role"),
                    Session.user.active.as_alias("active"),
                    Session.committee.id.as_alias("committee_id"),
                    Session.committee.code.as_alias("committee_code"),
                    Session.committee.name.as_alias("committee_name"),
                    Session.committee.level.as_alias("committee_level"),
                    Session.committee.path.as_alias("committee_path"),
                    Session.committee.valid_to.as_alias("committee_valid_to"),
                )
                .where((Session.token_hash == token_hash(token)) & (Session.expires_at > _now()))
                .first()
            )
    if row is None or not row["active"]:
        return None
    if row["committee_valid_to"] is not None and row["committee_valid_to"] < today():
        return None  # the committee has ended: its accounts stop
    return TenantContext(
        committee_id=row["committee_id"],
        committee_code=row["committee_code"],
        committee_name=row["committee_name"],
        committee_level=row["committee_level"],
        path=row["committee_path"],
        user_id=row["user_id"],
        username=row["username"],
        full_name=row["full_name"],
        role=row["role"],
        language=row["language"],
        csrf_token=row["csrf_token"],
    )


async def logout(token: str) -> None:
    async with system_scope():
        await Session.delete().where(Session.token_hash == token_hash(token))


async def set_language(token: str, language: str) -> None:
    if language not in {"vi", "en"}:
        raise InvalidInput("language must be vi or en", field="language")
    async with system_scope():
        await Session.update({Session.language: language}).where(
            Session.token_hash == token_hash(token)
        )


async def change_password(ctx: TenantContext, token: str, current: str, new: str) -> None:
    """Replace the password; every other session of the user ends."""
    new_hash = passwords.hash_password(new, [ctx.username or "", ctx.committee_code])
    async with tenant_scope(ctx.path):
        row = await User.select(User.password_hash).where(User.id == ctx.user_id).first()
        if row is None or not passwords.verify_password(row["password_hash"], current):
            raise InvalidInput(
                "mật khẩu hiện tại không đúng (current password is wrong)", field="current_password"
            )
        await User.update({User.password_hash: new_hash, User.password_changed_at: _now()}).where(
            User.id == ctx.user_id
        )
        await Session.delete().where(
            (Session.user == ctx.user_id) & (Session.token_hash != token_hash(token))
        )


async def list_users(ctx: TenantContext) -> list[UserView]:
    async with tenant_scope(ctx.path):
        rows = (
            await User.select(User.id, User.username, User.full_name, User.role, User.active)
            .where(User.committee == ctx.committee_id)
            .order_by(User.username)
        )
    return [msgspec.convert({**r, "committee_code": ctx.committee_code}, UserView) for r in rows]
