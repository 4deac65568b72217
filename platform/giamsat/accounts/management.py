"""A committee administrator manages the committee's own accounts (never another committee's)."""

from __future__ import annotations

import msgspec

from giamsat.accounts import passwords
from giamsat.accounts.roles import parse_role
from giamsat.accounts.schemas import UserCreate, UserView
from giamsat.accounts.service import create_user
from giamsat.accounts.tables import Session, User
from giamsat.audit.service import record
from giamsat.db.scope import tenant_scope
from giamsat.errors import InvalidInput, NotFound, PermissionDenied
from giamsat.tenancy.context import TenantContext
from giamsat.web.i18n import N_


class NewAccount(msgspec.Struct, frozen=True):
    """The account created and, when generated, its password (shown once, never stored)."""

    user: UserView
    password: str | None


async def add_account(
    ctx: TenantContext, username: str, role: str, full_name: str = "", email: str = ""
) -> NewAccount:
    """Create an account in the administrator's committee with a generated password."""
    password = passwords.generate_password()
    try:
        data = msgspec.convert(
            {
                "username": username.strip().lower(),
                "role": parse_role(role).value,
                "password": password,
                "full_name": full_name,
                "email": email,
            },
            UserCreate,
        )
    except msgspec.ValidationError as exc:
        raise InvalidInput(
            N_(
                "The username is not valid: use 3 to 64 lower-case letters, digits, dots, "
                "hyphens or underscores."
            ),
            field="username",
        ) from exc
    user = await create_user(ctx.committee_code, data)
    async with tenant_scope(ctx.path):
        await record(ctx, "account.created", "user", user.id, {"role": user.role})
    return NewAccount(user=user, password=password)


async def _own_user(ctx: TenantContext, user_id: int) -> dict[str, object]:
    row = (
        await User.select(User.id, User.username)
        .where((User.id == user_id) & (User.committee == ctx.committee_id))
        .first()
    )
    if row is None:
        raise NotFound(N_("There is no such account in this committee."))
    return row


async def set_active(ctx: TenantContext, user_id: int, active: bool) -> None:
    """Disable or re-enable an account; disabling ends its sessions at once."""
    if user_id == ctx.user_id and not active:
        raise PermissionDenied(N_("You cannot disable your own account."))
    async with tenant_scope(ctx.path):
        await _own_user(ctx, user_id)
        await User.update({User.active: active}).where(User.id == user_id)
        if not active:
            await Session.delete().where(Session.user == user_id)
        await record(ctx, "account.enabled" if active else "account.disabled", "user", user_id, {})


async def reset_password(ctx: TenantContext, user_id: int) -> str:
    """A new generated password for the account (shown once); its sessions end."""
    password = passwords.generate_password()
    new_hash = passwords.hash_password(password)
    async with tenant_scope(ctx.path):
        await _own_user(ctx, user_id)
        await User.update({User.password_hash: new_hash}).where(User.id == user_id)
        await Session.delete().where(Session.user == user_id)
        await record(ctx, "account.password_reset", "user", user_id, {})
    return password


async def reset_two_factor(ctx: TenantContext, user_id: int) -> None:
    """Turn an account's second factor off (a lost phone); its sessions end, and a role that
    requires one enrols again at its next login."""
    from giamsat.accounts import two_factor

    async with tenant_scope(ctx.path):
        await _own_user(ctx, user_id)
        await two_factor.clear(user_id)
        await Session.delete().where(Session.user == user_id)
        await record(ctx, "account.two_factor_reset", "user", user_id, {})
