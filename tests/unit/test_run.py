"""A run's Runner with scripted answers: drafts after every answer, interrupts, saving."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from servicecoach.engine.drafts import DraftStore
from servicecoach.engine.run import Runner
from servicecoach.engine.session import Session
from servicecoach.errors import Interrupted
from servicecoach.playbooks.loading import load_playbook

from ..conftest import FIXTURES
from ..scripted import START, Clock, Script


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


class StoppedWhileTyping(Script):
    """A person who answers `lines`, then is typing `left` when Ctrl-C (or a hang-up) comes."""

    def __init__(self, lines: list[str], left: str) -> None:
        super().__init__(lines)
        self.left_typed = left
        self.offered: list[str | None] = []

    def ask(self, prompt):  # type: ignore[no-untyped-def]
        self.offered.append(prompt.unfinished)
        if not self.lines:
            raise KeyboardInterrupt
        return super().ask(prompt)


def test_the_line_being_typed_when_it_stopped_is_kept_and_offered_back(tmp_path: Path) -> None:
    playbook = load_playbook(FIXTURES / "refund.yaml")
    drafts = DraftStore(tmp_path / "drafts")
    draft_id = drafts.reserve(START, "refund")
    session = Session.start(playbook, "live", "customer", START, draft_id)
    person = StoppedWhileTyping(["They were charged twice"], "half of what they wanted was")
    runner = Runner(person, journal=tmp_path / "journal", drafts=drafts, clock=Clock())
    with pytest.raises(Interrupted, match=r"1 answered, plus the half-typed line"):
        runner.interact(session)
    kept = drafts.load(draft_id)
    assert kept.unfinished == {"offer": "half of what they wanted was"}
    assert "offer" not in kept.records

    resumed = Session(playbook, kept)
    resumed.realign()
    again = StoppedWhileTyping(["/s", "n"], "")
    with pytest.raises(Interrupted):
        Runner(again, journal=tmp_path / "journal", drafts=drafts, clock=Clock()).interact(resumed)
    assert again.offered[0] == "half of what they wanted was"  # offered at that step
    assert again.offered[1] is None
    assert drafts.load(draft_id).unfinished == {}  # skipped there: nothing left to offer


def test_a_line_typed_before_any_answer_is_kept_too(tmp_path: Path) -> None:
    playbook = load_playbook(FIXTURES / "refund.yaml")
    drafts = DraftStore(tmp_path / "drafts")
    draft_id = drafts.reserve(START, "refund")
    session = Session.start(playbook, "live", "customer", START, draft_id)
    person = StoppedWhileTyping([], "they called about")
    with pytest.raises(Interrupted, match=r"Draft saved \(0 answered, plus the half-typed line"):
        Runner(person, journal=tmp_path / "journal", drafts=drafts, clock=Clock()).interact(session)
    assert drafts.load(draft_id).unfinished == {"listen": "they called about"}


class DraftsThatStay(DraftStore):
    """A drafts folder that turned read-only: a draft can be saved, never removed."""

    def discard(self, draft_id: str) -> None:
        from servicecoach.errors import JournalError

        raise JournalError(f"Cannot remove the draft {draft_id}: permission denied.")


def test_a_draft_that_cannot_be_removed_after_saving_is_never_saved_twice(
    tmp_path: Path,
) -> None:
    from servicecoach.config import Paths
    from servicecoach.engine.run import resume
    from servicecoach.errors import CoachError
    from servicecoach.playbooks.catalog import Catalog

    playbook = load_playbook(FIXTURES / "refund.yaml")
    drafts = DraftsThatStay(tmp_path / "drafts")
    draft_id = drafts.reserve(START, "refund")
    session = Session.start(playbook, "live", "customer", START, draft_id)
    person = Script(["heard", "1", "n", "", "3", "1", "4", ""])
    runner = Runner(person, journal=tmp_path / "journal", drafts=drafts, clock=Clock())
    runner.interact(session)
    runner.conclude(session)  # saved, with a warning, not an error
    (saved,) = (tmp_path / "journal").rglob("*.md")
    assert person.said == [f"Saved: {saved}", f"Read it again: coach journal show {saved.stem}"]
    assert "It will not be saved a second time" in person.notices[-1]
    assert drafts.path(draft_id).exists()

    paths = Paths(
        journal=tmp_path / "journal", drafts=tmp_path / "drafts", cache=tmp_path / "cache",
        user_playbooks=tmp_path / "mine", team_playbooks=(), config_file=tmp_path / "none",
    )  # fmt: skip
    catalog = Catalog([("team", FIXTURES)])
    with pytest.raises(CoachError, match=f"was saved already, as {saved}"):
        resume(catalog, paths, draft_id, None, lambda title, first: Script([]))
    assert list((tmp_path / "journal").rglob("*.md")) == [saved]


class HungUpInTheEditor(Script):
    def edit(self, text: str) -> str:
        raise KeyboardInterrupt  # SIGHUP or SIGTERM while the editor is open


def test_text_typed_before_the_editor_is_kept_when_the_session_stops_there(
    tmp_path: Path,
) -> None:
    playbook = load_playbook(FIXTURES / "refund.yaml")
    drafts = DraftStore(tmp_path / "drafts")
    draft_id = drafts.reserve(START, "refund")
    session = Session.start(playbook, "live", "customer", START, draft_id)
    person = HungUpInTheEditor(["They were charged twice and /e"])
    with pytest.raises(Interrupted, match="plus the half-typed line"):
        Runner(person, journal=tmp_path / "journal", drafts=drafts, clock=Clock()).interact(session)
    assert drafts.load(draft_id).unfinished == {"listen": "They were charged twice and"}
