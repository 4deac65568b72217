"""The demo: one SQLite file with the Hà Nội 2022 tree, demo accounts and the 2022 rule pack.

Everything here goes through the same services an operator's commands use; re-running it keeps
the data and only adds what is missing.
"""

from __future__ import annotations

import importlib
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path

import msgspec

from giamsat.accounts.schemas import UserCreate
from giamsat.accounts.service import create_user
from giamsat.db.migrate import migrate
from giamsat.errors import Conflict
from giamsat.tenancy.register import read_register
from giamsat.tenancy.service import import_units

REPO = Path(__file__).resolve().parents[2]
REGISTER = REPO / "tenants" / "register" / "vn-admin-units-2023.csv"

#: (committee code, role, username): the city, one district and one of its communes.
DEMO_ACCOUNTS = (
    ("01", "admin", "admin"),
    ("01", "standing_board", "thuongtruc"),
    ("01", "democracy_law", "danchu"),
    ("001", "democracy_law", "badinh"),
    ("00001", "democracy_law", "phucxa"),
    ("001", "partner_officer", "congdoan"),
)


class DemoAccount(msgspec.Struct, frozen=True):
    committee: str
    username: str
    role: str
    password: str | None


async def prepare_demo(database_url: str, password: str) -> list[DemoAccount]:
    """Migrate, import Hà Nội, create the demo accounts. Returns the accounts created now."""
    await migrate(database_url)
    from giamsat.db.engine import start_pool, use_database

    await start_pool(use_database(database_url))
    await import_units(read_register(REGISTER, "01"), with_central=False)
    created: list[DemoAccount] = []
    for committee, role, username in DEMO_ACCOUNTS:
        try:
            await create_user(
                committee,
                UserCreate(
                    username=username, role=role, password=password, full_name=f"Demo {username}"
                ),
            )
            created.append(DemoAccount(committee, username, role, password))
        except Conflict:
            created.append(DemoAccount(committee, username, role, None))
    for name in DEMO_STEPS:
        await _step(name)()
    return created


#: The areas' demo steps in order ("module:function"): the rule pack first (every later signal
#: is evaluated under it), then channels with cadres and signals, cases, reports, and last the
#: evaluation of any signal that was loaded without the intake hand-off.
DEMO_STEPS: tuple[str, ...] = (
    "giamsat.plans.demo:plans_demo",
    "giamsat.intake.demo:intake_demo",
    "giamsat.reports.demo:reports_demo",
    "giamsat.cases.demo:cases_demo",
    "giamsat.decisions.service:decide_pending",
)


def _step(name: str) -> Callable[[], Awaitable[object]]:
    module, function = name.split(":")
    step: Callable[[], Awaitable[object]] = getattr(importlib.import_module(module), function)
    return step


def demo_secrets(folder: Path) -> dict[str, str]:
    """Keys the demo keeps beside its database, so that restarts still open sealed identities
    and sessions; a real deployment sets GIAMSAT_SECRET_KEY and GIAMSAT_IDENTITY_KEY itself."""
    path = folder / "giamsat-demo.keys"
    if not path.exists():
        path.write_text(f"{secrets.token_urlsafe(32)}\n{secrets.token_urlsafe(32)}\n")
        path.chmod(0o600)
    secret_key, identity_key = path.read_text().split()
    return {"GIAMSAT_SECRET_KEY": secret_key, "GIAMSAT_IDENTITY_KEY": identity_key}
