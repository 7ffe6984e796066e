"""The README's pictures are the real program's output and cannot drift from it."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO


def test_pictures_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "pictures.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


def test_the_readme_shows_them() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in ("cue-card", "recall", "journal-stats"):
        assert f"docs/pictures/{name}.svg" in readme
