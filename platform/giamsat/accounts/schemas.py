"""Boundary structs of accounts."""

from __future__ import annotations

from typing import Annotated

import msgspec

Username = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$")]


class UserCreate(msgspec.Struct, frozen=True, kw_only=True):
    username: Username
    role: str
    password: Annotated[str, msgspec.Meta(max_length=256)]  # strength: passwords.check_strength
    full_name: str = ""
    email: str = ""
    #: A partner officer's organisation code (see ``ChannelInfo.submitter_roles``).
    organisation: Annotated[str, msgspec.Meta(pattern=r"^([a-z][a-z0-9-]{0,31})?$")] = ""


class UserView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    committee_code: str
    username: str
    full_name: str
    role: str
    active: bool
    two_factor: bool = False


class LoginRequest(msgspec.Struct, frozen=True, kw_only=True):
    committee: str
    username: str
    password: str
    #: The current six-digit code (or a recovery code) of an account with two-factor login.
    code: str = ""


class PasswordChange(msgspec.Struct, frozen=True, kw_only=True):
    current_password: str
    new_password: str


class SessionToken(msgspec.Struct, frozen=True, kw_only=True):
    token: str
    csrf_token: str
    committee: str
    username: str
    role: str
