"""Settings read from the environment (and an optional TOML file), validated at start.

Nothing here runs at import time: :func:`load_settings` is called by the app factory and the CLI.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path
from typing import Annotated

import msgspec

from giamsat.errors import ConfigurationError

_PREFIX = "GIAMSAT_"
_DEFAULT_SQLITE = "sqlite:///giamsat.sqlite"


class SmtpSettings(msgspec.Struct, frozen=True, kw_only=True):
    host: str = ""
    port: int = 25
    user: str = ""
    password: str = ""
    sender: str = "giamsat@localhost"
    starttls: bool = False


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything an operator can set. Secrets are never printed (see :meth:`redacted`)."""

    database_url: str = _DEFAULT_SQLITE
    admin_database_url: str = ""
    secret_key: str = ""
    identity_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    log_level: Annotated[str, msgspec.Meta(pattern="^(DEBUG|INFO|WARNING|ERROR)$")] = "INFO"
    default_language: Annotated[str, msgspec.Meta(pattern="^(vi|en)$")] = "vi"
    session_hours: Annotated[int, msgspec.Meta(ge=1, le=720)] = 12
    login_attempts: Annotated[int, msgspec.Meta(ge=1, le=100)] = 5
    login_window_seconds: Annotated[int, msgspec.Meta(ge=10)] = 900
    #: After ``login_attempts`` failures of one account from one address, each further attempt
    #: waits twice as long as the last (this many seconds first, at most the window).
    login_delay_seconds: Annotated[int, msgspec.Meta(ge=1, le=3600)] = 30
    #: Cookies carry ``Secure`` unless this is false; plain http to a loopback host (the demo
    #: on 127.0.0.1) never gets them, since a browser there would drop them.
    secure_cookies: bool = True
    #: Addresses or networks (comma-separated, e.g. ``10.42.0.0/16``) of the reverse proxies
    #: whose ``X-Forwarded-For``/``-Proto`` are believed; none by default.
    trusted_proxies: Annotated[str, msgspec.Meta(pattern=r"^[0-9A-Fa-f:./, *]*$")] = ""
    #: Minutes a second-factor check stays fresh enough to open a reporter's identity.
    identity_recheck_minutes: Annotated[int, msgspec.Meta(ge=1, le=1440)] = 15
    #: Public portal: reports one client address may send, and receipt look-ups (status reads
    #: and thread messages) it may make, per rolling hour; shared by every replica.
    portal_submissions_per_hour: Annotated[int, msgspec.Meta(ge=1, le=10_000)] = 5
    portal_lookups_per_hour: Annotated[int, msgspec.Meta(ge=1, le=100_000)] = 60
    #: ``giamsat serve``'s worker processes; None: 2 on PostgreSQL, 1 on SQLite.
    web_workers: Annotated[int, msgspec.Meta(ge=1, le=64)] | None = None
    #: Each web process tries the one-minute ``decisions.pending`` slot this often (seconds),
    #: so signals a crash left undecided are decided within a minute; 0 turns it off.
    decide_pending_seconds: Annotated[int, msgspec.Meta(ge=0, le=3600)] = 20
    #: A bulk sheet of more rows than this is committed in the request and decided afterwards
    #: by a job (``decision_job``), whose page and API show its progress.
    sheet_job_rows: Annotated[int, msgspec.Meta(ge=0, le=1_000_000)] = 200
    #: Each web process looks for queued sheet jobs this often (seconds); 0 turns it off.
    sheet_job_poll_seconds: Annotated[float, msgspec.Meta(ge=0, le=3600)] = 1.0
    #: A worker holds a sheet job this long past its last batch; after that another takes over.
    sheet_job_lease_seconds: Annotated[int, msgspec.Meta(ge=5, le=86_400)] = 120
    smtp: SmtpSettings = SmtpSettings()

    @property
    def migration_url(self) -> str:
        return self.admin_database_url or self.database_url

    def redacted(self) -> dict[str, object]:
        data = msgspec.to_builtins(self)
        for key in ("secret_key", "identity_key"):
            data[key] = "***" if data[key] else ""
        data["smtp"]["password"] = "***" if self.smtp.password else ""
        for key in ("database_url", "admin_database_url"):
            data[key] = _hide_password(str(data[key]))
        return dict(data)


def _hide_password(url: str) -> str:
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in creds else url


_SMTP_KEYS = {"host", "port", "user", "password", "from", "starttls"}


def load_settings(
    environ: dict[str, str] | None = None, *, require_secret: bool = False
) -> Settings:
    """Merge the TOML file named by ``GIAMSAT_CONFIG_FILE`` with ``GIAMSAT_*`` variables.

    Without a configured secret key a throw-away one is made (tests, one-off commands), unless
    ``require_secret``: a server refuses to start, since forms and sessions signed with a key that
    changes at every restart fail after it.
    """
    env = dict(os.environ if environ is None else environ)
    raw: dict[str, object] = {}
    config_file = env.get(f"{_PREFIX}CONFIG_FILE")
    if config_file:
        try:
            raw.update(tomllib.loads(Path(config_file).read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigurationError(f"cannot read {config_file}: {exc}") from exc
    smtp: dict[str, object] = dict(raw.pop("smtp", {}) or {})  # type: ignore[call-overload]
    for key, value in env.items():
        if not key.startswith(_PREFIX) or key == f"{_PREFIX}CONFIG_FILE":
            continue
        name = key[len(_PREFIX) :].lower()
        if name.startswith("smtp_") and name[5:] in _SMTP_KEYS:
            smtp["sender" if name[5:] == "from" else name[5:]] = value
        elif name in Settings.__struct_fields__:
            raw[name] = value
    raw["smtp"] = smtp
    try:
        settings = msgspec.convert(raw, Settings, strict=False)
    except msgspec.ValidationError as exc:
        raise ConfigurationError(f"invalid setting{_variable_named(str(exc))}: {exc}") from exc
    _check_urls(settings)
    if not settings.secret_key:
        if require_secret:
            raise ConfigurationError(
                f"{_PREFIX}SECRET_KEY is not set: the server signs sessions and forms with it, so "
                "it must stay the same across restarts and replicas; set it (e.g. to the output "
                "of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`) or run "
                "`giamsat demo`, which keeps one beside its database"
            )
        settings = msgspec.structs.replace(settings, secret_key=secrets.token_urlsafe(32))
    return settings


_URL_SCHEMES = {
    "database_url": ("sqlite", "postgresql", "postgres"),
    "admin_database_url": ("postgresql", "postgres", "sqlite"),
    "base_url": ("http", "https"),
}


def _variable_named(error: str) -> str:
    """`` GIAMSAT_SMTP_PORT`` for "… at `$.smtp.port`": the name the operator has to fix."""
    if "`$." not in error:
        return ""
    path = error.rsplit("`$.", 1)[1].split("`", 1)[0]
    return f" {_PREFIX}{path.replace('.sender', '.from').replace('.', '_').upper()}"


def _check_urls(settings: Settings) -> None:
    """Reject a URL of the wrong kind now, naming only its scheme (the rest may hold a password)."""
    for field, schemes in _URL_SCHEMES.items():
        value = str(getattr(settings, field))
        if not value and field == "admin_database_url":
            continue
        scheme = value.split("://", 1)[0] if "://" in value else ""
        if scheme not in schemes:
            shown = f"scheme {scheme!r}" if scheme else "a value without a scheme"
            raise ConfigurationError(
                f"invalid setting {_PREFIX}{field.upper()}: {shown}; expected "
                + " or ".join(f"{s}://…" for s in schemes)
            )
