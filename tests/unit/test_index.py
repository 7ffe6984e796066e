"""The journal's SQLite cache: what a sync finds, worker processes, old versions, unreadable
files."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from servicecoach.journal.index import SCHEMA_VERSION, Filters, JournalIndex
from servicecoach.places import read_at_most

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


def _schema(cache: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(cache) as db:
        return db.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()


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
    assert [e.record() for e in parallel.entries(Filters())] == [
        e.record() for e in sequential.entries(Filters())
    ]
    assert parallel.search(["refund"], Filters()) == sequential.search(["refund"], Filters())
    # a first fill of many files builds the indexes after the rows: the same ones in the end
    assert _schema(tmp_path / "two.sqlite3") == _schema(tmp_path / "one.sqlite3")
    assert "files_ts" in {name for name, _ in _schema(tmp_path / "two.sqlite3")}


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
    from servicecoach.journal import index as journal_index

    def guarded(path: str, limit: int) -> bytes:
        if Path(path) == locked:  # root reads a file whatever its mode: say it cannot
            raise PermissionError(13, "Permission denied")
        return read_at_most(path, limit)

    monkeypatch.setattr(journal_index, "read_at_most", guarded)
    index = JournalIndex(journal, tmp_path / "cache.sqlite3")
    report = index.sync()
    assert index.count(Filters()) == 1
    assert report.problems == [
        (str(locked.relative_to(journal)), "cannot be read (Permission denied)")
    ]


def test_a_damaged_cache_that_keeps_its_header_is_rebuilt(journal: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    JournalIndex(journal, cache).sync()
    index = JournalIndex(journal, cache)
    index.db.close()
    with open(cache, "r+b") as handle:  # every page but the first: the header still reads
        handle.seek(4096)
        handle.write(b"\xff" * (cache.stat().st_size - 4096))
    index = JournalIndex(journal, cache)
    assert index.sync().skipped == 0
    assert len(index.entries(Filters())) == 7
    with sqlite3.connect(cache) as db:  # the file itself was started again, not bypassed
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 7
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600


def test_a_row_that_does_not_read_back_is_healed(journal: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    index = JournalIndex(journal, cache)
    index.sync()
    index.db.execute("UPDATE bodies SET entry = '{broken' WHERE id = 3")
    assert len(index.entries(Filters(), oldest_first=True)) == 7
    assert index.check() is True  # already whole again
    index.db.execute("UPDATE bodies SET entry = '{broken' WHERE id = 2")
    assert index.check() is False  # found, and rebuilt
    assert index.check() is True


def test_a_cache_another_coach_is_writing_is_left_whole(
    journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two first syncs at once (a list and a Tab completion after an upgrade): the second one
    waits, then answers from memory, and never removes the first one's cache."""
    from servicecoach.journal import index as journal_index

    cache = tmp_path / "cache.sqlite3"
    JournalIndex(journal, cache).sync()
    busy = sqlite3.connect(cache, isolation_level=None)
    busy.execute("BEGIN IMMEDIATE")
    busy.execute("INSERT INTO meta VALUES ('other coach', 'writing')")
    monkeypatch.setattr(journal_index, "LOCK_WAIT_S", 0.2)
    waiting = JournalIndex(journal, cache)
    assert waiting.cache is None  # in memory for this run
    assert waiting.sync().added == 7
    busy.execute("COMMIT")
    with sqlite3.connect(cache) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'other coach'").fetchone()
        assert db.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 7
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600


def test_entries_that_cannot_be_reflections_are_named_not_hidden(
    journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (journal / "gone.md").symlink_to(tmp_path / "nothing-here.md")
    (journal / "loop.md").symlink_to(journal / "loop.md")
    os.mkfifo(journal / "pipe.md")
    (journal / "folder.md").mkdir()
    (journal / "locked").mkdir()
    real = os.scandir

    def refusing(path):  # type: ignore[no-untyped-def]
        if str(path).endswith("locked"):  # as a folder without permission does (not for root)
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", refusing)
    index = JournalIndex(journal, tmp_path / "cache.sqlite3")
    report = index.sync()
    assert dict(report.problems) == {
        "gone.md": "a link to nothing: what it points to is gone",
        "loop.md": "a link that leads back to itself",
        "pipe.md": "a named pipe, not a file",
        "folder.md": "a folder, not a reflection file",
        "locked/": "the folder cannot be read (permission denied)",
    }
    assert index.count(Filters()) == 7
    assert dict(index.sync().problems) == dict(report.problems)  # the same on the next run
    (journal / "pipe.md").unlink()
    assert "pipe.md" not in dict(index.sync().problems)


def test_a_damaged_full_text_index_is_found_and_rebuilt(journal: Path, tmp_path: Path) -> None:
    index = JournalIndex(journal, tmp_path / "cache.sqlite3")
    index.sync()
    index.db.execute("UPDATE notes_data SET block = randomblob(length(block)) WHERE id > 1")
    entries, total = index.search(["refund"], Filters())  # heals, then answers
    assert total == 2 and {e.playbook for e in entries} == {"apology", "learn"}
    again = JournalIndex(journal, tmp_path / "cache.sqlite3")
    again.db.execute("UPDATE notes_data SET block = randomblob(length(block)) WHERE id > 1")
    assert again.check() is False  # journal check sees it, and mends it
    assert again.check() is True


def test_every_change_to_a_folder_is_seen_though_unchanged_folders_are_not_reread(
    journal: Path, tmp_path: Path
) -> None:
    """Each folder's listing is kept in brief; a change of any file's name, size or time in
    it, or of the folder itself, brings that folder's files back to be compared."""
    index = JournalIndex(journal, tmp_path / "cache.sqlite3")
    index.sync()
    files = sorted(journal.rglob("*.md"))
    same_size = files[0]
    text = same_size.read_text()
    same_size.write_text(text.replace("rating: 4", "rating: 5"))  # same size, a new time
    info = same_size.stat()
    os.utime(same_size, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
    report = index.sync()
    assert (report.added, report.updated, report.removed) == (0, 1, 0)
    renamed = files[1].with_name("renamed.md")
    files[1].rename(renamed)
    report = index.sync()
    assert (report.added, report.removed) == (1, 1)
    assert any(e.path.endswith("renamed.md") for e in index.entries(Filters()))
    gone = sorted({f.parent for f in journal.rglob("*.md")})[-1]
    count = len(list(gone.glob("*.md")))
    for path in gone.glob("*.md"):
        path.unlink()
    gone.rmdir()
    report = index.sync()
    assert report.removed == count
    assert index.count(Filters()) == 7 - count
    assert index.sync().removed == 0


@pytest.mark.parametrize("spread", [False, True], ids=["here", "in-workers"])
def test_an_export_through_a_damaged_record_mends_the_cache(
    journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spread: bool
) -> None:
    """A record that does not read back, found by a worker process or here, halfway through
    an export: the cache is started again and the page read again, the bytes as if whole."""
    from servicecoach.journal import export
    from servicecoach.journal import index as journal_index

    monkeypatch.setattr(journal_index, "PAGE", 2)
    monkeypatch.setattr(export, "SPREAD_FROM", 1 if spread else 10**9)
    index = JournalIndex(journal, tmp_path / "cache.sqlite3")
    index.sync()
    whole = "".join(export.export(index, Filters(), "json"))
    index.db.execute("UPDATE bodies SET entry = '{broken' WHERE id = 4")
    assert "".join(export.export(index, Filters(), "json")) == whole
    assert index.healed and len(json.loads(whole)) == 7
