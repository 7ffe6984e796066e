"""Reading the journal needs neither pydantic nor PyYAML once its cache holds the files: those
are imported only to take in a new or changed file (a guard against a slower journal creeping
back in; the speed itself is measured by benchmarks/, never here)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..journal_fixture import seven_reflections

COMMANDS = [
    ["journal", "list"],
    ["journal", "list", "--since", "7d", "--mode", "live", "-n", "3", "--json"],
    ["journal", "search", "refund"],
    ["journal", "show", "last"],
    ["journal", "show", "2"],
    ["journal", "stats"],
    ["journal", "stats", "--json", "--audience", "customer"],
    ["journal", "export", "--format", "json"],
]


def imported(env: dict[str, str], args: list[str]) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "servicecoach", *args], env=env,
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_a_warm_journal_command_imports_neither_pydantic_nor_yaml(
    tmp_path: Path, args: list[str]
) -> None:
    home = tmp_path / "home"
    seven_reflections(home / "journal")
    env = {**os.environ, "COACH_HOME": str(home)}
    first = imported(env, args)  # takes the files in: parses them
    assert "yaml" in first
    again = imported(env, args)
    assert {"pydantic", "yaml", "typer._adapters"} & again == set()
