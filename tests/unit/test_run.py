"""A run's Runner with scripted answers: drafts after every answer, interrupts, saving."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from servicecoach.engine.drafts import DraftStore
from servicecoach.engine.run import Runner
from servicecoach.engine.session import Session
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
