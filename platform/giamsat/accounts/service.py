"""Accounts: create users, log in (throttled), resolve and end sessions, change passwords."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from giamsat.accounts import passwords, throttle, two_factor
from giamsat.accounts.postgres import LIVE_SESSION
from giamsat.accounts.roles import Role, parse_role
from giamsat.accounts.schemas import SessionToken, UserCreate, UserView
from giamsat.accounts.tables import Session, User
from giamsat.clock import today
from giamsat.db.engine import is_postgres
from giamsat.db.paging import Page, PageRequest, fetch_page
from giamsat.db.scope import active_tenant_path, system_scope, tenant_scope
from giamsat.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from giamsat.settings import Settings
from giamsat.tenancy.context import TenantContext
from giamsat.tenancy.repository import code_on, last_holder
from giamsat.tenancy.tables import Committee
from giamsat.text import nfc
from giamsat.web.i18n import LANGUAGES, N_

_LOGIN_FAILED = N_("The committee, the username or the password is wrong.")


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
        raise NotFound(
            N_("There is no committee with code %(code)s."),
            field="committee",
            params={"code": code},
        )
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
                N_("The username %(username)s is already taken in %(committee)s."),
                field="username",
                params={"username": data.username, "committee": committee["name"]},
            )
        user = User(
            committee=committee["id"],
            tenant_path=committee["path"],
            username=data.username,
            full_name=nfc(data.full_name),
            email=data.email.strip(),
            role=role.value,
            organisation=data.organisation,
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


class LoginResult(msgspec.Struct, frozen=True):
    """A session opened by the password; ``stage`` says what it still owes ("" for nothing)."""

    session: SessionToken
    stage: str = ""


async def _password_step(
    settings: Settings, committee_code: str, username: str, password: str, client: str
) -> dict[str, Any]:
    """The user whose password this is (throttled per account and address), or 401."""
    attempt = throttle.attempt_of(committee_code, username, client)
    now = _now()
    alert = None
    async with system_scope():
        await throttle.check(settings, attempt, now)
        user = await _find_user(committee_code, username)
        ok = passwords.verify_password(
            user["password_hash"] if user else passwords.DUMMY_HASH, password
        )
        if user and ok and user["active"]:
            return user
        ended = None if user else await _ended_committee_notice(committee_code, username, password)
        # the failure is recorded when this transaction commits
        if await throttle.failed(settings, attempt, now) and user:
            alert = user
    if alert is not None:
        await _alert_admins(alert)
    raise ended or NotAuthenticated(_LOGIN_FAILED)


async def _alert_admins(user: dict[str, Any]) -> None:
    """Many failures for one account from many addresses: its administrators are told."""
    from giamsat.audit.service import record
    from giamsat.notifications.schemas import Title
    from giamsat.notifications.service import notify

    async with system_scope():
        committee = (
            await Committee.select(Committee.code).where(Committee.id == user["committee"]).first()
        )
    code = committee["code"] if committee else ""
    async with tenant_scope(user["tenant_path"]):
        await record(
            user["committee"], "account.login_alert", "user", user["id"], {"reason": "failures"}
        )
        await notify(
            user["committee"],
            [Role.ADMIN.value],
            "account.login_alert",
            # one language per reader: the advice is part of each language's title
            Title(
                vi=f"Nhiều lần đăng nhập sai vào tài khoản {user['username']}: tài khoản vẫn mở; "
                "nếu không phải chủ tài khoản, hãy đặt lại mật khẩu",
                en=f"Many failed logins to the account {user['username']}: the account stays "
                "open; if it was not its owner, reset the password",
            ),
            link=f"/c/{code}/users/" if code else "",
        )


async def _open_session(
    settings: Settings, user: dict[str, Any], *, stage: str = "", second_factor: bool = False
) -> SessionToken:
    """A new session (call inside a scope); a pending one lives ten minutes."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    now = _now()
    lifetime = timedelta(minutes=10) if stage else timedelta(hours=settings.session_hours)
    await Session.insert(
        Session(
            token_hash=token_hash(token),
            user=user["id"],
            committee=user["committee"],
            tenant_path=user["tenant_path"],
            csrf_token=csrf,
            stage=stage,
            second_factor_at=now if second_factor else None,
            expires_at=now + lifetime,
            language=user["language"],
        )
    )
    committee = (
        await Committee.select(Committee.code).where(Committee.id == user["committee"]).first()
    )
    return SessionToken(
        token=token,
        csrf_token=csrf,
        committee=committee["code"] if committee else "",
        username=user["username"],
        role=user["role"],
    )


