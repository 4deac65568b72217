"""The demo: one SQLite file with the Hà Nội 2022 tree, demo accounts and the 2022 rule pack.

Everything here goes through the same services an operator's commands use; re-running it keeps
the data and only adds what is missing.
"""

from __future__ import annotations

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
    for step in DEMO_STEPS:
        await step()
    return created


#: Further demo steps (rule packs, sample signals) registered by their areas.
DEMO_STEPS: list = []  # type: ignore[type-arg]

from giamsat.intake.demo import intake_demo  # noqa: E402 - channels, cadres, signals first

DEMO_STEPS.append(intake_demo)

from giamsat.reports.demo import reports_demo  # noqa: E402 - areas register after the list exists

DEMO_STEPS.append(reports_demo)

from giamsat.cases.demo import cases_demo  # noqa: E402

DEMO_STEPS.append(cases_demo)

from giamsat.plans.demo import plans_demo  # noqa: E402 - first: later steps' signals need the pack

DEMO_STEPS.insert(0, plans_demo)
