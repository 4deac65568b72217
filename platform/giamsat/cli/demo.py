"""``giamsat demo``: prepare the demo database and serve it."""

from __future__ import annotations

import os

import click

from giamsat.accounts import two_factor
from giamsat.cli._common import run, settings
from giamsat.demo import DemoAccount, demo_folder, demo_secrets, prepare_demo


async def _enrol_new_approvers(accounts: list[DemoAccount], secret: str) -> str:
    """Pre-enrol the demo accounts just created whose role requires two-factor login, all with
    one printed secret (the demo is for showing, on loopback); "" when none was created."""
    from datetime import UTC, datetime

    import pyotp

    from giamsat.accounts.service import _find_user
    from giamsat.db.scope import system_scope

    chosen = [a for a in accounts if a.password and two_factor.required_for(a.role)]
    if not chosen:
        return ""
    secret = secret or pyotp.random_base32()
    for account in chosen:
        async with system_scope():
            user = await _find_user(account.committee, account.username)
        assert user is not None
        await two_factor.enrol_with_secret(user["id"], secret, datetime.now(UTC))
    return secret


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--password",
    default="giamsat-demo-2022",
    show_default=True,
    help="Password of the demo accounts.",
)
@click.option(
    "--totp-secret",
    default="",
    help="Base32 two-factor secret of the new demo accounts that require one (administrator, "
    "standing board); a random one when empty. Printed either way.",
)
@click.option("--no-serve", is_flag=True, help="Prepare the data and exit.")
def group(host: str, port: int, password: str, totp_secret: str, no_serve: bool) -> None:
    """Chạy bản demo (demo): Hà Nội 2022 as history, the 2025 reorganisations, today; serve."""
    url = os.environ.get("GIAMSAT_DATABASE_URL", "sqlite:///giamsat.sqlite")
    for key, value in demo_secrets(demo_folder(url)).items():
        os.environ.setdefault(key, value)
    conf = settings()
    accounts = run(prepare_demo(conf.database_url, password))
    click.echo(f"database: {conf.redacted()['database_url']}")
    click.echo("accounts (committee / username / password):")
    for account in accounts:
        shown = account.password or "(already existed: password unchanged)"
        click.echo(f"  {account.committee:>6}  {account.username:<12} {shown}   [{account.role}]")
    enrolled = run(_enrol_new_approvers(accounts, totp_secret))
    if enrolled:
        click.echo(
            "two-factor login (required for these roles): add this secret to an authenticator "
            f"app, or run `oathtool --totp -b {enrolled}`:"
        )
        click.echo(
            f"  secret {enrolled}  (accounts: "
            + ", ".join(
                a.username for a in accounts if a.password and two_factor.required_for(a.role)
            )
            + ")"
        )
    if no_serve:
        return
    click.echo(f"open http://{host}:{port}/login  (committee 01, username admin)")
    click.echo(f"citizens' portal: http://{host}:{port}/portal")
    os.environ.setdefault("GIAMSAT_DATABASE_URL", conf.database_url)
    import uvicorn

    from giamsat.cli.serve import proxy_options

    uvicorn.run(
        "giamsat.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        log_level="info",
        **proxy_options(conf.trusted_proxies),  # type: ignore[arg-type]
    )
