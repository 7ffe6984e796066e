"""The first cue at once: launch.py's fast paths show exactly what the full program shows, never
a stale screen, and import nothing heavy (a guard against a slower start-up creeping in)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect

from ..conftest import REPO

HEAVY = {"typer", "click", "pydantic", "pydantic_core", "rich", "yaml", "sqlite3"}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "CI")}
    return {**env, "COACH_HOME": str(home), "TERM": "xterm-256color", **extra}


def first_screen(env: dict[str, str], *args: str) -> str:
    """Run `coach ARGS` in a pty until its first prompt; return the screen; Ctrl-C."""
    child = pexpect.spawn(
        sys.executable, ["-m", "servicecoach", *args], env=env, encoding="utf-8",
        dimensions=(40, 100), timeout=30,
    )  # fmt: skip
    child.expect("› ")
    screen = child.before
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    return ANSI.sub("", screen).replace("\r", "")


def test_launching_imports_nothing_heavy() -> None:
    code = "import sys, servicecoach.startup.launch; print(' '.join(sorted(sys.modules)))"
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout.split())  # fmt: skip
    assert {name.split(".")[0] for name in loaded} & HEAVY == set()


def test_showing_the_first_cue_imports_nothing_heavy(tmp_path: Path) -> None:
    env = env_for(tmp_path / "home")
    first_screen(env, "apology")  # the full program stores the first screen
    probe = (
        "import os, sys, json; from servicecoach.startup import launch; "
        "shown = launch.show_first_card(sys.argv[1:], dict(os.environ)); "
        "top = {m.split('.')[0] for m in sys.modules}; "
        "heavy = sorted(top & set(json.loads(os.environ['HEAVY']))); "
        "print('PROBE', shown is not None, json.dumps(heavy))"
    )  # fmt: skip
    child = pexpect.spawn(
        sys.executable, ["-c", probe, "apology"], env={**env, "HEAVY": json.dumps(sorted(HEAVY))},
        encoding="utf-8", dimensions=(40, 100), timeout=30,
    )  # fmt: skip
    child.expect(r"PROBE (\w+) (\[.*\])")
    shown, heavy = child.match.group(1), json.loads(child.match.group(2))
    child.expect(pexpect.EOF)
    assert shown == "True"
    assert heavy == []


def test_the_fast_screen_is_the_full_programs_and_appears_once(tmp_path: Path) -> None:
    env = env_for(tmp_path / "home")
    assert not (tmp_path / "home" / "cache" / "first-cards").exists()
    slow = first_screen(env, "apology", "--audience", "supervisor")
    cards = list((tmp_path / "home" / "cache" / "first-cards").glob("*.txt"))
    assert len(cards) == 1
    fast = first_screen(env, "apology", "--audience", "supervisor")
    assert fast == slow
    assert fast.count("1/5 Express regret") == 1


def test_a_backdated_run_leaves_no_screen_for_the_fast_path(tmp_path: Path) -> None:
    env = env_for(tmp_path / "home")
    backdated = first_screen(env, "apology", "--recall", "--at", "2 hours ago")
    assert "recall · customer · at " in backdated  # its header names the time it records
    assert not list((tmp_path / "home" / "cache").glob("first-cards/*.txt"))
    plain = first_screen(env, "apology", "--recall")
    assert "recall · customer" in plain and " · at " not in plain


def test_a_changed_playbook_is_never_shown_from_the_cache(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    source = REPO / "playbooks" / "apology.yaml"
    (team / "apology.yaml").write_text(source.read_text())
    env = env_for(tmp_path / "home", COACH_PLAYBOOKS=str(team))
    assert "Express regret" in first_screen(env, "apology")
    (team / "apology.yaml").write_text(
        source.read_text().replace("title: Express regret", "title: Say sorry first")
    )
    screen = first_screen(env, "apology")
    assert "Say sorry first" in screen
    assert "Express regret" not in screen


def test_a_team_folder_from_the_config_file_is_found_by_the_fast_path(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    (team / "handover.yaml").write_text(
        "title: Handover\nsummary: S\nsteps:\n  - {id: one, title: Brief them}\n"
    )
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.yaml").write_text(f"playbooks: [{team}]\n")
    env = env_for(home)
    slow = first_screen(env, "handover")
    records = json.loads((home / "cache" / "config-folders.json").read_text())
    assert records[str((home / "config.yaml").resolve())]["written"] == [str(team)]
    assert first_screen(env, "handover") == slow
    (home / "config.yaml").write_text("playbooks: []\n")  # the team folder is gone: no card
    child = subprocess.run(
        [sys.executable, "-m", "servicecoach", "handover"], env=env, input="", text=True,
        capture_output=True, timeout=60,
    )  # fmt: skip
    assert "No command or playbook called 'handover'" in child.stderr


def _help_in_a_terminal(env: dict[str, str]) -> tuple[str, int]:
    child = pexpect.spawn(
        sys.executable, ["-m", "servicecoach", "--help"], env=env, encoding="utf-8",
        dimensions=(60, 100), timeout=30,
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    return child.before, child.exitstatus


def test_help_from_the_cache_is_the_full_programs(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    env = env_for(tmp_path / "home", COACH_PLAYBOOKS=str(team))
    slow, status = _help_in_a_terminal(env)
    assert status == 0 and "Five languages of apology" in slow
    assert len(list((tmp_path / "home" / "cache" / "first-cards").glob("*.txt"))) == 1
    fast, status = _help_in_a_terminal(env)
    assert (fast, status) == (slow, 0)
    (team / "handover.yaml").write_text(
        "title: Hand over\nsummary: S\nsteps: [{id: a, title: A}]\n"
    )
    changed, _ = _help_in_a_terminal(env)  # a new playbook: another key, the full program
    assert "Hand over" in changed


def test_a_run_into_a_pipe_does_not_fill_the_terminal_cache(tmp_path: Path) -> None:
    env = env_for(tmp_path / "home")
    child = pexpect.spawn(
        "/bin/sh", ["-c", f"{sys.executable} -m servicecoach apology | cat"], env=env,
        encoding="utf-8", dimensions=(40, 100), timeout=30,
    )  # fmt: skip
    child.expect("› ")
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    assert not list((tmp_path / "home").rglob("first-cards/*.txt"))


def test_the_same_config_text_in_two_folders_finds_each_ones_playbooks(tmp_path: Path) -> None:
    for team in ("a", "b"):
        folder = tmp_path / team / "playbooks"
        folder.mkdir(parents=True)
        (folder / "sorry.yaml").write_text(
            f"title: Team {team.upper()} apology\nsummary: S\nsteps: [{{id: one, title: One}}]\n"
        )
        (tmp_path / team / "coach.yaml").write_text("playbooks: [playbooks]\n")
    home = tmp_path / "home"
    first = first_screen(env_for(home, COACH_CONFIG=str(tmp_path / "a" / "coach.yaml")), "sorry")
    assert "Team A apology" in first
    second = first_screen(env_for(home, COACH_CONFIG=str(tmp_path / "b" / "coach.yaml")), "sorry")
    assert "Team B apology" in second and "Team A apology" not in second


def test_a_copy_under_another_name_is_not_shown_from_the_cache(tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    source = REPO / "playbooks" / "apology.yaml"
    (team / "apology.yaml").write_text("id: apology\n" + source.read_text())
    env = env_for(tmp_path / "home", COACH_PLAYBOOKS=str(team))
    assert "Express regret" in first_screen(env, "apology")
    (team / "sorry.yaml").write_text((team / "apology.yaml").read_text())
    result = subprocess.run(
        [sys.executable, "-m", "servicecoach", "sorry"], env=env, capture_output=True,
        text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert "Express regret" not in result.stdout
    assert "does not match the file name 'sorry.yaml'" in result.stderr


def test_typer_settings_are_part_of_the_help_key(tmp_path: Path) -> None:
    env = env_for(tmp_path / "home")
    narrow, _ = _help_in_a_terminal({**env, "TERMINAL_WIDTH": "60"})
    wide, _ = _help_in_a_terminal(env)
    assert max(len(line) for line in ANSI.sub("", wide).splitlines()) > 70
    assert narrow != wide


def test_the_version_is_the_full_programs_and_needs_nothing_heavy(tmp_path: Path) -> None:
    env = env_for(tmp_path / "home")
    fast = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "servicecoach", "--version"], env=env,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    full = subprocess.run(
        [sys.executable, "-m", "servicecoach", "--version"], env={**env, "COACH_DEBUG": "1"},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert (fast.returncode, fast.stdout) == (full.returncode, full.stdout) == (0, full.stdout)
    assert full.stdout.startswith("coach (servicecoach) ")
    imported = {line.split("|")[-1].strip().split(".")[0] for line in fast.stderr.splitlines()}
    assert imported & HEAVY == set()
