"""Shell completion through Typer's own entry point: playbook ids, option values, journal
references, for bash, zsh and fish."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import coach
from ..journal_fixture import at, write


def complete(shell: str, words: str, **env: str) -> list[str]:
    if shell == "bash":
        extra = {
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
    else:
        extra = {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    result = coach(env={"_COACH_COMPLETE": f"complete_{shell}", **extra, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_playbook_ids_and_commands() -> None:
    assert complete("bash", "coach ap") == ["apology"]
    assert complete("bash", "coach p") == ["playbooks", "platinum", "pointers", "principles"]
    zsh = complete("zsh", "coach ap")
    assert any('"apology":"Five languages of apology"' in line for line in zsh)
    fish = complete("fish", "coach le")
    assert fish == ["learn\tLEARN"]


def test_option_values() -> None:
    assert complete("bash", "coach apology --audience ") == ["customer", "coworker", "supervisor"]
    assert complete("bash", "coach journal export --format m") == ["markdown"]
    assert complete("bash", "coach journal list --mode ") == ["live", "recall"]
    assert "--recall" in complete("bash", "coach apology --re")


def test_journal_references(coach_home: Path) -> None:
    saved = write(coach_home / "journal", "learn", at("2026-11-20", "09:30"), {"listen": "x"})
    assert complete("bash", "coach journal show ") == ["last", saved.stem]
    assert complete("bash", "coach journal edit 2026-11-2") == [saved.stem]
    zsh = complete("zsh", "coach journal show 2026")
    assert any(f'"{saved.stem}":"2026-11-20 09\\\\:30 learn"' in line for line in zsh)


def test_references_from_the_journal_on_the_command_line(tmp_path: Path, coach_home: Path) -> None:
    other = tmp_path / "other"
    saved = write(other, "learn", at("2026-11-21", "10:00"), {"listen": "x"})
    assert complete("bash", f"coach journal show --journal {other} ") == ["last", saved.stem]
    broken = tmp_path / "a-file"
    broken.write_text("not a folder")
    assert complete("bash", "coach journal show ", COACH_JOURNAL=str(broken)) == ["last"]


@pytest.mark.parametrize("prefix", ["", "a", "p", "j", "re", "zz"])
def test_fast_bash_completion_matches_typers(
    tmp_path: Path, prefix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from servicecoach.startup.launch import complete_first_word

    team = tmp_path / "team"
    team.mkdir()
    (team / "handover.yaml").write_text("title: H\nsummary: S\nsteps: [{id: a, title: A}]\n")
    asked = {"COACH_PLAYBOOKS": str(team), "_COACH_COMPLETE": "complete_bash",
             "COMP_WORDS": f"coach {prefix}", "COMP_CWORD": "1"}  # fmt: skip
    assert complete_first_word({**os.environ, **asked})
    fast = capsys.readouterr().out
    typer_way = coach(env=asked)
    assert typer_way.returncode == 0
    assert fast == typer_way.stdout
