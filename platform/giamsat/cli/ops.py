"""``giamsat ops``: back up and restore the database, check the configuration.

Backups of PostgreSQL are ``pg_dump -Fc`` archives taken as the schema owner
(``GIAMSAT_ADMIN_DATABASE_URL``): row-level security hides rows from the application role, so a
dump taken as that role would silently miss other committees' data. The password travels to
``pg_dump``/``pg_restore`` in ``PGPASSWORD``, never on the command line (visible in ``ps``).
On the embedded SQLite default, the backup is SQLite's own online copy.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import asyncpg
import click

from giamsat.cli._common import settings
from giamsat.settings import Settings

#: ``GIAMSAT_*`` variables read outside :class:`Settings`, so check-config does not flag them.
_OTHER_VARIABLES = {"CONFIG_FILE", "MIGRATIONS_DIR", "JOB_MODULES", "TEST_POSTGRES"}
_SMTP_VARIABLES = {"SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM",
                   "SMTP_STARTTLS"}  # fmt: skip


@click.group("ops")
def group() -> None:
    """Vận hành (operations): back up, restore, check the configuration."""


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite://")


def _sqlite_path(url: str) -> Path:
    raw = unquote(url.split("://", 1)[1])
    return Path(raw[1:] if raw.startswith("/") else raw)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """(URL without the password, environment carrying it) for a libpq tool."""
    parts = urlsplit(url.replace("postgres://", "postgresql://", 1))
    env = dict(os.environ)
    netloc = parts.netloc
    if parts.password is not None:
        env["PGPASSWORD"] = unquote(parts.password)
        user, host = netloc.rsplit("@", 1)
        netloc = f"{user.split(':', 1)[0]}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise click.ClickException(
            f"{name} not found: install the PostgreSQL client tools of the server's major "
            f"version (Debian: apt-get install postgresql-client)"
        )
    return found


def _run_tool(args: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.splitlines() if ln.strip()] or ["(no message)"]
        raise click.ClickException(f"{what} failed: " + " / ".join(lines[:5]))


def _owner_url(conf: Settings, override: str | None) -> str:
    url = override or conf.migration_url
    if not (_is_sqlite(url) or url.startswith(("postgresql://", "postgres://"))):
        raise click.ClickException("the database URL must start with postgresql:// or sqlite://")
    return url


@group.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--database-url", help="Back up this database instead (default: the owner URL).")
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def backup_command(path: Path, database_url: str | None, force: bool) -> None:
    """Write a full backup of the database to PATH (PostgreSQL: pg_dump custom format)."""
    url = _owner_url(settings(), database_url)
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; choose a new file or pass --force")
    if not path.parent.is_dir():
        raise click.ClickException(f"directory {path.parent} does not exist")
    partial = path.with_name(path.name + ".partial")
    try:
        if _is_sqlite(url):
            _sqlite_copy(_sqlite_path(url), partial, must_exist=True)
        else:
            libpq_url, env = _libpq(url)
            _run_tool([_tool("pg_dump"), "--format=custom", f"--file={partial}",
                       f"--dbname={libpq_url}"], env, "pg_dump")  # fmt: skip
        partial.replace(path)  # a failed backup never leaves a file that looks complete
    finally:
        partial.unlink(missing_ok=True)
    click.echo(f"backup written: {path} ({path.stat().st_size} bytes)")


def _sqlite_copy(source: Path, target: Path, *, must_exist: bool) -> None:
    if must_exist and not source.is_file():
        raise click.ClickException(f"SQLite database {source} does not exist")
    try:
        with (
            sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src,
            sqlite3.connect(target) as dst,
        ):
            src.execute("PRAGMA schema_version")  # fails early on a file that is not SQLite
            src.backup(dst)
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"cannot copy SQLite database {source}: {exc}") from exc


async def _table_count(url: str) -> int:
    try:
        conn = await asyncpg.connect(url, timeout=10)
    except (OSError, asyncpg.PostgresError) as exc:
        raise click.ClickException(f"cannot connect to the target database: {exc}") from exc
    try:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        )
        return count
    finally:
        await conn.close()


@group.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--database-url", help="Restore into this database (default: the owner URL).")
@click.option("--no-owner", is_flag=True, help="Do not restore object ownership (other role).")
def restore_command(path: Path, database_url: str | None, no_owner: bool) -> None:
    """Restore a backup made by ``giamsat ops backup`` into an EMPTY database, all or nothing."""
    import asyncio

    url = _owner_url(settings(), database_url)
    if _is_sqlite(url):
        target = _sqlite_path(url)
        if target.exists() and target.stat().st_size > 0:
            raise click.ClickException(f"{target} exists; restore into a new file")
        _sqlite_copy(path, target, must_exist=True)
        click.echo(f"restored {path} into {target}")
        return
    libpq_url, env = _libpq(url)
    tables = asyncio.run(_table_count(url))
    if tables:
        raise click.ClickException(
            f"the target database already has {tables} tables; create an empty one "
            "(createdb -O <owner> <name>) and restore into it"
        )
    args = [_tool("pg_restore"), "--exit-on-error", "--single-transaction",
            f"--dbname={libpq_url}", *(["--no-owner"] if no_owner else []), str(path)]  # fmt: skip
    _run_tool(args, env, "pg_restore")
    click.echo(f"restored {path} into {urlsplit(libpq_url).path.lstrip('/')}")


def _unknown_variables(environ: dict[str, str]) -> list[str]:
    known = (
        {name.upper() for name in Settings.__struct_fields__} | _OTHER_VARIABLES | _SMTP_VARIABLES
    )
    return sorted(key for key in environ if key.startswith("GIAMSAT_") and key[8:] not in known)


def _warnings(conf: Settings, environ: dict[str, str]) -> list[str]:
    notes = [
        f"unknown variable {name} is ignored (a typo?)" for name in _unknown_variables(environ)
    ]
    if not environ.get("GIAMSAT_SECRET_KEY"):
        notes.append("GIAMSAT_SECRET_KEY is not set: `giamsat serve` refuses to start, and other "
                     "commands make up a throw-away one")  # fmt: skip
    if not conf.identity_key:
        notes.append("GIAMSAT_IDENTITY_KEY is not set: reporters' identities cannot be stored")
    if _is_sqlite(conf.database_url):
        notes.append("SQLite is the single-process demo database; use PostgreSQL for replicas")
    return notes


@group.command("check-config")
def check_config_command() -> None:
    """Validate the settings (variables and file) and print them with secrets hidden."""
    conf = settings()
    redacted = conf.redacted()
    if not os.environ.get("GIAMSAT_SECRET_KEY"):
        redacted["secret_key"] = ""  # the generated one is not configuration
    click.echo(json.dumps(redacted, indent=2, ensure_ascii=False, sort_keys=True))
    for note in _warnings(conf, dict(os.environ)):
        click.echo(f"warning: {note}", err=True)
    click.echo("configuration ok", err=True)
