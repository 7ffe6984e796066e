"""Shared fixtures: every test runs with its own COACH_HOME, never the real home directory."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"


def pytest_configure(config: pytest.Config) -> None:
    """Let Ctrl-C reach the programs the tests start, as it does in a person's terminal.

    A background job, a CI runner or `trap '' INT` may start pytest with SIGINT ignored, and an
    ignored signal stays ignored across fork and exec: every `coach` the tests spawn would then
    shrug off the Ctrl-C they send it. A handler (unlike an ignore) is reset to the default in
    each child."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def coach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every path the program uses at a fresh folder (and keep the real home out)."""
    home = tmp_path / "coach-home"
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / "config"))
    for name in ("COACH_JOURNAL", "COACH_PLAYBOOKS", "COACH_DEBUG", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return home


def write_playbook(folder: Path, playbook_id: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{playbook_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def coach(*args: str, input: str | None = None, env: dict[str, str] | None = None):
    """Run the real `coach` (as `python -m servicecoach`) with stdin piped."""
    import os
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "servicecoach", *args],
        input=input if input is not None else "",
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "120", **(env or {})},
        timeout=120,
    )
