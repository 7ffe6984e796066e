"""A cache of a team folder's share files in SQLite, never the truth.

Each run lists the folder (names, sizes, modification times) and reads again only the files
that are new or changed; files gone are dropped. What the report needs of each share is kept
as its JSON, read back one row at a time, so memory stays flat however many shares there are.
A cache that cannot be opened, is damaged or is from another version is started again, or
replaced by one in memory for the run; the share files are always the truth.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from servicecoach.team.shares import Share, parse_share

SCHEMA = "2"


def cache_path(cache_folder: Path, folder: Path) -> Path:
    key = hashlib.sha1(str(folder.resolve()).encode(), usedforsecurity=False).hexdigest()[:16]
    return cache_folder / f"team-{key}.sqlite3"


class TeamCache:
    def __init__(self, folder: Path, cache: Path | None) -> None:
        self.folder = folder
        self.db = self._open(cache)

    @staticmethod
    def _open(cache: Path | None) -> sqlite3.Connection:
        if cache is not None:
            with contextlib.suppress(OSError, sqlite3.Error):
                from servicecoach.storage import private_cache, remove_cache

                private_cache(cache)
                db = sqlite3.connect(cache, timeout=10, isolation_level=None)
                if TeamCache._ready(db):
                    return db
                db.close()
                remove_cache(cache)  # another version's, or damaged: started again
                private_cache(cache)
                db = sqlite3.connect(cache, timeout=10, isolation_level=None)
                if TeamCache._ready(db):
                    return db
        db = sqlite3.connect(":memory:", isolation_level=None)
        TeamCache._ready(db)
        return db

    @staticmethod
    def _ready(db: sqlite3.Connection) -> bool:
        """The schema is there and of this version (made now if the cache is new)."""
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("BEGIN IMMEDIATE")
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if "meta" in tables:
                row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                if row is None or row[0] != SCHEMA:
                    db.execute("ROLLBACK")
                    return False
            else:
                db.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT)")
                db.execute(
                    "CREATE TABLE shares(path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER,"
                    " problem TEXT, share TEXT)"
                )
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
            db.execute("COMMIT")
            return True
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            return False

    def sync(self) -> None:
        """Read again what changed in the folder since the cache last looked, one top-level
        folder (an author's) at a time, so that memory stays flat."""
        tops = set()
        for prefix, listed in _listings(str(self.folder)):
            tops.add(prefix)
            upper = prefix[:-1] + chr(ord("/") + 1) if prefix else "\U0010ffff"
            known = {
                path: (mtime, size)
                for path, mtime, size in self.db.execute(
                    "SELECT path, mtime_ns, size FROM shares WHERE path >= ? AND path < ?"
                    + ("" if prefix else " AND instr(path, '/') = 0"),
                    (prefix, upper),
                )
            }
            changed = [(p, *stamp) for p, stamp in listed.items() if known.get(p) != stamp]
            gone = [path for path in known if path not in listed]
            if changed or gone:
                self._store(changed, gone)
        stale = [
            top
            for (top,) in self.db.execute(
                "SELECT DISTINCT substr(path, 1, instr(path, '/')) FROM shares"
                " WHERE instr(path, '/') > 0"
            )
            if top not in tops
        ]
        if stale:  # a whole top-level folder removed
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(
                "DELETE FROM shares WHERE path >= ? AND path < ?",
                [(top, top[:-1] + chr(ord("/") + 1)) for top in stale],
            )
            self.db.execute("COMMIT")

    def _store(self, changed: list[tuple[str, int, int]], gone: list[str]) -> None:
        rows = []
        for relative, mtime, size in changed:
            try:
                share = parse_share(self.folder / relative, self.folder)
                rows.append((relative, mtime, size, None, _as_json(share)))
            except ValueError as why:
                rows.append((relative, mtime, size, str(why), None))
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.executemany("DELETE FROM shares WHERE path = ?", [(p,) for p in gone])
            self.db.executemany("INSERT OR REPLACE INTO shares VALUES (?, ?, ?, ?, ?)", rows)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def shares(self) -> Iterator[Share]:
        """Every readable share, one at a time, in the order of their paths."""
        for (raw,) in self.db.execute(
            "SELECT share FROM shares WHERE problem IS NULL ORDER BY path"
        ):
            yield _from_json(raw)

    def problems(self) -> list[tuple[Path, str]]:
        rows = self.db.execute(
            "SELECT path, problem FROM shares WHERE problem IS NOT NULL ORDER BY path"
        )
        return [(self.folder / path, problem) for path, problem in rows]

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM shares WHERE problem IS NULL").fetchone()[0]


def _listings(folder: str) -> Iterator[tuple[str, dict[str, tuple[int, int]]]]:
    """The share files below `folder` (hidden ones left out), a top-level folder at a time:
    (its prefix, `author/`, or "" for the files at the top; {relative path: (mtime ns,
    size)}). Plain strings and one stat each, no Path objects."""
    try:
        top = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    here: dict[str, tuple[int, int]] = {}
    for entry in top:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir():
                yield f"{entry.name}/", _below(f"{entry.name}/", entry.path)
            elif entry.name.endswith(".json"):
                info = entry.stat()
                here[entry.name] = (info.st_mtime_ns, info.st_size)
        except OSError:
            continue
    yield "", here


def _below(prefix: str, folder: str) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    stack = [(prefix, folder)]
    while stack:
        prefix, here = stack.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    stack.append((f"{prefix}{name}/", entry.path))
                elif name.endswith(".json"):
                    info = entry.stat()
                    found[prefix + name] = (info.st_mtime_ns, info.st_size)
            except OSError:
                continue
    return found


def _as_json(share: Share) -> str:
    """A share as the cache keeps it: its fields as one JSON list, in order (quick to read)."""
    values = [getattr(share, name.name) for name in dataclasses.fields(share)]
    values[6] = share.day.isoformat()
    return json.dumps(values, separators=(",", ":"))


_DAY = dt.date.fromisoformat


def _from_json(raw: str) -> Share:
    (
        path,
        author,
        playbook,
        version,
        mode,
        audience,
        day,
        outcome,
        rating,
        skipped,
        steps,
        promises,
    ) = json.loads(raw)
    return Share(
        path, author, playbook, version, mode, audience, _DAY(day), outcome, rating,
        tuple(skipped), tuple(map(tuple, steps)), tuple(promises),
    )  # fmt: skip


def open_team(folder: Path, cache_folder: Path) -> TeamCache:
    from servicecoach.errors import CoachError

    if not folder.is_dir():
        raise CoachError(f"No team folder at {folder}.")
    team = TeamCache(folder, cache_path(cache_folder, folder))
    team.sync()
    return team
