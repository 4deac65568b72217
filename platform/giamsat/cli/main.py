"""Entry point of the ``giamsat`` command.

Every module in :mod:`giamsat.cli` that defines a click object named ``group`` becomes a
subcommand, so an area adds its operator commands without touching this file.
"""

from __future__ import annotations

import importlib
import pkgutil

import click

import giamsat
import giamsat.cli as cli_package


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(giamsat.__version__, prog_name="giamsat")
def main() -> None:
    """giamsat: giám sát đạo đức, lối sống cán bộ, đảng viên (Front supervision platform)."""


def _register_subcommands() -> None:
    for info in sorted(pkgutil.iter_modules(cli_package.__path__), key=lambda m: m.name):
        if info.name == "main" or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{cli_package.__name__}.{info.name}")
        command = getattr(module, "group", None)
        if isinstance(command, click.Command):
            main.add_command(command)


_register_subcommands()