async def login(
    settings: Settings,
    committee_code: str,
    username: str,
    password: str,
    client: str,
    code: str = "",
) -> SessionToken:
    """API login: password (argon2id) and, when the account has one, the second-factor code in
    the same request. A missing or wrong code answers like a wrong password (and counts as one)."""
    user = await _password_step(settings, committee_code, username, password, client)
    attempt = throttle.attempt_of(committee_code, username, client)
    now = _now()
    async with system_scope():
        enrolled = user["totp_enabled_at"] is not None
        if not enrolled and two_factor.required_for(user["role"]):
            raise PermissionDenied(
                N_("This account needs two-factor login: turn it on in the web pages first.")
            )
        if enrolled and not (code and await two_factor.verify(user["id"], code, now)):
            await throttle.failed(settings, attempt, now)
            failed = True
        else:
            failed = False
            await throttle.succeeded(attempt)
            session = await _open_session(settings, user, second_factor=enrolled)
    if failed:
        raise NotAuthenticated(_LOGIN_FAILED)
    return session


async def login_page(
    settings: Settings,
    committee_code: str,
    username: str,
    password: str,
    client: str,
    language: str = "",
) -> LoginResult:
    """Page login, first step: a full session, or one that owes the second factor ("verify")
    or its enrolment ("enrol", for roles that require it). The session is in the account's
    language, or in ``language`` when the login page was switched to one (which the account
    then keeps)."""
    user = await _password_step(settings, committee_code, username, password, client)
    if user["totp_enabled_at"] is not None:
        stage = "verify"
    elif two_factor.required_for(user["role"]):
        stage = "enrol"
    else:
        stage = ""
    async with system_scope():
        if not stage:
            await throttle.succeeded(throttle.attempt_of(committee_code, username, client))
        if language in LANGUAGES and language != user["language"]:
            await User.update({User.language: language}).where(User.id == user["id"])
            user = {**user, "language": language}
        session = await _open_session(settings, user, stage=stage)
    return LoginResult(session=session, stage=stage)


class Pending(msgspec.Struct, frozen=True):
    """A session that still owes its second factor."""

    session_id: int
    user_id: int
    committee_code: str
    username: str
    stage: str
    language: str


async def pending(token: str) -> Pending | None:
    if not token:
        return None
    async with system_scope():
        row = (
            await Session.select(
                Session.id,
                Session.stage,
                Session.language,
                Session.user.id,
                Session.user.username,
                Session.user.active,
                Session.committee.code,
            )
            .where(
                (Session.token_hash == token_hash(token))
                & (Session.stage != "")
                & (Session.expires_at > _now())
            )
            .first()
        )
    if row is None or not row["user.active"]:
        return None
    return Pending(
        session_id=row["id"],
        user_id=row["user.id"],
        committee_code=row["committee.code"],
        username=row["user.username"],
        stage=row["stage"],
        language=row["language"],
    )


_WRONG_CODE = N_("The code is wrong or has already been used.")


async def _complete(
    settings: Settings, waiting: Pending, attempt: throttle.Attempt
) -> SessionToken:
    """Replace the pending session by a full one with a new token (inside a scope)."""
    await throttle.succeeded(attempt)
    await Session.delete().where(Session.id == waiting.session_id)
    user = await User.select().where(User.id == waiting.user_id).first()
    assert user is not None
    return await _open_session(settings, user, second_factor=True)


async def finish_second_factor(
    settings: Settings, token: str, code: str, client: str
) -> SessionToken:
    """Page login, second step: a current code or a recovery code; throttled like passwords."""
    waiting = await pending(token)
    if waiting is None or waiting.stage != "verify":
        raise NotAuthenticated(N_("The login has expired; log in again."))
    attempt = throttle.attempt_of(waiting.committee_code, waiting.username, client)
    now = _now()
    async with system_scope():
        await throttle.check(settings, attempt, now)
        if await two_factor.verify(waiting.user_id, code, now):
            return await _complete(settings, waiting, attempt)
        await throttle.failed(settings, attempt, now)
    raise InvalidInput(_WRONG_CODE, field="code")


async def finish_enrolment(
    settings: Settings, token: str, code: str, client: str
) -> tuple[SessionToken, list[str]]:
    """Page login of a role that requires a second factor it does not have yet: the first code
    turns it on; the session is opened and the recovery codes returned (shown once)."""
    waiting = await pending(token)
    if waiting is None or waiting.stage != "enrol":
        raise NotAuthenticated(N_("The login has expired; log in again."))
    attempt = throttle.attempt_of(waiting.committee_code, waiting.username, client)
    now = _now()
    async with system_scope():
        await throttle.check(settings, attempt, now)
    codes = await two_factor.confirm_enrolment(waiting.user_id, code, now)
    async with system_scope():
        if codes is not None:
            return await _complete(settings, waiting, attempt), codes
        await throttle.failed(settings, attempt, now)
    raise InvalidInput(_WRONG_CODE, field="code")


async def enrol_signed_in(ctx: TenantContext, token: str, code: str) -> list[str]:
    """A logged-in user turns the second factor on; this session counts as freshly checked."""
    assert ctx.user_id is not None
    now = _now()
    codes = await two_factor.confirm_enrolment(ctx.user_id, code, now)
    if codes is None:
        raise InvalidInput(_WRONG_CODE, field="code")
    async with system_scope():
        await Session.update({Session.second_factor_at: now}).where(
            Session.token_hash == token_hash(token)
        )
    return codes


