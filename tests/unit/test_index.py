"""The journal's SQLite cache: what a sync finds, worker processes, old versions, unreadable
files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from servicecoach.journal.index import SCHEMA_VERSION, Filters, JournalIndex

from ..journal_fixture import at, seven_reflections, write


@pytest.fixture
def journal(coach_home: Path) -> Path:
    return seven_reflections(coach_home / "journal")


def test_index_reports_what_changed(journal: Path, tmp_path: Path) -> None:
    index = JournalIndex(journal, tmp_path / "cache.sqlite3")
    first = index.sync()
    assert (first.added, first.updated, first.removed) == (7, 0, 0)
    again = index.sync()
    assert (again.added, again.updated, again.removed) == (0, 0, 0)
    assert index.count(Filters()) == 7


def test_parsing_in_worker_processes_gives_the_same_cache(
    journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from servicecoach.journal import index as journal_index

    (journal / "broken.md").write_text("---\nnot: [closed\n---\n")
    sequential = JournalIndex(journal, tmp_path / "one.sqlite3")
    sequential.sync()
    monkeypatch.setattr(journal_index, "PARALLEL_FROM", 2)
    parallel = JournalIndex(journal, tmp_path / "two.sqlite3")
    report = parallel.sync()
    assert report.added == 8 and report.skipped == 1
    assert [e.model_dump() for e in parallel.entries(Filters())] == [
        e.model_dump() for e in sequential.entries(Filters())
    ]
    assert parallel.search(["refund"], Filters()) == sequential.search(["refund"], Filters())


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
