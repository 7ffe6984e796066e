"""The fast path shows only what the full program would, over varied inputs.

Every variant below changes one thing that changes the screen: the playbook file (its content,
which file the catalog picks), the options, the terminal's width and encoding, the colour
variables, the config file, HOME. The full program runs each first, into one shared start-up
cache; then each runs again, shown from that cache. Had the cache's key missed an input, two
variants would share a key, and one of them would now be shown the other's screen.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pexpect
import pytest

from ..conftest import REPO

APOLOGY = (REPO / "playbooks" / "apology.yaml").read_text(encoding="utf-8")
DROPPED = ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "CI", "PYTHONIOENCODING", "COACH_HOME")


def handover(title: str) -> str:
    return f"title: {title}\nsummary: S\nsteps:\n  - {{id: one, title: Brief them}}\n"


@dataclass
class Variant:
    name: str
    args: list[str]
    env: dict[str, str] = field(default_factory=dict)
    columns: int = 100
    setup: Callable[[Path], None] = lambda root: None
    prompt: str = "› "


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def teams(root: Path) -> None:
    """Two team repositories with the same config text, and a config that names `~/team`."""
    for name in ("a", "b"):
        write(root / name / "coach.yaml", "playbooks: [playbooks]\n")
        write(root / name / "playbooks" / "handover.yaml", handover(f"Team {name} handover"))
    write(root / "tilde.yaml", "playbooks: [~/team]\n")
    for home in ("home-1", "home-2"):
        write(root / home / "team" / "handover.yaml", handover(f"{home} handover"))


def team_apology(title: str) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        write(root / "edited" / "apology.yaml", APOLOGY.replace("Express regret", title))

    return setup


FROM_THE_CACHE = """
import os, sys
from servicecoach.startup import launch
argv, env = sys.argv[1:], dict(os.environ)
launch._standard_streams()
if argv in (["--help"], ["-h"]):
    if launch.show_help(argv, env):
        sys.exit(0)
    print("NO SCREEN IN THE CACHE", file=sys.stderr)
    sys.exit(3)
prelude = launch.show_first_card(argv, env)
if prelude is None:
    sys.exit(3)
