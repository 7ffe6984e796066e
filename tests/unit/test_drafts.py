"""Drafts: reserved ids, locks, choosing one to resume, removal."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicecoach.engine.drafts import DraftStore
from servicecoach.engine.session import SessionState
from servicecoach.errors import CoachError, DraftNotFound

from ..scripted import START


def test_two_sessions_in_the_same_second_get_two_drafts(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts")
    first, second = store.reserve(START, "apology"), store.reserve(START, "apology")
    assert first != second
    assert {p.stem for p in (tmp_path / "drafts").glob("*.json")} == {first, second}


def draft(store: DraftStore, playbook: str) -> str:
    draft_id = store.reserve(START, playbook)
    facts = {"playbook_version": 1, "playbook_hash": "x", "mode": "live", "audience": "customer"}
    state = SessionState(draft_id=draft_id, playbook=playbook, started=START, **facts)
    store.save(state)
    return draft_id


def test_the_draft_to_resume_is_the_only_one_or_the_one_chosen(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts")
    with pytest.raises(CoachError, match=r"There are no drafts to resume\."):
        store.choose(lambda found: "never asked")
    only = draft(store, "apology")
    assert store.choose(lambda found: "never asked") == only
    other = draft(store, "learn")
    offered: list[list[str]] = []

    def ask(found: list[SessionState]) -> str:
        offered.append([state.draft_id for state in found])
        return found[-1].draft_id

    chosen = store.choose(ask)
    assert sorted(offered[0]) == sorted([only, other]) and chosen == offered[0][-1]


def test_a_named_draft_is_removed_even_when_broken_and_an_unknown_one_is_a_sentence(
    tmp_path: Path,
) -> None:
    store = DraftStore(tmp_path / "drafts")
    broken = draft(store, "apology")
    store.path(broken).write_text("{not json")
    store.remove(broken)
    assert not store.path(broken).exists()
    with pytest.raises(DraftNotFound, match="No draft called '20261126-143000-learn'"):
        store.remove("20261126-143000-learn")
    with pytest.raises(DraftNotFound, match=r"No draft called '\.\./escape'"):
        store.remove("../escape")


def test_a_draft_is_held_by_one_coach_at_a_time(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts")
    held = draft(store, "apology")
    second = DraftStore(tmp_path / "drafts")
    refused = pytest.raises(CoachError, match="is open in another coach")
    with store.lock(held), refused, second.lock(held):
        pass
    with store.lock(held):  # released: free again
        assert store.load(held).playbook == "apology"


def test_drafts_are_brought_over_from_the_data_folder_without_losing_one(tmp_path: Path) -> None:
    from servicecoach.engine.drafts import DraftStore

    former, folder = tmp_path / "data" / "drafts", tmp_path / "state" / "drafts"
    former.mkdir(parents=True)
    (former / "20261101-090000-apology.json").write_bytes(b'{"one": 1}')
    (former / "20261102-090000-learn.json").write_bytes(b'{"same": 2}')
    (former / "20261103-090000-learn.json").write_bytes(b'{"older": 3}')
    (former / ".20261101-090000-apology.lock").write_bytes(b"")
    (former / "notes.txt").write_text("not a draft: left alone")
    folder.mkdir(parents=True)
    (folder / "20261102-090000-learn.json").write_bytes(b'{"same": 2}')  # moved already
    (folder / "20261103-090000-learn.json").write_bytes(b'{"newer": 3}')  # a different one
    DraftStore(folder, former)
    assert sorted(p.name for p in folder.iterdir()) == [
        "20261101-090000-apology.json", "20261102-090000-learn.json",
        "20261103-090000-learn.json",
    ]  # fmt: skip
    assert (folder / "20261101-090000-apology.json").read_bytes() == b'{"one": 1}'
    assert (folder / "20261103-090000-learn.json").read_bytes() == b'{"newer": 3}'
    # what could not be moved without overwriting stays where it was, as does what is no draft
    assert sorted(p.name for p in former.iterdir()) == ["20261103-090000-learn.json", "notes.txt"]
