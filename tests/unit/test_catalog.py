"""Where playbooks come from, which one wins, and how they are found by id."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from servicecoach.config import resolve_paths
from servicecoach.errors import PlaybookNotFound
from servicecoach.playbooks.catalog import Catalog, builtin_folder

from ..conftest import REPO, write_playbook

SIMPLE = "title: {title}\nsummary: S\nsteps:\n  - {{id: one, title: One}}\n"


def test_builtins_come_from_the_repository_folder_in_a_checkout() -> None:
    assert builtin_folder() == REPO / "playbooks"


def test_user_then_team_then_builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    team_a, team_b = tmp_path / "team-a", tmp_path / "team-b"
    write_playbook(team_a, "apology", SIMPLE.format(title="Team A apology"))
    write_playbook(team_b, "apology", SIMPLE.format(title="Team B apology"))
    write_playbook(team_b, "handover", SIMPLE.format(title="Handover"))
    monkeypatch.setenv("COACH_PLAYBOOKS", os.pathsep.join([str(team_a), str(team_b)]))
    paths = resolve_paths()
    catalog = Catalog.from_paths(paths)
    assert catalog.load("apology").title == "Team A apology"
    assert catalog.find("apology").origin == "team"
    assert catalog.find("apology").hides == (
        team_b / "apology.yaml",
        REPO / "playbooks" / "apology.yaml",
    )
    assert catalog.find("handover").origin == "team"
    assert catalog.find("learn").origin == "built-in"

    write_playbook(paths.user_playbooks, "apology", SIMPLE.format(title="My apology"))
    catalog = Catalog.from_paths(paths)
    assert catalog.load("apology").title == "My apology"
    assert catalog.find("apology").origin == "user"


def test_unknown_id_suggests_the_closest() -> None:
    catalog = Catalog.from_paths(resolve_paths())
    with pytest.raises(PlaybookNotFound, match="did you mean 'apology'"):
        catalog.find("apolgy")
