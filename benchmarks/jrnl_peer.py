"""jrnl, the tool people would pick instead of `coach journal`, set up to be measured beside it.

    python benchmarks/jrnl_peer.py HOME         # jrnl's journal and config for coach's HOME

`install(folder)` puts jrnl 4.x into its own virtual environment (it is on the package index;
nothing of it reaches coach's). `build(home)` writes jrnl's journal with the same reflections as
coach's journal in `home/journal` (read through `coach journal export --format json`): one entry
each, at the same time, titled with the playbook's title, its tags as jrnl tags, and every
answer as the body; and a jrnl config that keeps that journal in `home/jrnl`, with colours and
line wrapping off, so both tools print plain text. `commands` pairs each coach command with
jrnl's nearest one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

JRNL = "jrnl>=4.6,<5"

COMMANDS = {  # coach journal ... : jrnl ...
    "list -n 10": (["journal", "list", "-n", "10"], ["-n", "10"]),
    "search": (["journal", "search", "refund"], ["-contains", "refund"]),
    "show last": (["journal", "show", "last"], ["-n", "1"]),
    "stats": (["journal", "stats"], ["--tags"]),
}


def install(folder: Path) -> Path:
    """jrnl in a virtual environment of its own in `folder` (made once); its executable."""
    executable = folder / "bin" / "jrnl"
    if not executable.exists():
        venv.create(folder, with_pip=True)
        subprocess.run(
            [str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet", JRNL], check=True
        )
    return executable


def environment(home: Path) -> dict[str, str]:
    """What jrnl needs to find the config `build` wrote (and nothing of the person's own)."""
    return {**os.environ, "XDG_CONFIG_HOME": str(home / "jrnl-config"), "HOME": str(home)}


def build(home: Path) -> None:
    """jrnl's journal and config beside coach's journal in `home`."""
    export = subprocess.run(
        [sys.executable, "-m", "servicecoach", "journal", "export", "--format", "json"],
        env={**os.environ, "COACH_HOME": str(home)},
        capture_output=True,
        check=True,
    )
    entries = json.loads(export.stdout)
    lines: list[str] = []
    for entry in entries:  # oldest first, as jrnl keeps them
        when = dt.datetime.fromisoformat(entry["at"] or entry["started"])
        tags = " ".join(f"@{tag}" for tag in entry["tags"])
        lines.append(f"[{when:%Y-%m-%d %I:%M:%S %p}] {entry['title'] or entry['playbook']} {tags}")
        for section in ("steps", "wrap_up"):
            for key, record in entry[section].items():
                answer = record.get("answer")
                if answer not in (None, "", []):
                    lines.append(f"{key}: {answer}")
        lines.append("")
    folder = home / "jrnl"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "journal.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = home / "jrnl-config" / "jrnl"
    config.mkdir(parents=True, exist_ok=True)
    (config / "jrnl.yaml").write_text(
        "version: '4.6'\n"
        f"journals:\n  default:\n    journal: {folder / 'journal.txt'}\n"
        "editor: ''\nencrypt: false\ntemplate: false\ndefault_hour: 9\ndefault_minute: 0\n"
        "timeformat: '%F %r'\ntagsymbols: '#@'\nhighlight: false\nlinewrap: false\n"
        "indent_character: '|'\n"
        "colors:\n  body: none\n  date: none\n  tags: none\n  title: none\n",
        encoding="utf-8",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("home", type=Path, help="a benchmark home with coach's journal in it")
    args = parser.parse_args()
    build(args.home)


if __name__ == "__main__":
    main()
