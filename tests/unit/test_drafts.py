"""Drafts: reserved ids, locks, listing, removal."""

from __future__ import annotations

from pathlib import Path

from servicecoach.engine.drafts import DraftStore

from ..scripted import START


def test_two_sessions_in_the_same_second_get_two_drafts(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts")
    first, second = store.reserve(START, "apology"), store.reserve(START, "apology")
    assert first != second
    assert {p.stem for p in (tmp_path / "drafts").glob("*.json")} == {first, second}
