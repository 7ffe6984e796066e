"""What a code review found: each case here once ended in a traceback or a lost answer."""

from __future__ import annotations

import json
import os
from pathlib import Path

from servicecoach.engine.drafts import DraftStore

from ..conftest import coach, write_playbook
from ..journal_fixture import at, write


def test_a_file_with_an_unhashable_key_is_skipped_not_fatal(coach_home: Path) -> None:
    journal = coach_home / "journal"
    write(journal, "learn", at("2026-11-20"), {"listen": "fine"})
    (journal / "odd.md").write_text(
        "---\nplaybook: learn\nstarted: 2026-11-20\n? [a, b]\n: 1\n---\n"
    )
    listed = coach("journal", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 1
    assert "1 file skipped" in listed.stderr
    check = coach("journal", "check")
    assert "odd.md: the front matter is not valid YAML" in check.stdout


def test_control_characters_in_a_title_do_not_reach_help(tmp_path: Path) -> None:
    team = tmp_path / "team"
    write_playbook(
        team, "odd", 'title: "\\e[31mRED\\e[2J"\nsummary: S\nsteps: [{id: a, title: A}]\n'
    )
    result = coach("--help", env={"COACH_PLAYBOOKS": str(team), "COLUMNS": "150"})
    assert "\x1b[2J" not in result.stdout and "\x1b[31m" not in result.stdout
    assert "\\x1b[31mRED" in result.stdout


def test_filtered_list_numbers_are_the_ones_show_understands(coach_home: Path) -> None:
    journal = coach_home / "journal"
    write(journal, "learn", at("2026-11-20", "09:00"), {"listen": "older learn"})
    write(journal, "apology", at("2026-11-21", "09:00"), {"regret": "the apology"})
    write(journal, "learn", at("2026-11-22", "09:00"), {"listen": "newest learn"})
    table = coach("journal", "list", "--playbook", "apology", env={"COLUMNS": "150"})
    row = next(line for line in table.stdout.splitlines() if "apology" in line)
    number = row.split()[0]
    assert number == "2"
    shown = coach("journal", "show", number, "--raw")
    assert "the apology" in shown.stdout


def test_show_with_a_pattern_or_absolute_name_is_a_sentence(coach_home: Path) -> None:
    write(coach_home / "journal", "learn", at("2026-11-20"), {"listen": "x"})
    for ref in ("/nope/x", "*", "../x"):
        result = coach("journal", "show", ref)
        assert result.returncode == 1, ref
        assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
        assert result.stderr.startswith("coach: No reflection")


def test_dry_run_quit_prints_what_there_is_and_exits_0(coach_home: Path) -> None:
    result = coach("apology", "--dry-run", input="first answer\n/q\n")
    assert result.returncode == 0, result.stderr
    assert "first answer" in result.stdout
    assert "Dry run: nothing was saved" in result.stdout
    assert not list(coach_home.rglob("*.md"))
    assert not list((coach_home / "drafts").glob("*.json"))  # no draft (caches may exist)


def test_a_draft_open_in_another_coach_is_not_resumed_twice(coach_home: Path) -> None:
    interrupted = coach("learn", input="first\n")
    draft_id = interrupted.stderr.split("coach resume ")[1].strip()
    store = DraftStore(coach_home / "drafts")
    with store.lock(draft_id):
        result = coach("resume", draft_id, input="\n" * 20)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"coach: The draft {draft_id} is open in another coach; finish or quit that one."
    )
    assert store.path(draft_id).exists()


def test_a_draft_saves_under_its_own_file_name(coach_home: Path) -> None:
    interrupted = coach("learn", input="first\n")
    draft_id = interrupted.stderr.split("coach resume ")[1].strip()
    path = coach_home / "drafts" / f"{draft_id}.json"
    state = json.loads(path.read_text())
    state["draft_id"] = "../../escaped"
    path.write_text(json.dumps(state))
    result = coach("resume", draft_id, input="second\n")
    assert result.returncode == 130
    assert json.loads(path.read_text())["records"]["empathize"]["answer"] == "second"
    assert not list(coach_home.parent.glob("escaped*"))


def test_resume_saves_to_the_journal_the_run_started_with(coach_home: Path, tmp_path: Path) -> None:
    journal = tmp_path / "elsewhere"
    interrupted = coach("learn", "--journal", str(journal), input="first\n")
    draft_id = interrupted.stderr.split("coach resume ")[1].strip()
    finished = coach("resume", draft_id, input="\n" * 20)
    assert finished.returncode == 0, finished.stderr
    assert len(list(journal.rglob("*.md"))) == 1
    assert not (coach_home / "journal").exists()


def test_a_broken_draft_can_be_listed_and_discarded(coach_home: Path) -> None:
    drafts = coach_home / "drafts"
    drafts.mkdir(parents=True)
    (drafts / "20261126-101010-learn.json").write_text("{not json")
    listed = coach("resume", "--list")
    assert "20261126-101010-learn.json: cannot be read" in listed.stderr
    gone = coach("resume", "20261126-101010-learn", "--discard")
    assert gone.returncode == 0, gone.stderr
    assert not (drafts / "20261126-101010-learn.json").exists()


def test_journal_folders_are_private_all_the_way_down(coach_home: Path) -> None:
    coach("apology", input="\n" * 8)
    for folder in (coach_home / "journal", *(coach_home / "journal").rglob("*")):
        if folder.is_dir():
            assert oct(folder.stat().st_mode & 0o777) == "0o700", folder
    assert os.stat(coach_home / "drafts").st_mode & 0o777 == 0o700


def test_a_missing_journal_is_an_empty_journal(coach_home: Path) -> None:
    for args in (["list"], ["stats"], ["search", "x"], ["check"]):
        result = coach("journal", *args)
        assert result.returncode == 0, (args, result.stderr)
    assert coach("journal", "list").stdout.strip() == "No reflections."
