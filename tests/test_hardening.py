"""What a code review found: each case here once ended in a traceback or a lost answer."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from servicecoach.engine.drafts import DraftStore
from servicecoach.engine.run import Runner
from servicecoach.engine.session import Record, Session
from servicecoach.journal.entry import split_front_matter
from servicecoach.journal.index import SCHEMA_VERSION, Filters, JournalIndex
from servicecoach.journal.reflection import render
from servicecoach.playbooks.loading import load_playbook

from .conftest import FIXTURES, coach, write_playbook
from .journal_fixture import at, write
from .scripted import START, Clock, Script


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


class FlakyDrafts(DraftStore):
    """A draft store whose second save is cut short by Ctrl-C, as a signal may do."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.saves = 0

    def save(self, state):  # type: ignore[no-untyped-def]
        self.saves += 1
        if self.saves == 2:
            raise KeyboardInterrupt
        super().save(state)


def test_an_interrupted_save_is_made_again_before_reporting(tmp_path: Path) -> None:
    playbook = load_playbook(FIXTURES / "refund.yaml")
    drafts = FlakyDrafts(tmp_path / "drafts")
    draft_id = drafts.reserve(START, "refund")
    session = Session.start(playbook, "live", "customer", START, draft_id)
    script = Script(["first", "2"])
    runner = Runner(script, journal=tmp_path / "journal", drafts=drafts, clock=Clock())
    with pytest.raises(Exception, match=r"Draft saved \(2 answered\)"):
        runner.interact(session)
    saved = json.loads(drafts.path(draft_id).read_text())["records"]
    assert saved["listen"]["answer"] == "first"
    assert saved["offer"]["answer"] == "partial refund"


def test_unusual_digits_and_undecodable_bytes_are_answers_not_crashes(coach_home: Path) -> None:
    script = Script(["²", "1", "y"])
    playbook = load_playbook(FIXTURES / "refund.yaml")
    session = Session.start(playbook, "recall", "customer", START, "d")
    from servicecoach.engine.session import drive

    with pytest.raises(EOFError):
        drive(session, script, Clock(), lambda state: None)
    assert session.answer_of("listen") == "²"  # a note takes any text
    piped = subprocess.run(
        [sys.executable, "-m", "servicecoach", "apology"],
        input=b"caf\xe9 au lait\n" + b"\n" * 7,  # Latin-1, not UTF-8
        capture_output=True,
        timeout=120,
    )
    assert piped.returncode == 0, piped.stderr
    (path,) = (coach_home / "journal").rglob("*.md")
    data, _ = split_front_matter(path.read_text())
    assert data["steps"]["regret"]["answer"] == "caf\ufffd au lait"


def test_rating_with_a_superscript_digit_is_refused_politely() -> None:
    playbook = load_playbook(FIXTURES / "refund.yaml")
    session = Session.start(playbook, "recall", "customer", START, "d")
    script = Script(["They said so"], ratings=["²", "4"])
    from servicecoach.engine.session import drive

    with pytest.raises(EOFError):
        drive(session, script, Clock(), lambda state: None)
    assert "'²' is not a rating; type a whole number from 1 to 5." in script.notices
    assert session.state.records["listen"].rating == 4


def test_answers_to_steps_a_changed_playbook_dropped_are_kept(tmp_path: Path) -> None:
    playbook = load_playbook(FIXTURES / "refund.yaml")
    session = Session.start(playbook, "live", "customer", START, "d")
    session.state.records["old-step"] = Record(status="done", answer="Words worth keeping")
    session.finish(START)
    data, body = split_front_matter(render(session))
    assert data["removed_steps"] == {
        "old-step": {"status": "done", "answer": "Words worth keeping"}
    }
    assert "Words worth keeping" in body


def test_control_characters_in_a_title_do_not_reach_help(tmp_path: Path) -> None:
    team = tmp_path / "team"
    write_playbook(
        team, "odd", 'title: "\\e[31mRED\\e[2J"\nsummary: S\nsteps: [{id: a, title: A}]\n'
    )
    result = coach("--help", env={"COACH_PLAYBOOKS": str(team), "COLUMNS": "150"})
    assert "\x1b[2J" not in result.stdout and "\x1b[31m" not in result.stdout
    assert "\\x1b[31mRED" in result.stdout


def test_a_cache_from_another_version_is_rebuilt(coach_home: Path, tmp_path: Path) -> None:
    journal = coach_home / "journal"
    write(journal, "learn", at("2026-11-20"), {"listen": "fine"})
    cache = tmp_path / "cache.sqlite3"
    JournalIndex(journal, cache).sync()
    with sqlite3.connect(cache) as db:
        db.execute("UPDATE meta SET value = 'old' WHERE key = 'schema'")
    index = JournalIndex(journal, cache)
    assert index.sync().added == 1
    with sqlite3.connect(cache) as db:
        assert db.execute("SELECT value FROM meta").fetchone()[0] == SCHEMA_VERSION
    assert index.count(Filters()) == 1


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


def test_two_sessions_in_the_same_second_get_two_drafts(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts")
    first, second = store.reserve(START, "apology"), store.reserve(START, "apology")
    assert first != second
    assert {p.stem for p in (tmp_path / "drafts").glob("*.json")} == {first, second}


def test_an_unreadable_reflection_is_skipped_and_named(
    coach_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = coach_home / "journal"
    write(journal, "learn", at("2026-11-20"), {"listen": "readable"})
    locked = write(journal, "apology", at("2026-11-21"), {"regret": "locked away"})
    real_open = Path.open

    def guarded(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self == locked:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded)
    index = JournalIndex(journal, tmp_path / "cache.sqlite3")
    report = index.sync()
    assert index.count(Filters()) == 1
    assert report.problems == [
        (str(locked.relative_to(journal)), "cannot be read (Permission denied)")
    ]


def test_a_missing_journal_is_an_empty_journal(coach_home: Path) -> None:
    for args in (["list"], ["stats"], ["search", "x"], ["check"]):
        result = coach("journal", *args)
        assert result.returncode == 0, (args, result.stderr)
    assert coach("journal", "list").stdout.strip() == "No reflections."
