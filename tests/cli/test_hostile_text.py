"""Hostile text from every outside source, through every output path: no control character
(ESC, BEL, C1 controls such as the one-byte CSI U+009B) reaches the output raw, and Rich markup
written in a playbook is shown as written, never acted on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ..conftest import coach, write_playbook
from ..journal_fixture import at, day, write

ESCAPES = "\x1b[31mred\x1b[0m \x9b2J \x07 \x1b]8;;http://evil\x07link\x1b]8;;\x07"
MARKUP = "[link=http://evil]click[/link] [conceal]secret[/conceal] Escalations [/bold]"
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def hostile_playbook(title: str) -> str:
    quoted = json.dumps(title)  # JSON strings are YAML strings, escapes and all
    return (
        f"title: {quoted}\nsummary: {quoted}\nsource: {quoted}\nsteps:\n"
        f"  - {{id: one, title: {quoted}, say: {quoted}, do: {quoted}, tip: {quoted},"
        f" ask: {quoted}, recall: {quoted}}}\n"
    )


@pytest.fixture
def hostile(tmp_path: Path, coach_home: Path) -> dict[str, str]:
    team = tmp_path / "team"
    write_playbook(team, "escapes", hostile_playbook(ESCAPES))
    write_playbook(team, "markup", hostile_playbook(MARKUP))
    write_playbook(team, "sneaky\x1b[2J", "title: A file name with an escape\n")
    write_playbook(team, "broken", hostile_playbook(ESCAPES) + f"{ESCAPES}: {MARKUP}\n")
    journal = coach_home / "journal"
    answers = {"regret": f"refund {ESCAPES} {MARKUP}", "tags": "x", "outcome": "resolved"}
    write(journal, "apology", at(day(1)), answers)
    (journal / f"odd{ESCAPES.replace('/', '')}.md").write_text("not a reflection")
    config = tmp_path / "coach.yaml"
    config.write_text(f"journal: {json.dumps(str(journal))}\nplaybooks: [{json.dumps(ESCAPES)}]\n")
    return {"COACH_PLAYBOOKS": str(team)}


OUTPUTS = [
    [],
    ["--help"],
    ["escapes", "--help"],
    ["markup", "--help"],
    ["playbooks", "list"],
    ["playbooks", "list", "--json"],
    ["playbooks", "show", "escapes"],
    ["playbooks", "show", "markup", "--card"],
    ["playbooks", "validate"],
    ["playbooks", "diff", "escapes", "markup"],
    ["journal", "list"],
    ["journal", "list", "--json"],
    ["journal", "search", "refund"],
    ["journal", "search", "refund", "--json"],
    ["journal", "show", "last"],
    ["journal", "show", "last", "--raw"],
    ["journal", "stats"],
    ["journal", "stats", "--json"],
    ["journal", "export", "--format", "json"],
    ["journal", "export", "--format", "markdown"],
    ["journal", "check"],
    ["--config", "{config}", "config", "show"],
    ["--config", "{config}", "config", "show", "--json"],
    [ESCAPES],
    ["journal", "list", "--since", ESCAPES],
    ["escapes", "--at", ESCAPES],
    ["escapes", "--dry-run"],
    ["markup", "--dry-run"],
]


@pytest.mark.parametrize("args", OUTPUTS, ids=lambda args: " ".join(args)[:30] or "(none)")
def test_no_control_character_reaches_the_output(
    hostile: dict[str, str], tmp_path: Path, args: list[str]
) -> None:
    args = [arg.format(config=tmp_path / "coach.yaml") for arg in args]
    result = coach(*args, input="\n" * 10, env=hostile)
    assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr, result
    for stream in (result.stdout, result.stderr):
        assert not RAW.findall(stream), stream


def test_csv_into_a_pipe_is_the_data_as_it_is(hostile: dict[str, str]) -> None:
    """Into a pipe or a file an export is data for another program, kept exactly (onto a
    terminal it is made visible: tests/terminal/test_sessions.py)."""
    exported = coach("journal", "export", "--format", "csv", env=hostile).stdout
    assert ESCAPES in exported


def test_json_keeps_every_character_and_escapes_the_dangerous_ones(hostile: dict[str, str]) -> None:
    for args in (["journal", "list"], ["journal", "search", "refund"]):
        (row,) = map(json.loads, coach(*args, "--json", env=hostile).stdout.splitlines())
        assert ESCAPES in row["notes"]
    exported = coach("journal", "export", "--format", "json", env=hostile).stdout
    assert "\\u009b" in exported and "\x9b" not in exported
    assert json.loads(exported)[0]["steps"]["regret"]["answer"] == f"refund {ESCAPES} {MARKUP}"
    listed = coach("playbooks", "list", "--json", env=hostile).stdout.splitlines()
    titles = {row["id"]: row["title"] for row in map(json.loads, listed)}
    assert titles["escapes"] == ESCAPES and titles["markup"] == MARKUP


@pytest.mark.parametrize(
    "args", [["--help"], ["help"], ["markup", "--help"], ["playbooks", "show", "markup"]]
)
def test_markup_in_a_playbook_is_shown_as_written(hostile: dict[str, str], args: list[str]) -> None:
    shown = coach(*args, env={**hostile, "COLUMNS": "400"}).stdout
    assert "[link=http://evil]click[/link]" in shown
    assert "[conceal]secret[/conceal]" in shown
    assert "Escalations [/bold]" in shown


def test_a_file_name_that_cannot_be_typed_is_no_command_but_is_named(
    hostile: dict[str, str],
) -> None:
    assert "sneaky" not in coach("--help", env=hostile).stdout
    completed = coach(env={**hostile, "_COACH_COMPLETE": "complete_bash",
                           "COMP_WORDS": "coach e", "COMP_CWORD": "1"})  # fmt: skip
    assert completed.stdout.split() == ["escapes"]
    validated = coach("playbooks", "validate", env=hostile).stdout
    assert "sneaky\\x1b[2J.yaml" in validated


def test_journal_show_prints_answers_as_typed(tmp_path: Path, coach_home: Path) -> None:
    typed = (
        "[click](http://evil.example) <very angry> 2*3*4 __init__\nsecond line\n"
        "# not a heading\n\\# a backslash typed first"
    )
    write(coach_home / "journal", "learn", at(day(0)), {"listen": typed})
    shown = coach("journal", "show", "last").stdout
    for line in typed.splitlines():
        assert line in shown.splitlines(), line


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_carries_no_control_character(hostile: dict[str, str], shell: str) -> None:
    if shell == "bash":
        asked = {"COMP_WORDS": "coach ", "COMP_CWORD": "1"}
    else:
        asked = {"_TYPER_COMPLETE_ARGS": "coach ", "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    completed = coach(env={**hostile, "_COACH_COMPLETE": f"complete_{shell}", **asked})
    assert completed.returncode == 0, completed
    assert "escapes" in completed.stdout and "markup" in completed.stdout
    assert not RAW.findall(completed.stdout), completed.stdout


def test_coach_debug_still_shows_the_traceback(hostile: dict[str, str]) -> None:
    from servicecoach.errors import CoachError

    with pytest.raises(CoachError, match="No playbook called 'nope'"):
        coach("playbooks", "show", "nope", env={**hostile, "COACH_DEBUG": "1"})


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_reference_completion_carries_no_control_character_nor_markup(
    hostile: dict[str, str], coach_home: Path, shell: str
) -> None:
    journal = coach_home / "journal"
    odd = journal / "2026" / f"x{ESCAPES.replace('/', '')}.md"
    odd.parent.mkdir(parents=True, exist_ok=True)
    playbook = json.dumps(f"[/bold]{ESCAPES}")
    odd.write_text(f"---\nplaybook: {playbook}\nstarted: 2026-11-20 09:30:00\n---\n")
    write(journal, "learn", at(day(0)), {"listen": "x"}).rename(journal / "2026" / "y[b].md")
    if shell == "bash":
        asked = {"COMP_WORDS": "coach journal show ", "COMP_CWORD": "3"}
    else:
        asked = {
            "_TYPER_COMPLETE_ARGS": "coach journal show ",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        }
    completed = coach(env={**hostile, "_COACH_COMPLETE": f"complete_{shell}", **asked})
    assert completed.returncode == 0, completed
    assert "last" in completed.stdout and "y[b]" in completed.stdout
    assert not RAW.findall(completed.stdout), completed.stdout


def test_a_file_name_with_markup_has_its_own_help(hostile: dict[str, str], tmp_path: Path) -> None:
    team = Path(hostile["COACH_PLAYBOOKS"])
    (team / "x[bold].yaml").write_text((team / "markup.yaml").read_text())
    shown = coach("x[bold]", "--help", env=hostile)
    assert shown.returncode == 0, shown
    assert "coach x[bold]" in shown.stdout
