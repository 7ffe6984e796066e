"""What every layer shares: a private COACH_HOME per test (never the real home), Ctrl-C that
reaches the programs the tests start, the layer markers, and two ways to run coach: in this
process (`coach`, the cli layer's) or as a real process (`coach_process`, for what only a real
process shows: signals, the start-up fast paths, the entry point).

The layers, by folder: unit/ (pure functions and the engine, directly), cli/ (commands
in-process with typer's CliRunner), terminal/ (real processes, in a pseudo-terminal or piped;
marked `pty`), slow/ (wheel builds, pre-commit with real git; marked `slow`).
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
TESTS = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    """Let Ctrl-C reach the programs the tests start, as it does in a person's terminal.

    A background job, a CI runner or `trap '' INT` may start pytest with SIGINT ignored, and an
    ignored signal stays ignored across fork and exec: every `coach` the tests spawn would then
    shrug off the Ctrl-C they send it. A handler (unlike an ignore) is reset to the default in
    each child."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        layer = Path(str(item.fspath)).relative_to(TESTS).parts[0]
        if layer == "terminal":
            item.add_marker(pytest.mark.pty)
        elif layer == "slow":
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def coach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every path the program uses at a fresh folder (and keep the real home out); run
    in the test's own folder, so that a relative path never lands in the repository."""
    monkeypatch.chdir(tmp_path)
    home = tmp_path / "coach-home"
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home" / "cache"))
    for name in ("COACH_JOURNAL", "COACH_PLAYBOOKS", "COACH_DEBUG", "COACH_CONFIG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def time_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Set the local time zone for the test (`time_zone("Europe/Berlin")`), as $TZ does for a
    process; the zone the tests started with comes back afterwards."""
    import time

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


def write_playbook(folder: Path, playbook_id: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{playbook_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


class Ran:
    """What one run of coach left: its exit status and what it wrote."""

    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    def __repr__(self) -> str:
        return f"Ran({self.returncode}, stdout={self.stdout!r}, stderr={self.stderr!r})"


@functools.cache
def _command() -> Any:
    """coach's click command, built once for the whole run (the real program builds it per
    start; it holds no state between invocations)."""
    import typer.main

    from servicecoach.cli import app

    return typer.main.get_command(app)


def coach(
    *args: str, input: str | bytes | None = None, env: dict[str, str] | None = None,
    stdin: TextIO | None = None,
) -> Ran:  # fmt: skip
    """Run `coach ARGS` in this process, as the real program runs it after its fast paths
    (through `CoachGroup.main`, where errors become sentences and exit codes), with `input`
    (or the stream `stdin`) piped in and 120 columns, in typer's CliRunner's isolation."""
    from typer.testing import CliRunner

    runner = CliRunner()
    environment = {"COLUMNS": "120", **(env or {})}
    with runner.isolation(input=input or "", env=environment) as (out, err, _):
        if stdin is not None:
            sys.stdin = stdin  # restored by the isolation itself
        try:
            _command().main(args=list(args), prog_name="coach")
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else int(done.code is not None)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        written = out.getvalue(), err.getvalue()
    stdout, stderr = (data.decode("utf-8", "replace").replace("\r\n", "\n") for data in written)
    return Ran(code, stdout, stderr)


def coach_process(
    *args: str, input: str | bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[Any]:
    """Run the real `coach` (as `python -m servicecoach`) with stdin piped."""
    return subprocess.run(
        [sys.executable, "-m", "servicecoach", *args],
        input=input if input is not None else "",
        capture_output=True,
        text=not isinstance(input, bytes),
        env={**os.environ, "COLUMNS": "120", **(env or {})},
        timeout=120,
    )
