"""The built-in playbooks travel inside the wheel and are found the same way from it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from ..conftest import REPO


def test_wheel_carries_the_playbooks_and_finds_them(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("servicecoach-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    builtin = "servicecoach/playbooks/builtin/"
    shipped = sorted(Path(n).name for n in names if n.startswith(builtin))
    assert shipped == sorted(p.name for p in (REPO / "playbooks").glob("*.yaml"))
    # the built-ins' `$schema=../schema/playbook.schema.json` resolves inside the wheel too
    assert "servicecoach/playbooks/schema/playbook.schema.json" in names
    # what a package index shows: the licence, the classifiers, a README without links that
    # only work beside docs/
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("/METADATA")))
    text = metadata.decode()
    assert "License-Expression: MIT" in text and "License-File: LICENSE" in text
    assert any(n.endswith("/licenses/LICENSE") for n in names)
    assert "Classifier: Environment :: Console" in text and "Keywords:" in text
    tests_need = [line for line in text.splitlines() if line.endswith("extra == 'test'")]
    assert "Provides-Extra: dev" in text and not any("ruff" in line for line in tests_need)
    description = text.split("\n\n", 1)[1]
    assert "# servicecoach" in description
    assert "](docs/" not in description and "docs/pictures" not in description

    target = tmp_path / "installed"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import servicecoach.playbooks.catalog as c, json; "
            "print(json.dumps([c.__file__, str(c.builtin_folder())]))",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=tmp_path,
    )
    module, folder = json.loads(probe.stdout)
    assert module.startswith(str(target))
    assert folder == str(target / "servicecoach" / "playbooks" / "builtin")

    listed = subprocess.run(
        [sys.executable, "-m", "servicecoach", "playbooks", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {row["id"] for row in rows} >= {"apology", "learn", "daily"}
    assert all(row["path"].startswith(str(target)) for row in rows)
    assert all(row["valid"] for row in rows)