from servicecoach.cli import main
main(prelude)
"""
"""launch.main, except that a screen the cache does not have is a failure (exit 3) instead of a
quiet fall back to the full program."""


def environment(root: Path, variant: Variant, cache: Path) -> dict[str, str]:
    variant.setup(root)
    env = {k: v for k, v in os.environ.items() if k not in DROPPED and not k.startswith("XDG_")}
    env.update(
        HOME=str(root / "home-1"),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_DATA_HOME=str(root / "data"),
        XDG_CACHE_HOME=str(cache),
        TERM="xterm-256color",
    )
    env.update({k: v.format(root=root) for k, v in variant.env.items()})
    return env


def screen(root: Path, variant: Variant, cache: Path, *, fast: bool) -> str:
    """What `coach ARGS` shows in a terminal up to its first prompt (or its end): from the
    cache alone (`fast`), else from the full program (which stores it there)."""
    env = environment(root, variant, cache)
    if not fast:
        env["COACH_DEBUG"] = "1"  # no fast path: the full program, which fills the cache
    start = ["-c", FROM_THE_CACHE] if fast else ["-m", "servicecoach"]
    child = pexpect.spawn(
        sys.executable, [*start, *variant.args], env=env, encoding="utf-8",
        codec_errors="replace", dimensions=(50, variant.columns), timeout=60,
    )  # fmt: skip
    if child.expect([variant.prompt, pexpect.EOF]) == 0:
        shown = child.before
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
    else:
        shown = child.before
    child.close()
    assert child.exitstatus != 3, f"{variant.name}: the cache had no screen for it"
    return shown


def retitled(root: Path) -> None:
    write(root / "edited" / "apology.yaml", APOLOGY.replace("of apology", "of saying sorry"))


EDITED = {"COACH_PLAYBOOKS": "{root}/edited"}
CONFIG_A = {"COACH_CONFIG": "{root}/a/coach.yaml"}
CONFIG_B = {"COACH_CONFIG": "{root}/b/coach.yaml"}
TILDE = {"COACH_CONFIG": "{root}/tilde.yaml"}
OTHER_HOME = {**TILDE, "HOME": "{root}/home-2"}

LATIN_PROMPT = r"reacted(?:\x1b\[0m)? \? "

CARDS = [
    # latin-1 cannot show the prompt's › (nor curly quotes): a terminal shows `?` for them
    Variant("latin-1", ["apology"], {"PYTHONIOENCODING": "latin-1"}, prompt=LATIN_PROMPT),
    Variant("utf-8", ["apology"]),
    Variant("narrow", ["apology"], columns=60),
    Variant("COLUMNS", ["apology"], {"COLUMNS": "72"}),
    Variant("no colour", ["apology"], {"NO_COLOR": "1"}),
    Variant("dumb terminal", ["apology"], {"TERM": "dumb"}),
    Variant("recall", ["apology", "--recall"]),
    Variant("supervisor", ["apology", "-a", "supervisor"]),
    Variant("team file", ["apology"], EDITED, setup=team_apology("Say sorry first")),
    Variant("team file edited", ["apology"], EDITED, setup=team_apology("Own it")),
    Variant("config a", ["handover"], CONFIG_A, setup=teams),
    Variant("config b", ["handover"], CONFIG_B, setup=teams),
    Variant("home 1", ["handover"], TILDE, setup=teams),
    Variant("home 2", ["handover"], OTHER_HOME, setup=teams),
]
HELP = [
    Variant("help latin-1", ["--help"], {"PYTHONIOENCODING": "latin-1"}),
    Variant("help", ["--help"]),
    Variant("help narrow", ["--help"], columns=70),
    Variant("help no colour", ["--help"], {"NO_COLOR": "1"}),
    Variant("help team", ["--help"], EDITED, setup=retitled),
    Variant("help config a", ["--help"], CONFIG_A, setup=teams),
    Variant("help config b", ["--help"], CONFIG_B, setup=teams),
    Variant("help home 1", ["--help"], TILDE, setup=teams),
    Variant("help home 2", ["--help"], OTHER_HOME, setup=teams),
]


@pytest.mark.parametrize("variants", [CARDS, HELP], ids=["first screens", "help"])
def test_the_fast_path_shows_what_the_full_program_shows(
    tmp_path: Path, variants: list[Variant]
) -> None:
    cache = tmp_path / "cache"
    full = {v.name: screen(tmp_path, v, cache, fast=False) for v in variants}
    assert not [name for name, shown in full.items() if "Traceback" in shown]
    assert len(set(full.values())) == len(variants), "each variant changes the screen"
    # Every variant stored its screen; one whose key lacked an input would have been stored
    # under a neighbour's key, and one of the two would now be shown the other's screen.
    assert len(list((cache / "servicecoach" / "first-cards").glob("*.txt"))) == len(variants)
    for variant in variants:
        assert screen(tmp_path, variant, cache, fast=True) == full[variant.name], variant.name


PIPED = [
    Variant("pipe", ["--help"]),
    Variant("pipe COLUMNS", ["--help"], {"COLUMNS": "60"}),
    Variant("pipe TERMINAL_WIDTH", ["--help"], {"TERMINAL_WIDTH": "64"}),
    Variant("pipe GITHUB_ACTIONS", ["--help"], {"GITHUB_ACTIONS": "true"}),
    Variant("pipe latin-1", ["--help"], {"PYTHONIOENCODING": "latin-1"}),
    Variant("pipe team", ["--help"], EDITED, setup=retitled),
    # `coach --help | less`: standard output is a pipe, standard input and error the terminal,
    # whose width Rich uses
    Variant("pipe in a terminal", ["--help"], {"IN_A_TERMINAL": "1"}),
    Variant("pipe in a narrow terminal", ["--help"], {"IN_A_TERMINAL": "1"}, columns=70),
]


def piped(root: Path, variant: Variant, cache: Path, *, fast: bool) -> str:
    """What `coach ARGS` writes into a pipe: from the cache alone (`fast`), else from the full
    program (which stores it there)."""
    env = environment(root, variant, cache)
    if not fast:
        env["COACH_DEBUG"] = "1"
    argv = [sys.executable, *(["-c", FROM_THE_CACHE] if fast else ["-m", "servicecoach"])]
    argv += variant.args
    if "IN_A_TERMINAL" not in env:
        done = subprocess.run(
            argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=60
        )
        assert done.returncode == 0, f"{variant.name}: {done.stderr!r}"
        return done.stdout.decode("utf-8", "replace")
    output = root / "piped.txt"
    command = " ".join(f"'{word}'" for word in argv) + f" | cat > '{output}'"
    child = pexpect.spawn(
        "/bin/sh", ["-c", command], env=env, encoding="utf-8", dimensions=(50, variant.columns),
        timeout=60,
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    assert "NO SCREEN" not in child.before and "Traceback" not in child.before, variant.name
    return output.read_text(encoding="utf-8", errors="replace")


def test_help_into_a_pipe_is_shown_as_the_full_program_shows_it(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    full = {v.name: piped(tmp_path, v, cache, fast=False) for v in PIPED}
    assert all("Five languages" in shown for shown in full.values())
    assert len(set(full.values())) == len(PIPED), "each variant changes the output"
    assert "\x1b[" in full["pipe GITHUB_ACTIONS"] and "\x1b[" not in full["pipe"]
    assert len(list((cache / "servicecoach" / "first-cards").glob("*.txt"))) == len(PIPED)
    for variant in PIPED:
        assert piped(tmp_path, variant, cache, fast=True) == full[variant.name], variant.name
