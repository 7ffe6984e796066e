"""Path settings that name no folder, and files that are not what they seem: one sentence
each, exit 1, never a traceback, never unbounded memory or time, never a replaced device."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from ..conftest import coach, write_playbook
from ..journal_fixture import at, day, write

NOBODY = "~no-such-user-for-coach"


def settings(tmp_path: Path) -> list[tuple[list[str], dict[str, str], str]]:
    """(options, environment, the sentence's start) for every kind of path setting."""
    config = tmp_path / "coach.yaml"
    return [
        ([], {"COACH_HOME": f"{NOBODY}/home"}, "coach: $COACH_HOME: "),
        ([], {"COACH_JOURNAL": f"{NOBODY}/journal"}, "coach: $COACH_JOURNAL: "),
        ([], {"COACH_PLAYBOOKS": f"{NOBODY}/team"}, "coach: $COACH_PLAYBOOKS: "),
        ([], {"COACH_CONFIG": f"{NOBODY}/coach.yaml"}, "coach: $COACH_CONFIG: "),
        (["--config", f"{NOBODY}/coach.yaml"], {}, "coach: --config: "),
        (["--config", str(config)], {}, f"coach: {config}:1:1: "),
    ]


@pytest.mark.parametrize("index", range(6))
@pytest.mark.parametrize(
    "command", [["journal", "list"], ["config", "show"], ["playbooks", "list"], ["--help"]]
)
def test_a_folder_setting_that_names_no_folder_is_one_sentence(
    tmp_path: Path, index: int, command: list[str]
) -> None:
    (tmp_path / "coach.yaml").write_text(f"journal: {NOBODY}/j\n")
    options, env, start = settings(tmp_path)[index]
    result = coach(*options, *command, env=env)
    assert result.returncode == 1, result
    assert result.stderr.startswith(start), result.stderr
    assert "no user called 'no-such-user-for-coach'" in result.stderr
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr


def test_the_journal_option_and_a_nul_in_the_config_file(tmp_path: Path) -> None:
    refused = coach("journal", "list", "--journal", f"{NOBODY}/j")
    assert refused.returncode == 1
    assert refused.stderr.startswith("coach: --journal: ")
    config = tmp_path / "coach.yaml"
    config.write_text('journal: "j\\0ournal"\nplaybooks: ["team", "t\\0eam"]\n')
    result = coach("--config", str(config), "config", "show")
    assert result.returncode == 1
    assert result.stderr.startswith(f"coach: {config}:1:1: ")
    assert "contains a NUL character" in result.stderr


def test_an_answers_file_that_never_ends_is_refused_at_once(tmp_path: Path) -> None:
    result = coach("learn", "--answers", "/dev/zero")
    assert result.returncode == 1
    assert "larger than 1024 KiB" in result.stderr


def test_a_playbook_of_gigabytes_in_a_team_folder_is_not_read(tmp_path: Path) -> None:
    team = tmp_path / "team"
    write_playbook(team, "handover", "title: Handover\nsummary: S\nsteps: [{id: a, title: A}]\n")
    with open(team / "huge.yaml", "wb") as handle:
        handle.truncate(3 * 2**30)  # sparse: three gigabytes that take no disk
    env = {"COACH_PLAYBOOKS": str(team)}
    validated = coach("playbooks", "validate", str(team), env=env)
    assert validated.returncode == 1
    assert f"{team / 'huge.yaml'}:1:1: the file is larger than 1024 KiB" in validated.stdout
    shown = coach("--help", env=env)
    assert shown.returncode == 0 and "Handover" in shown.stdout
    ran = coach("handover", "--dry-run", input="\n" * 5, env=env)
    assert ran.returncode == 0, ran.stderr


def test_a_playbook_that_is_a_pipe_is_refused_not_waited_for(tmp_path: Path) -> None:
    fifo = tmp_path / "waiting.yaml"
    os.mkfifo(fifo)
    result = coach("playbooks", "validate", str(fifo))
    assert result.returncode == 1
    assert f"{fifo}:1:1: not a regular file" in result.stdout


def test_a_reflection_that_is_a_link_to_a_device_is_never_read(coach_home: Path) -> None:
    journal = coach_home / "journal"
    write(journal, "learn", at(day(0)), {"listen": "real"})
    (journal / "zero.md").symlink_to("/dev/zero")
    assert coach("journal", "list", "--json").stdout.count("\n") == 1
    shown = coach("journal", "show", "zero")
    assert shown.returncode == 1 and shown.stderr.startswith("coach: No reflection 'zero'")


def test_a_hand_edited_draft_without_a_time_zone_does_not_break_the_others(
    coach_home: Path,
) -> None:
    drafts = coach_home / "drafts"
    stopped = coach("learn", input="first\n")
    assert stopped.returncode == 130
    (kept,) = drafts.glob("*.json")
    state = json.loads(kept.read_text())
    state["draft_id"], state["started"] = "x", "2026-11-20T09:30:00"  # no zone
    (drafts / "20261120-093000-learn.json").write_text(json.dumps(state))
    listed = coach("resume", "--list", env={"COLUMNS": "150"})
    assert listed.returncode == 0, listed.stderr
    assert "20261120-093000-learn" in listed.stdout and kept.stem in listed.stdout


def test_export_to_a_device_a_pipe_or_a_link_writes_to_it_and_replaces_nothing(
    tmp_path: Path, coach_home: Path
) -> None:
    write(coach_home / "journal", "learn", at(day(0)), {"listen": "exported words"})
    assert coach("journal", "export", "-o", "/dev/null").returncode == 0
    assert Path("/dev/null").is_char_device()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert coach("journal", "export", "-o", str(fifo)).returncode == 0
    reader.join(timeout=30)
    assert b"exported words" in received[0]
    assert fifo.is_fifo()
    target, link = tmp_path / "export.csv", tmp_path / "link.csv"
    target.write_text("old")
    link.symlink_to(target)
    assert coach("journal", "export", "-o", str(link)).returncode == 0
    assert link.is_symlink() and "exported words" in target.read_text()
    folder = coach("journal", "export", "-o", str(tmp_path))
    assert folder.returncode == 1
    assert folder.stderr.strip() == f"coach: Cannot write {tmp_path}: it is a folder."
    dangling, loop = tmp_path / "dangling.csv", tmp_path / "loop.csv"
    dangling.symlink_to(tmp_path / "missing" / "export.csv")
    loop.symlink_to(loop)
    for link, why in ((dangling, "it is a link to nothing"), (loop, "a loop of links")):
        refused = coach("journal", "export", "-o", str(link))
        assert refused.stderr.strip() == f"coach: Cannot write {link}: {why}."
    assert not (tmp_path / "missing").exists()


def test_validate_goes_on_when_a_folder_vanishes_under_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = tmp_path / "team"
    write_playbook(team, "kept", "title: Kept\nsummary: S\nsteps: [{id: a, title: A}]\n")
    write_playbook(team / "gone", "lost", "title: Lost\nsummary: S\nsteps: [{id: a, title: A}]\n")
    real = os.scandir

    def vanishing(path):  # type: ignore[no-untyped-def]
        if str(path).endswith("gone"):
            raise FileNotFoundError(2, "No such file or directory", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", vanishing)
    result = coach("playbooks", "validate", str(team))
    assert result.returncode == 0, result
    assert result.stdout.strip() == "1 playbook valid."


def test_a_team_folder_that_is_not_there_is_said(tmp_path: Path, coach_home: Path) -> None:
    missing = tmp_path / "team-playbokos"
    env = {"COACH_PLAYBOOKS": str(missing)}
    warning = f"warning: the team playbook folder {missing} ($COACH_PLAYBOOKS) does not exist"
    assert warning in coach("playbooks", "list", env=env).stderr
    assert warning in coach("playbooks", "validate", env=env).stderr
    assert f"{missing} (missing)" in coach("config", "show", env={**env, "COLUMNS": "200"}).stdout
    unknown = coach("handover", env=env)
    assert unknown.returncode == 1
    assert f"(The team playbook folder {missing} does not exist.)" in unknown.stderr
    assert "warning" not in coach("playbooks", "list").stderr  # nothing named, nothing said
