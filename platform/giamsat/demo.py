"""The demo: one SQLite file that tells Hà Nội's story, history first and then today.

1. The 2023-register tree with the 2022 plan and its sample work;
2. both 2025 reorganisations of Hà Nội applied (the work moves to the successors);
3. the plan in force today, with current work in the two-level tree, and the accounts of
   current committees (the city, Phường Ba Đình ``00004``, the ward's trade union).
Everything goes through the same services an operator's commands use; re-running it keeps the
data and only adds what is missing (history is built once, before the first reorganisation).
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
from giamsat.tenancy.demo import reorganise_demo, reorganised
from giamsat.tenancy.register import read_register
from giamsat.tenancy.service import import_units

REPO = Path(__file__).resolve().parents[2]
REGISTER = REPO / "tenants" / "register" / "vn-admin-units-2023.csv"

#: (committee code, role, username, organisation): the city, Phường Ba Đình and the ward's
#: trade union (its officer submits on the workplace channel).
DEMO_ACCOUNTS = (
    ("01", "admin", "admin", ""),
    ("01", "standing_board", "thuongtruc", ""),
    ("01", "democracy_law", "danchu", ""),
    ("00004", "democracy_law", "badinh", ""),
    ("00004", "partner_officer", "congdoan", "union"),
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
    if not await reorganised():
        await import_units(read_register(REGISTER, "01"), with_central=False)
        for name in HISTORY_STEPS:
            await _step(name)()
        await reorganise_demo()
    created: list[DemoAccount] = []
    for committee, role, username, organisation in DEMO_ACCOUNTS:
        try:
            await create_user(
                committee,
                UserCreate(
                    username=username,
                    role=role,
                    password=password,
                    full_name=f"Demo {username}",
                    organisation=organisation,
                ),
            )
            created.append(DemoAccount(committee, username, role, password))
        except Conflict:
            created.append(DemoAccount(committee, username, role, None))
    for name in TODAY_STEPS:
        await _step(name)()
    return created


#: The history, in the 2023 tree ("module:function", in order): the rule packs first (every
#: later signal is evaluated under them), then channels with cadres and signals, reports, cases,
#: and last the evaluation of any signal that was loaded without the intake hand-off.
HISTORY_STEPS: tuple[str, ...] = (
    "giamsat.plans.demo:plans_demo",
    "giamsat.intake.demo:intake_demo",
    "giamsat.reports.demo:reports_demo",
    "giamsat.cases.demo:cases_demo",
    "giamsat.decisions.service:decide_pending",
)
#: Today, in the two-level tree (after both 2025 reorganisations).
TODAY_STEPS: tuple[str, ...] = ("giamsat.tenancy.demo:current_work_demo",)


def _step(name: str) -> Callable[[], Awaitable[object]]:
    module, function = name.split(":")
    step: Callable[[], Awaitable[object]] = getattr(importlib.import_module(module), function)
    return step


def demo_folder(database_url: str) -> Path:
    """The folder of the demo's SQLite file (the working directory for any other database)."""
    if database_url.startswith("sqlite:///"):
        return Path(database_url.removeprefix("sqlite:///")).resolve().parent
    return Path.cwd()


def demo_secrets(folder: Path) -> dict[str, str]:
    """Keys the demo keeps beside its database, so that restarts still open sealed identities
    and sessions; a real deployment sets GIAMSAT_SECRET_KEY and GIAMSAT_IDENTITY_KEY itself."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "giamsat-demo.keys"
    if not path.exists():
        path.write_text(f"{secrets.token_urlsafe(32)}\n{secrets.token_urlsafe(32)}\n")
        path.chmod(0o600)
    secret_key, identity_key = path.read_text().split()
    return {"GIAMSAT_SECRET_KEY": secret_key, "GIAMSAT_IDENTITY_KEY": identity_key}
