"""`journal show` in a terminal pages a reflection taller than the screen through $PAGER, as
git does; one that fits, or one read into a pipe, is printed as it is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pexpect

from ..journal_fixture import at, day, write
from .test_fast_paths import env_for


def a_journal(home: Path, paged: Path) -> dict[str, str]:
    write(home / "journal", "learn", at(day(1)), {"listen": "The parcel came back twice"})
    recorder = (
        f"{sys.executable} -c \"import sys; open({str(paged)!r}, 'w').write(sys.stdin.read())\""
    )
    return env_for(home, PAGER=recorder)


def show_in(env: dict[str, str], rows: int) -> str:
    child = pexpect.spawn(
        sys.executable, ["-m", "servicecoach", "journal", "show", "last"], env=env,
        encoding="utf-8", dimensions=(rows, 100), timeout=60,
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    return child.before


def test_a_reflection_taller_than_the_screen_goes_through_the_pager(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    env = a_journal(tmp_path / "home", paged)
    screen = show_in(env, rows=12)
    assert "The parcel came back twice" in paged.read_text()  # the pager had it all
    assert "The parcel came back twice" not in screen


def test_a_reflection_that_fits_or_goes_into_a_pipe_is_printed(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    env = a_journal(tmp_path / "home", paged)
    assert "The parcel came back twice" in show_in(env, rows=200)
    piped = subprocess.run(
        [sys.executable, "-m", "servicecoach", "journal", "show", "last"], env=env,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "The parcel came back twice" in piped.stdout
    assert not paged.exists()
