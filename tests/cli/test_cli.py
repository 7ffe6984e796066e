"""The command line as a user meets it: help, version, validate, show, unknown ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from servicecoach import __version__

from ..conftest import FIXTURES, REPO, coach, write_playbook


def test_version() -> None:
    result = coach("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"coach (servicecoach) {__version__}"


def test_help_lists_every_playbook_with_its_title() -> None:
    result = coach("--help")
    assert result.returncode == 0
    for playbook_id, title in (
        ("apology", "Five languages of apology"),
        ("learn", "LEARN"),
        ("daily", "Daily reflection"),
    ):
        assert re.search(rf"{playbook_id}\s+{re.escape(title)}", result.stdout), result.stdout
    for command in ("playbooks", "resume"):
        assert command in result.stdout


def test_every_command_has_help_with_an_example() -> None:
    for args in (
        ["playbooks", "list"],
        ["playbooks", "show"],
        ["playbooks", "validate"],
        ["playbooks", "new"],
        ["playbooks", "diff"],
        ["playbooks", "schema"],
        ["journal", "list"],
        ["journal", "show"],
        ["journal", "edit"],
        ["journal", "search"],
        ["journal", "stats"],
        ["journal", "export"],
        ["journal", "check"],
        ["config", "show"],
        ["resume"],
        ["help"],
        ["apology"],
        ["daily"],
    ):
        result = coach(*args, "--help")
        assert result.returncode == 0, args
        assert "Example" in result.stdout, args
        for noise in ("<bool>", "<str>", "<list[", "<int", "[[", "{WORDS...}", "]...]"):
            assert noise not in result.stdout, (args, noise)  # Typer's labels, not people's


def test_a_number_that_is_not_one_is_said_in_words() -> None:
    for value, said in (("abc", "'abc' is not a whole number."), ("-3", "-3 is less than 0.")):
        result = coach("journal", "list", "-n", value)
        assert result.returncode == 2
        assert said in result.stderr and "Input should" not in result.stderr


def test_mistyped_playbook_gets_the_closest_ids() -> None:
    result = coach("apolgy")
    assert result.returncode == 1  # as `playbooks show apolgy`, and as the README says
    assert coach("playbooks", "show", "apolgy").returncode == 1
    assert "Did you mean 'apology'?" in result.stderr
    assert "No command or playbook called 'apolgy'" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_the_builtins() -> None:
    result = coach("playbooks", "validate")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "All 11 playbooks valid."


def test_validate_a_folder_of_broken_playbooks_prints_every_problem() -> None:
    folder = FIXTURES / "broken"
    result = coach("playbooks", "validate", str(folder))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    count = len(list(folder.glob("*.yaml")))
    assert lines[-1] == f"{count} of {count} playbooks have problems."
    for path in folder.glob("*.yaml"):
        header = path.read_bytes().splitlines()[0].decode()
        line_col = header.split()[2]
        assert any(line.startswith(f"{path}:{line_col}: ") for line in lines), path.name
    assert "Traceback" not in result.stderr


def test_validate_mixed_files_summarises(tmp_path: Path) -> None:
    good = write_playbook(tmp_path, "good", "title: G\nsummary: S\nsteps: [{id: a, title: A}]\n")
    result = coach(
        "playbooks", "validate", str(good), str(FIXTURES / "broken" / "unknown-key.yaml")
    )
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1] == "1 of 2 playbooks has problems."
    assert "did you mean 'tip'?" in result.stdout


def test_validate_a_missing_path_is_one_clear_sentence(tmp_path: Path) -> None:
    result = coach("playbooks", "validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert result.stderr.strip() == f"coach: No such file or folder: {tmp_path / 'nope.yaml'}"


def test_show_prints_every_step_with_audience_wording() -> None:
    result = coach("playbooks", "show", "apology")
    assert result.returncode == 0
    for title in ("Express regret", "Accept responsibility", "Request forgiveness"):
        assert title in result.stdout
    assert "I was wrong." in result.stdout
    assert "Chapman" in result.stdout
    assert re.search(r"Id: +regret \(in an --answers file\)", result.stdout)  # as a file names it
    learn = coach("playbooks", "show", "learn", env={"COLUMNS": "150"}).stdout
    assert "id: worked]" in learn  # a wrap-up question's id too


def test_show_unknown_id_is_one_clear_sentence() -> None:
    result = coach("playbooks", "show", "learm")
    assert result.returncode == 1
    assert result.stderr.startswith("coach: No playbook called 'learm'; did you mean 'learn'")


def test_invalid_playbook_run_is_one_line_per_problem_and_no_traceback(tmp_path: Path) -> None:
    team = tmp_path / "team"
    broken = write_playbook(team, "oops", "title: Oops\nsumary: x\nsteps: []\n")
    result = coach("oops", env={"COACH_PLAYBOOKS": str(team)})
    assert result.returncode == 1
    assert f"{broken}:2:1: sumary: unknown key 'sumary' (did you mean 'summary'?)" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_copy_under_another_name_leaves_the_builtins_help_alone(coach_home: Path) -> None:
    mine = coach_home / "playbooks"  # the user's own folder, under COACH_HOME
    mine.mkdir(parents=True)
    (mine / "Apology.yaml").write_text((REPO / "playbooks" / "apology.yaml").read_text())
    for _ in range(2):  # the second time, titles come from the cache
        shown = coach("--help").stdout
        assert re.search(r"apology\s+Five languages of apology", shown), shown
        assert re.search(r"Apology\s+\(this playbook has problems", shown), shown
    (mine / "Apology.yaml").unlink()
    shown = coach("--help").stdout
    assert re.search(r"apology\s+Five languages of apology", shown), shown
    assert "has problems" not in shown


def test_the_config_option_finds_its_team_playbooks(tmp_path: Path) -> None:
    write_playbook(tmp_path / "team", "handover", "title: Hand over\nsummary: S\nsteps:\n"
                   "  - {id: one, title: Brief them}\n")  # fmt: skip
    (tmp_path / "coach.yaml").write_text("playbooks: [team]\n")
    config = str(tmp_path / "coach.yaml")
    listed = coach("--config", config, "--help")
    assert re.search(r"handover\s+Hand over", listed.stdout), listed.stdout
    ran = coach(
        "--config", config, "handover", "--dry-run", input="They need the keys\n" + "\n" * 3
    )
    assert ran.returncode == 0, ran.stderr
    assert "They need the keys" in ran.stdout


def test_coach_alone_is_a_short_screen_that_fits() -> None:
    from servicecoach.cli import WELCOME

    result = coach()
    assert result.returncode == 0
    assert result.stdout == WELCOME + "\n"
    lines = result.stdout.splitlines()
    assert len(lines) <= 12 and max(len(line) for line in lines) <= 60
    assert "coach apology" in result.stdout and "coach help" in result.stdout


@pytest.mark.parametrize(
    "words", [[], ["journal"], ["journal", "list"], ["apology"], ["playbooks", "validate"]]
)
def test_help_is_the_help_of_what_it_names(words: list[str]) -> None:
    asked = coach("help", *words)
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout == coach(*words, "--help").stdout


def test_help_of_nothing_known_is_one_sentence() -> None:
    result = coach("help", "apolgy")
    assert result.returncode == 1
    assert "No command or playbook called 'apolgy'. Did you mean 'apology'?" in result.stderr


def test_a_playbooks_help_and_header_say_only_what_it_has(tmp_path: Path, coach_home: Path) -> None:
    daily = coach("daily", "--help").stdout
    assert "Recall only" in daily and "Live (default)" not in daily
    assert "--recall" in coach("apology", "--help").stdout.split("Options")[0]
    write_playbook(
        tmp_path / "team", "handover",
        "title: Hand over\nsummary: S\naudiences: [coworker]\nsteps: [{id: a, title: A}]\n",
    )  # fmt: skip
    env = {"COACH_PLAYBOOKS": str(tmp_path / "team")}
    ran = coach("handover", "--audience", "coworker", input="x\n", env=env)
    assert "Hand over (live)" in ran.stdout  # one audience: nothing to say about it
    assert "coach handover --audience coworker" in coach("handover", "--help", env=env).stdout
    assert "Five languages of apology (live · customer)" in coach("apology", input="").stdout
    # the daily is for the whole day, whoever was served: its header names no audience
    assert "Daily reflection (recall)\n" in coach("daily", input="").stdout
