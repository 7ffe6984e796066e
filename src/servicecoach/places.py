"""Names and places that launch.py needs before anything else is imported (os only)."""

from __future__ import annotations

import os

COMMAND_NAMES = ("resume", "playbooks", "journal", "config")
"""coach's own commands, in the order `coach --help` and completion list them: a playbook with
one of these ids cannot be run as `coach <id>`."""

SUFFIXES = (".yaml", ".yml")

PACKAGE = os.path.dirname(os.path.abspath(__file__))


def builtin_folder_path() -> str:
    """The built-in playbooks: inside the package when installed from a wheel, else the
    repository's top-level `playbooks/` folder (source checkout or editable install)."""
    packaged = os.path.join(PACKAGE, "playbooks")
    if os.path.isdir(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(PACKAGE))), "playbooks")