async def check_again(
    settings: Settings, ctx: TenantContext, token: str, code: str, client: str
) -> None:
    """The second factor asked again (before an identity is opened); throttled like passwords."""
    assert ctx.user_id is not None
    attempt = throttle.attempt_of(ctx.committee_code, ctx.username or "", client)
    now = _now()
    async with system_scope():
        await throttle.check(settings, attempt, now)
        if await two_factor.verify(ctx.user_id, code, now):
            await throttle.succeeded(attempt)
            await Session.update({Session.second_factor_at: now}).where(
                Session.token_hash == token_hash(token)
            )
            return
        await throttle.failed(settings, attempt, now)
    raise InvalidInput(_WRONG_CODE, field="code")


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


async def _ended_committee_notice(
    code: str, username: str, password: str
) -> NotAuthenticated | None:
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
        return NotAuthenticated(
            N_("The Front committee of %(name)s ended on %(ended)s."),
            params={"name": holder["name"], "ended": ended},
        )
    successor = (
        await Committee.select(Committee.name).where(Committee.id == holder["successor"]).first()
    )
    name = successor["name"] if successor else holder["successor.code"]
    return NotAuthenticated(
        N_(
            "The Front committee of %(name)s ended on %(ended)s; its work continues at the "
            "Front committee of %(successor)s (code %(code)s). Log in with an account of the "
            "new committee."
        ),
        params={
            "name": holder["name"],
            "ended": ended,
            "successor": name,
            "code": holder["successor.code"],
        },
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
                    Session.second_factor_at,
                    Session.user.id.as_alias("user_id"),
                    Session.user.username.as_alias("username"),
                    Session.user.full_name.as_alias("full_name"),
                    Session.user.role.as_alias("role"),
                    Session.user.organisation.as_alias("organisation"),
                    Session.user.active.as_alias("active"),
                    Session.committee.id.as_alias("committee_id"),
                    Session.committee.code.as_alias("committee_code"),
                    Session.committee.name.as_alias("committee_name"),
                    Session.committee.level.as_alias("committee_level"),
                    Session.committee.path.as_alias("committee_path"),
                    Session.committee.valid_to.as_alias("committee_valid_to"),
                )
                .where(
                    (Session.token_hash == token_hash(token))
                    & (Session.stage == "")
                    & (Session.expires_at > _now())
                )
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
        organisation=row["organisation"] or "",
        language=row["language"],
        csrf_token=row["csrf_token"],
        second_factor_at=row["second_factor_at"],
    )


async def logout(token: str) -> None:
    async with system_scope():
        await Session.delete().where(Session.token_hash == token_hash(token))


async def set_language(token: str, language: str) -> None:
    if language not in {"vi", "en"}:
        raise InvalidInput("language must be vi or en", field="language")
    async with system_scope():
        chosen = (
            await Session.update({Session.language: language})
            .where(Session.token_hash == token_hash(token))
            .returning(Session.user)
        )
        if chosen:
            # remembered on the account too: the mail the user receives is written in it
            await User.update({User.language: language}).where(User.id == chosen[0]["user"])


async def change_password(ctx: TenantContext, token: str, current: str, new: str) -> None:
    """Replace the password; every other session of the user ends."""
    new_hash = passwords.hash_password(new, [ctx.username or "", ctx.committee_code])
    async with tenant_scope(ctx.path):
        row = await User.select(User.password_hash).where(User.id == ctx.user_id).first()
        if row is None or not passwords.verify_password(row["password_hash"], current):
            raise InvalidInput(N_("The current password is wrong."), field="current_password")
        await User.update({User.password_hash: new_hash, User.password_changed_at: _now()}).where(
            User.id == ctx.user_id
        )
        await Session.delete().where(
            (Session.user == ctx.user_id) & (Session.token_hash != token_hash(token))
        )


_USER_COLUMNS = (
    User.id,
    User.username,
    User.full_name,
    User.role,
    User.active,
    User.totp_enabled_at,
)


def _user_view(ctx: TenantContext, r: dict[str, Any]) -> UserView:
    return UserView(
        id=r["id"],
        committee_code=ctx.committee_code,
        username=r["username"],
        full_name=r["full_name"],
        role=r["role"],
        active=r["active"],
        two_factor=r["totp_enabled_at"] is not None,
    )


async def list_users(ctx: TenantContext) -> list[UserView]:
    async with tenant_scope(ctx.path):
        rows = (
            await User.select(*_USER_COLUMNS)
            .where(User.committee == ctx.committee_id)
            .order_by(User.username)
        )
    return [_user_view(ctx, r) for r in rows]


async def page_users(ctx: TenantContext, request: PageRequest) -> Page[UserView]:
    """One page of the committee's accounts, by username, with their total."""
    where = [User.committee == ctx.committee_id]
    async with tenant_scope(ctx.path):
        rows = await fetch_page(User, _USER_COLUMNS, where, [(User.username, True)], request)
    return rows.map(lambda r: _user_view(ctx, r))
