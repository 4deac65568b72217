"""The list of every table, in dependency order. A new table module is added here once."""

from __future__ import annotations

import importlib

from piccolo.table import Table

TABLE_MODULES = (
    "giamsat.tenancy.tables",
    "giamsat.accounts.tables",
    "giamsat.audit.tables",
    "giamsat.notifications.tables",
    "giamsat.jobs.tables",
    "giamsat.cadres.tables",
    "giamsat.signals.tables",
    "giamsat.intake.tables",
    "giamsat.portal.tables",
    "giamsat.cases.tables",
    "giamsat.residence.tables",
    "giamsat.calendar.overrides_store",
    "giamsat.delegations.tables",
    "giamsat.recommendations.tables",
    "giamsat.feedback.tables",
    "giamsat.reports.tables",
    "giamsat.plans.tables",
    "giamsat.web.idempotency",
)


def all_tables() -> list[type[Table]]:
    tables: list[type[Table]] = []
    for name in TABLE_MODULES:
        module = importlib.import_module(name)
        tables.extend(module.TABLES)
    return tables


def tenant_owned_tables() -> list[type[Table]]:
    """Tables whose rows belong to one committee: they carry ``tenant_path`` and get RLS."""
    return [t for t in all_tables() if "tenant_path" in {c._meta.name for c in t._meta.columns}]


#: Extra path columns through which a row is visible (e.g. a case referred up stays visible, by
#: status, to the committee it came from).
EXTRA_VISIBILITY_PATHS: dict[str, tuple[str, ...]] = {"supervision_case": ("origin_path",)}
