"""A cache of the journal's front matter in SQLite (with full-text search), never the truth.

The reflection files are the truth. Every command first syncs the cache with the folder: files
whose size or modification time changed are parsed again, new ones added, deleted ones dropped.
Only a listing of the folder (names and stat) is needed when nothing changed, so commands stay
instant on years of reflections. A cache that is damaged (not a database, a malformed page, a
row that does not read back) is started again from the files, whenever the damage shows; one
from another version is rebuilt; one held by another coach for too long, or that cannot be
written, is replaced by an in-memory one for this run, and left as it is. The cache file is
private (0600) however it comes to be made. Entries that cannot be reflections (a link to
nothing, a pipe, a folder that cannot be read) are problems like any unreadable file: counted
by every command and named by `journal check`.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import marshal
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from servicecoach.dates import local
from servicecoach.errors import CoachError, DateError
from servicecoach.journal.entry import MAX_FILE_BYTES, DamagedRecord, Entry, NotAReflection
from servicecoach.places import read_at_most
from servicecoach.storage import private_cache, reason, remove_cache

SCHEMA_VERSION = "12"
MAX_LIMIT = 2**62
"""SQLite's LIMIT is a 64-bit number: `-n` beyond it means all of them."""
LOCK_WAIT_S = 10.0
"""How long to wait for another coach writing the cache before answering from memory."""

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files(
    id INTEGER PRIMARY KEY,
    path TEXT UNIQUE NOT NULL,
    folder TEXT NOT NULL,
    name TEXT NOT NULL,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    problem TEXT,
    playbook TEXT,
    mode TEXT,
    audience TEXT,
    outcome TEXT,
    rating INTEGER,
    day TEXT,
    ts REAL,
    tags TEXT,
    skipped TEXT,
    written REAL
);
CREATE TABLE bodies(id INTEGER PRIMARY KEY, entry TEXT NOT NULL);
CREATE TABLE folders(folder TEXT PRIMARY KEY, listing TEXT NOT NULL);
CREATE TABLE follow_ups(
    id INTEGER NOT NULL,
    n INTEGER NOT NULL,
    due REAL,
    status TEXT NOT NULL,
    done REAL,
    PRIMARY KEY (id, n)
);
CREATE INDEX follow_ups_open ON follow_ups(status, due);
CREATE VIRTUAL TABLE notes USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
"""
_INDEXES = {
    "files_ts": "files(ts, path)",
    "files_playbook": "files(playbook, ts)",
    "files_folder": "files(folder, name)",
    "files_problems": "files(path) WHERE problem IS NOT NULL",
    "files_written": "files(written) WHERE problem IS NULL",
}
"""The indexes of `files` besides its keys: dropped while an empty cache is first filled
with many files, and built once after (a third of the time of keeping them up to date)."""


@dataclass(frozen=True)
class Filters:
    since: date | None = None
    until: date | None = None
    playbook: str | None = None
    mode: str | None = None
    audience: str | None = None
    tag: str | None = None
    outcome: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = ["problem IS NULL"], []
        if self.since:
            clauses.append("day >= ?")
            params.append(self.since.isoformat())
        if self.until:
            clauses.append("day <= ?")
            params.append(self.until.isoformat())
        for column in ("playbook", "mode", "audience", "outcome"):
            value = getattr(self, column)
            if value:
                clauses.append(f"{column} = ? COLLATE NOCASE")
                params.append(value)
        if self.tag:
            clauses.append("tags LIKE ? ESCAPE '\\'")
            escaped = self.tag.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            params.append(f"%|{escaped}|%")
        return " AND ".join(clauses), params


@dataclass
class SyncReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    skipped: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)


def cache_file(cache_folder: Path, journal: Path) -> Path:
    """One cache per journal folder, named after its absolute path."""
    key = hashlib.sha1(str(journal.resolve()).encode(), usedforsecurity=False).hexdigest()[:16]
    return cache_folder / f"journal-{key}.sqlite3"


Listing = tuple[str, dict[str, tuple[int, int]], dict[str, tuple[int, str]]]
"""One folder of the journal: its path relative to the journal ("" or ending in "/"), its
reflection files {name: (mtime ns, size)}, and what is there but cannot be read as one
{name: (mtime ns, why)} (name "" for the folder itself)."""


def scan(journal: Path) -> Iterator[Listing]:
    """Each folder below `journal` (hidden files and folders left out), one at a time. One
    folder at a time keeps memory flat however large the journal grows."""
    stack = [(str(journal), "")]
    while stack:
        folder, prefix = stack.pop()
        files: dict[str, tuple[int, int]] = {}
        odd: dict[str, tuple[int, str]] = {}
        try:
            with os.scandir(folder) as children:
                for child in children:
                    name = child.name
                    if name.startswith("."):
                        continue
                    try:
                        if child.is_dir(follow_symlinks=False):
                            stack.append((child.path, f"{prefix}{name}/"))
                            if name.endswith(".md"):  # read inside, and named as what it is
                                when = child.stat(follow_symlinks=False).st_mtime_ns
                                odd[name] = (when, "a folder, not a reflection file")
                        elif name.endswith(".md") and child.is_file():
                            info = child.stat()
                            files[name] = (info.st_mtime_ns, info.st_size)
                        elif name.endswith(".md"):
                            odd[name] = (child.stat(follow_symlinks=False).st_mtime_ns, _why(child))
                    except OSError:
                        if name.endswith(".md"):  # a link to a loop, a file that vanished
                            odd[name] = (0, _why(child))
        except FileNotFoundError:  # no journal yet, or a folder gone while we looked
            continue
        except OSError as error:
            odd[""] = (0, f"the folder cannot be read ({reason(error)})")
        yield prefix, files, odd


def listing(files: dict[str, tuple[int, int]], odd: dict[str, tuple[int, str]]) -> str:
    """A folder's listing in brief: its digest changes whenever a file in it is added,
    removed, renamed, written or touched."""
    data = marshal.dumps((sorted(files.items()), sorted(odd.items())))  # repr() is twice as slow
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def _why(entry: os.DirEntry[str]) -> str:
    """Why an entry named like a reflection is not a file to read."""
    try:
        mode = os.stat(entry.path).st_mode
    except FileNotFoundError:
        return "a link to nothing: what it points to is gone"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a link that leads back to itself"
        return f"cannot be read ({reason(error)})"
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "a named pipe, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a file"
    return "not a regular file"


def read_file(path: Path, relative: str) -> Entry:
    """The entry of the reflection file at `path`; NotAReflection, saying why, if it is none."""
    return read_record(path, relative)[0]


def read_record(path: Path, relative: str) -> tuple[Entry, str]:
    """The entry of the reflection file at `path`, and its record as JSON."""
    from servicecoach.journal.front_matter import parse_record  # pydantic, YAML: files only

    return parse_record(_text_of(path), relative)


def _text_of(path: Path | str) -> str:
    """A reflection file's text; NotAReflection, saying why, if it cannot be one."""
    try:
        raw = read_at_most(path, MAX_FILE_BYTES)
    except OSError as error:
        raise NotAReflection(f"cannot be read ({error.strerror or error})") from None
    if not raw:
        raise NotAReflection("the file is empty")
    if len(raw) > MAX_FILE_BYTES:
        raise NotAReflection(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise NotAReflection("not UTF-8 text") from None


Parsed = tuple[str | None, tuple[Any, ...], str, tuple[tuple[Any, ...], ...]]
"""A file as the cache stores it: (problem, or None and the columns, the notes to search,
and its follow-ups' rows: number, due time, status)."""

PAGE = 1000
"""Entries read at a time by `JournalIndex.each`."""

PARALLEL_FROM = 1000
"""Parse in worker processes when at least this many files changed (a first run, say)."""

STAGED = 100
"""Files parsed together, a stage at a time (see `parse_files`)."""


def parse_files(journal: Path, paths: list[str]) -> list[Parsed]:
    """Parse `paths` (relative to `journal`), in order. Each stage (read, YAML, validation,
    columns) runs over up to STAGED files before the next begins: about twice as fast as file
    by file, because each stage's code and data stay in the processor's caches. A file that is
    not a reflection becomes its problem, whatever a hand edit did."""
    from servicecoach.journal.entry import split_front_matter
    from servicecoach.journal.front_matter import validated

    parsed: list[Parsed] = []
    for start in range(0, len(paths), STAGED):
        chunk = paths[start : start + STAGED]
        problems: dict[int, str] = {}
        texts = _stage(lambda path: _text_of(f"{journal}{os.sep}{path}"), chunk, problems)
        fronts = _stage(lambda text: split_front_matter(text)[0], texts, problems)
        pairs = list(zip(fronts, chunk, strict=True))
        columns = _stage(_columns, _stage(lambda pair: validated(*pair), pairs, problems), problems)
        for number, found in enumerate(columns):
            parsed.append((problems[number], (), "", ()) if number in problems else found)
    return parsed


def _stage(step: Callable[[Any], Any], items: list[Any], problems: dict[int, str]) -> list[Any]:
    """`step` over each item that has no problem yet; a failure becomes that item's problem."""
    results = []
    for number, item in enumerate(items):
        if number in problems:
            results.append(None)
            continue
        try:
            results.append(step(item))
        except NotAReflection as problem:
            problems[number] = str(problem)
            results.append(None)
        except DateError:  # an unusable local zone: a sentence, not a problem of each file
            raise
        except Exception as error:  # whatever a hand edit did, it must not stop the journal
            problems[number] = f"cannot be read ({type(error).__name__}: {error})"
            results.append(None)
    return results


def _columns(found: tuple[Entry, str]) -> Parsed:
    entry, record = found
    when = entry.when
    columns = (
        record,
        entry.playbook,
        entry.mode,
        entry.audience,
        entry.outcome,
        entry.rating,
        _day_as_written(when),
        _timestamp(when),
        "|" + "|".join(t.lower() for t in entry.tags) + "|",
        "|".join(entry.skipped),
        _timestamp(entry.finished or entry.started),
    )
    return None, columns, _searchable(entry), _follow_up_rows(entry)


def _follow_up_rows(entry: Entry) -> tuple[tuple[Any, ...], ...]:
    """(number, due, status, done: times as timestamps or None) of each follow-up."""
    rows = []
    for number, promised in enumerate(entry.follow_ups):
        due, done = promised.get("due"), promised.get("done")
        rows.append((number, _stamp(due), promised.get("status") or "open", _stamp(done)))
    return tuple(rows)


def _stamp(value: Any) -> float | None:
    """A follow-up's time as a timestamp; None where there is none this machine can count."""
    try:
        return _timestamp(datetime.fromisoformat(value)) if isinstance(value, str) else None
    except (ValueError, OverflowError, OSError, DateError):
        return None


def _searchable(entry: Entry) -> str:
    """What `search` finds an entry by: its answers and its tags."""
    return "\n".join([entry.notes(), *entry.tags])


def parse_all(journal: Path, paths: list[str]) -> Iterator[Parsed]:
    """Parse files in order; with many files and several cores, in worker processes."""
    from servicecoach.workers import MAX_WORKERS, cores, ordered

    spread = len(paths) >= PARALLEL_FROM
    if spread:
        import servicecoach.journal.front_matter  # noqa: F401 - once, before the workers fork
    size = max(STAGED, len(paths) // (min(cores(), MAX_WORKERS) * 8))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    for parsed in ordered(functools.partial(parse_files, journal), chunks, spread=spread):
        yield from parsed


def _day_as_written(moment: datetime) -> str:
    """The calendar day in the time zone the reflection was written in: a call at 23:30 in
    Lisbon stays on that day for a reader in Tokyo."""
    return moment.date().isoformat()


def _timestamp(moment: datetime) -> float:
    if moment.tzinfo is not None:
        return moment.timestamp()
    return local(moment).timestamp()  # a hand-written time without a zone is local


_DAMAGE = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def _damaged(error: BaseException) -> bool:
    """A cache file that is not a database, or whose pages or rows do not read back: not a
    cache that is merely busy (locked by another coach) or cannot be written."""
    if isinstance(error, sqlite3.DatabaseError):  # extended codes (CORRUPT_VTAB...) too
        return (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF in _DAMAGE
    return isinstance(error, DamagedRecord)


P = ParamSpec("P")
R = TypeVar("R")


def _heals(method: Callable[P, R]) -> Callable[P, R]:
    """Run a query; where it shows the cache damaged, start the cache again from the files
    and run it once more."""

    @functools.wraps(method)
    def healed(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except (sqlite3.DatabaseError, ValueError) as error:
            index = args[0]
            assert isinstance(index, JournalIndex)
            if index.cache is None or index.healed or not _damaged(error):
                raise  # once per run: damage that a rebuild does not mend is a bug to see
            index.start_again()
            return method(*args, **kwargs)

    return healed


def _index(db: sqlite3.Connection) -> None:
    for name, on in _INDEXES.items():
        db.execute(f"CREATE INDEX {name} ON {on}")


class JournalIndex:
    def __init__(self, journal: Path, cache: Path | None) -> None:
        self.journal = journal
        self.cache = cache
        self.healed = False
        self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        """The cache database, made current; started again if it is damaged; in memory if it
        is busy for too long or cannot be used (then `cache` is None for this run)."""
        cache = self.cache
        for _attempt in range(2):
            if cache is None:
                break
            try:
                private_cache(cache)
                connection = sqlite3.connect(cache, timeout=LOCK_WAIT_S, isolation_level=None)
                return self._prepare(connection)
            except sqlite3.Error as error:
                if not _damaged(error):
                    break  # busy (another coach, for too long) or unwritable: leave it be
                with contextlib.suppress(OSError):
                    remove_cache(cache)  # damaged: start it again
            except OSError:
                break
        self.cache = None
        return self._prepare(sqlite3.connect(":memory:", isolation_level=None))

    def start_again(self) -> None:
        """Rebuild the cache from the files (it was found damaged)."""
        self.healed = True
        self.db.close()
        if self.cache is not None:
            with contextlib.suppress(OSError):
                remove_cache(self.cache)
        self.db = self._open()
        self._sync()

    def check(self) -> bool:
        """Whether the cache is whole: SQLite's own check, and every entry reading back. A
        damaged cache is started again from the files (False)."""
        try:
            healthy = self.db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            self.db.execute("INSERT INTO notes(notes) VALUES ('integrity-check')")  # FTS5's own
            for (raw,) in self.db.execute("SELECT entry FROM bodies"):
                Entry.from_json(raw)
        except (sqlite3.DatabaseError, ValueError) as error:
            if not _damaged(error):
                raise
            healthy = False
        if not healthy and self.cache is not None:
            self.start_again()
        return healthy

    @staticmethod
    def _prepare(db: sqlite3.Connection) -> sqlite3.Connection:
        """Create the schema, or replace one from another version, in one transaction, so a
        second coach starting at the same moment waits instead of seeing half of it."""
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # a cache: safe in WAL, no fsync per commit
            db.execute("BEGIN IMMEDIATE")
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            version = None
            if "meta" in tables:
                row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                version = row[0] if row else None
            if version != SCHEMA_VERSION:
                if "notes" in tables:
                    db.execute("DROP TABLE notes")  # with its full-text shadow tables
                for table in ("follow_ups", "folders", "bodies", "files", "meta"):
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                _index(db)
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            db.close()
            raise
        return db

    @_heals
    def sync(self) -> SyncReport:
        """Bring the cache in line with the files; report what changed and what is broken."""
        return self._sync()

    def _sync(self) -> SyncReport:
        report = SyncReport()
        version = self._data_version()
        changed, odd, removed, listings, replaced = self._differences()
        if changed or odd or removed or listings:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                if self._data_version() != version:  # another coach synced while we looked
                    changed, odd, removed, listings, replaced = self._differences()
                for path in removed:
                    self._delete(path)
                    report.removed += 1
                for path in [*changed, *odd]:
                    if path in replaced and self._delete(path):
                        report.updated += 1
                    else:
                        report.added += 1
                self._insert_all(changed)
                self._insert_odd(odd)
                self._remember(listings)
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        report.problems = [
            (path, problem)
            for path, problem in self.db.execute(
                "SELECT path, problem FROM files WHERE problem IS NOT NULL ORDER BY path"
            )
        ]
        report.skipped = len(report.problems)
        return report

    def _data_version(self) -> int:
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def _differences(
        self,
    ) -> tuple[
        dict[str, tuple[int, int]],
        dict[str, tuple[int, str]],
        list[str],
        dict[str, str | None],
        set[str],
    ]:
        """Files new or changed since the cache saw them (path -> stat), entries that cannot
        be read, new or changed (path -> (mtime, why)), what is gone, the listing of each
        folder that changed (folder -> its `listing`, None for a folder that is gone), and
        which of the changed ones the cache holds (to be replaced). A folder whose listing is
        the one the cache saw is not compared file by file."""
        changed: dict[str, tuple[int, int]] = {}
        odd: dict[str, tuple[int, str]] = {}
        removed: list[str] = []
        listings: dict[str, str | None] = {}
        replaced: set[str] = set()
        seen = dict(self.db.execute("SELECT folder, listing FROM folders"))
        for folder, files, unreadable in scan(self.journal):
            current = listing(files, unreadable)
            if seen.pop(folder, None) == current:
                continue
            listings[folder] = current
            known = {
                name: (mtime, size)
                for name, mtime, size in self.db.execute(
                    "SELECT name, mtime_ns, size FROM files WHERE folder = ?", (folder,)
                )
            }
            for name, found in files.items():
                before = known.pop(name, None)
                if before != found:
                    changed[folder + name] = found
                    if before is not None:
                        replaced.add(folder + name)
            for name, (mtime, why) in unreadable.items():
                before = known.pop(name, None)
                if before != (mtime, -1):
                    odd[folder + name] = (mtime, why)
                    if before is not None:
                        replaced.add(folder + name)
            removed += [folder + name for name in known]
        for folder in seen:  # a whole folder was removed or renamed
            listings[folder] = None
            query = "SELECT path FROM files WHERE folder = ?"
            removed += [path for (path,) in self.db.execute(query, (folder,))]
        return changed, odd, removed, listings, replaced

    def _remember(self, listings: dict[str, str | None]) -> None:
        """Keep each folder's listing as the cache now holds it."""
        gone = [(folder,) for folder, text in listings.items() if text is None]
        self.db.executemany("DELETE FROM folders WHERE folder = ?", gone)
        self.db.executemany(
            "INSERT OR REPLACE INTO folders VALUES (?, ?)",
            [(folder, text) for folder, text in listings.items() if text is not None],
        )

    def _delete(self, path: str) -> int:
        row = self.db.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()
        if row is None:
            return 0
        self.db.execute("DELETE FROM notes WHERE rowid = ?", (row[0],))
        self.db.execute("DELETE FROM follow_ups WHERE id = ?", (row[0],))
        self.db.execute("DELETE FROM bodies WHERE id = ?", (row[0],))
        self.db.execute("DELETE FROM files WHERE id = ?", (row[0],))
        return 1

    def _insert_all(self, on_disk: dict[str, tuple[int, int]]) -> None:
        """Parse `paths` and store them, in batches (ids are given here so that each file's
        notes can go into the full-text table with the same rowid in one executemany)."""
        paths = list(on_disk)
        next_id = self.db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM files").fetchone()[0]
        first_fill = next_id == 1 and len(paths) >= PARALLEL_FROM
        if first_fill:
            for name in _INDEXES:
                self.db.execute(f"DROP INDEX {name}")
        files: list[tuple[Any, ...]] = []
        bodies: list[tuple[int, str]] = []
        notes: list[tuple[int, str]] = []
        promises: list[tuple[Any, ...]] = []
        for path, (problem, columns, text, follow_ups) in zip(
            paths, parse_all(self.journal, paths), strict=True
        ):
            folder, _, name = path.rpartition("/")
            folder = f"{folder}/" if folder else ""
            facts = columns[1:] if problem is None else (None,) * 10
            files.append((next_id, path, folder, name, *on_disk[path], problem, *facts))
            if problem is None:
                bodies.append((next_id, columns[0]))
                notes.append((next_id, text))
                promises += [(next_id, *row) for row in follow_ups]
            next_id += 1
            if len(files) >= 2000:
                self._store(files, bodies, notes, promises)
                files, bodies, notes, promises = [], [], [], []
        self._store(files, bodies, notes, promises)
        if first_fill:
            _index(self.db)

    def _insert_odd(self, odd: dict[str, tuple[int, str]]) -> None:
        """Entries that cannot be read, as problems (size -1: nothing was read)."""
        rows = []
        for path, (mtime, why) in odd.items():
            folder, _, name = path.rstrip("/").rpartition("/") if path else ("", "", "")
            folder = f"{folder}/" if folder else ""
            if path.endswith("/"):  # the folder itself: listed under its own path
                folder, name = path, ""
            rows.append((path, folder, name, mtime, -1, why))
        self.db.executemany(
            "INSERT INTO files(path, folder, name, mtime_ns, size, problem)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )

    def _store(
        self,
        files: list[tuple[Any, ...]],
        bodies: list[tuple[int, str]],
        notes: list[tuple[int, str]],
        promises: list[tuple[Any, ...]],
    ) -> None:
        self.db.executemany(
            "INSERT INTO files(id, path, folder, name, mtime_ns, size, problem, playbook,"
            " mode, audience, outcome, rating, day, ts, tags, skipped, written)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            files,
        )
        self.db.executemany("INSERT INTO bodies(id, entry) VALUES (?, ?)", bodies)
        self.db.executemany("INSERT INTO notes(rowid, text) VALUES (?, ?)", notes)
        self.db.executemany(
            "INSERT INTO follow_ups(id, n, due, status, done) VALUES (?, ?, ?, ?, ?)", promises
        )

    @_heals
    def entries(
        self, filters: Filters, limit: int | None = None, *, oldest_first: bool = False
    ) -> list[Entry]:
        return [Entry.from_json(raw) for raw in self.raw(filters, limit, oldest_first)]

    @_heals
    def ranked(self, filters: Filters, limit: int | None = None) -> list[tuple[int, Entry]]:
        """Matching entries, newest first, each with its number in the whole journal (1 is the
        newest of all), so `coach journal show N` finds what a filtered list called N."""
        where, params = filters.where()
        sql = (
            f"SELECT ts, path, entry FROM files JOIN bodies USING (id) WHERE {where} "
            "ORDER BY ts DESC, path DESC"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(min(limit, MAX_LIMIT))
        rows = list(self.db.execute(sql, params))
        if filters == Filters():
            return [(n, Entry.from_json(raw)) for n, (_, _, raw) in enumerate(rows, 1)]
        newer = (
            "SELECT COUNT(*) FROM files WHERE problem IS NULL AND (ts > ? OR (ts = ? AND path > ?))"
        )
        return [
            (
                self.db.execute(newer, (ts, ts, path)).fetchone()[0] + 1,
                Entry.from_json(raw),
            )
            for ts, path, raw in rows
        ]

    def raw(
        self, filters: Filters, limit: int | None = None, oldest_first: bool = False
    ) -> list[str]:
        """The entries' JSON, newest first (or oldest first)."""
        return [raw for _, _, raw in self._rows(filters, oldest_first, None, limit)]

    def each(self, filters: Filters, *, oldest_first: bool = False) -> Iterator[Entry]:
        """Every matching entry in order, read a page at a time: memory stays flat however
        many there are."""
        for after, raws in self.pages(filters, oldest_first=oldest_first):
            try:
                yield from [Entry.from_json(raw) for raw in raws]
            except DamagedRecord:
                yield from self.page(filters, oldest_first, after)

    def pages(
        self, filters: Filters, *, oldest_first: bool = False
    ) -> Iterator[tuple[tuple[float, str] | None, list[str]]]:
        """Every matching entry's JSON in order, a page at a time, each page with the key it
        starts after: where a page turns out damaged, `page(filters, oldest_first, key)`
        mends the cache and reads it again."""
        after = None
        while True:
            rows = self._raw_page(filters, oldest_first, after)
            yield after, [raw for _, _, raw in rows]
            if len(rows) < PAGE:
                return
            after = (rows[-1][0], rows[-1][1])

    @_heals
    def _raw_page(
        self, filters: Filters, oldest_first: bool, after: tuple[float, str] | None
    ) -> list[tuple[float, str, str]]:
        return self._rows(filters, oldest_first, after, PAGE)

    @_heals
    def page(
        self, filters: Filters, oldest_first: bool, after: tuple[float, str] | None
    ) -> list[Entry]:
        """The page of entries after `after` (None: from the start)."""
        return [
            Entry.from_json(raw) for _, _, raw in self._rows(filters, oldest_first, after, PAGE)
        ]

    def _rows(
        self,
        filters: Filters,
        oldest_first: bool,
        after: tuple[float, str] | None,
        limit: int | None,
    ) -> list[tuple[float, str, str]]:
        where, params = filters.where()
        order = "ASC" if oldest_first else "DESC"
        if after is not None:
            where += f" AND (ts, path) {'>' if oldest_first else '<'} (?, ?)"
            params += list(after)
        sql = (
            f"SELECT ts, path, entry FROM files JOIN bodies USING (id) WHERE {where} "
            f"ORDER BY ts {order}, path {order}"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(min(limit, MAX_LIMIT))
        return list(self.db.execute(sql, params))

    @_heals
    def follow_ups(self, filters: Filters, *, every: bool = False) -> list[tuple[int, Entry]]:
        """(number within its reflection, entry) of each follow-up: open ones (or, `every`,
        all of them), the soonest due first (overdue ones lead), those with no time last."""
        where, params = filters.where()
        if not every:
            where += " AND follow_ups.status = 'open'"
        sql = (
            "SELECT follow_ups.n, bodies.entry FROM files JOIN follow_ups USING (id)"
            f" JOIN bodies USING (id) WHERE {where}"
            " ORDER BY follow_ups.due IS NULL, follow_ups.due, files.ts, files.path, follow_ups.n"
        )
        return [(n, Entry.from_json(raw)) for n, raw in self.db.execute(sql, params)]

    @_heals
    def promise_facts(self, filters: Filters) -> list[tuple[str, float | None, str, float | None]]:
        """(playbook, due, status, done) of every follow-up the matching reflections hold."""
        where, params = filters.where()
        sql = (
            "SELECT playbook, follow_ups.due, follow_ups.status, follow_ups.done"
            f" FROM files JOIN follow_ups USING (id) WHERE {where}"
        )
        return list(self.db.execute(sql, params))

    @_heals
    def span(self, filters: Filters) -> tuple[str, str] | None:
        """The days (as written) of the oldest and the newest matching entry, if any."""
        where, params = filters.where()
        ends = []
        for order in ("ASC", "DESC"):
            sql = f"SELECT day FROM files WHERE {where} ORDER BY ts {order}, path {order} LIMIT 1"
            row = self.db.execute(sql, params).fetchone()
            if row is None:
                return None
            ends.append(row[0])
        return ends[0], ends[1]

    @_heals
    def nth_path(self, number: int) -> str | None:
        """The path of the `number`th newest reflection (1 is the newest), if there is one."""
        if not 1 <= number <= MAX_LIMIT:
            return None
        row = self.db.execute(
            "SELECT path FROM files WHERE problem IS NULL ORDER BY ts DESC, path DESC"
            " LIMIT 1 OFFSET ?",
            (number - 1,),
        ).fetchone()
        return row[0] if row else None

    @_heals
    def known(self, column: str) -> set[str]:
        """Every playbook id (`column` "playbook") or every tag ("tags", lower case) that the
        journal's reflections have."""
        if column not in ("playbook", "tags"):
            raise ValueError(column)
        rows = self.db.execute(f"SELECT DISTINCT {column} FROM files WHERE problem IS NULL")
        if column == "playbook":
            return {value for (value,) in rows}
        return {tag for (tags,) in rows for tag in tags.split("|") if tag}

    @_heals
    def last_written(self) -> str | None:
        """The path of the reflection written last (by when it was finished, else started):
        after a backdated recall or a resumed draft, that one, though its interaction is
        older than others."""
        row = self.db.execute(
            "SELECT path FROM files WHERE problem IS NULL ORDER BY written DESC, path DESC LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    @_heals
    def entry_at(self, path: str, mtime_ns: int, size: int) -> Entry | None:
        """The entry of the reflection at `path` (relative to the journal), if the cache holds
        it as that file is now (its modification time and size)."""
        row = self.db.execute(
            "SELECT entry FROM files JOIN bodies USING (id)"
            " WHERE path = ? AND mtime_ns = ? AND size = ? AND problem IS NULL",
            (path, mtime_ns, size),
        ).fetchone()
        return Entry.from_json(row[0]) if row else None

    @_heals
    def search(
        self, words: list[str], filters: Filters, limit: int | None = None
    ) -> tuple[list[Entry], int]:
        """Entries whose answers or tags contain every word (as a word prefix), best matches
        first, and how many match in all."""
        query = " ".join('"' + word.replace('"', '""') + '"*' for word in words if word)
        if not query:
            return [], 0
        where, params = filters.where()
        joined = "FROM notes JOIN files ON files.id = notes.rowid"
        match = f"WHERE notes MATCH ? AND {where}"
        total = self.db.execute(f"SELECT COUNT(*) {joined} {match}", [query, *params])
        total = total.fetchone()[0]
        sql = (
            f"SELECT bodies.entry {joined} JOIN bodies ON bodies.id = files.id {match}"
            " ORDER BY bm25(notes), files.ts DESC"
        )
        if limit is not None:
            sql += f" LIMIT {min(int(limit), MAX_LIMIT)}"
        rows = self.db.execute(sql, [query, *params])
        return [Entry.from_json(raw) for (raw,) in rows], total

    @_heals
    def count(self, filters: Filters) -> int:
        where, params = filters.where()
        return self.db.execute(f"SELECT COUNT(*) FROM files WHERE {where}", params).fetchone()[0]

    @_heals
    def breakdown(self, filters: Filters) -> list[tuple[Any, ...]]:
        """(playbook, mode, audience, outcome, how many, how many rated, their ratings' sum)
        for each combination that occurs: every count `journal stats` shows, in one pass."""
        where, params = filters.where()
        sql = (
            "SELECT playbook, mode, audience, outcome, COUNT(*), COUNT(rating),"
            f" TOTAL(rating) FROM files WHERE {where} GROUP BY 1, 2, 3, 4"
        )
        return list(self.db.execute(sql, params))

    @_heals
    def recent(
        self, column: str, filters: Filters, count: int, playbooks: list[str]
    ) -> dict[str, list[Any]]:
        """Per playbook, `column` of its last `count` entries that have it, oldest first (one
        indexed query per playbook: a window over every row is slower at 100,000)."""
        assert column in ("rating", "skipped")
        where, params = filters.where()
        sql = (
            f"SELECT {column} FROM files WHERE playbook = ? AND {where} AND {column} IS NOT NULL "
            "ORDER BY ts DESC, path DESC LIMIT ?"
        )
        result: dict[str, list[Any]] = {}
        for playbook in playbooks:
            values = [value for (value,) in self.db.execute(sql, [playbook, *params, count])]
            if values:
                result[playbook] = values[::-1]
        return result

    @_heals
    def days(self, filters: Filters, since: date | None = None) -> list[tuple[str, int]]:
        """(day, how many) for each day with reflections (from `since`), in order."""
        where, params = filters.where()
        if since is not None:
            where += " AND day >= ?"
            params.append(since.isoformat())
        sql = f"SELECT day, COUNT(*) FROM files WHERE {where} GROUP BY day ORDER BY day"
        return list(self.db.execute(sql, params))

    def close(self) -> None:
        self.db.close()


@dataclass
class Journal:
    """A journal folder, its cache brought up to date, and what the sync found."""

    folder: Path
    index: JournalIndex
    report: SyncReport


def open_journal(folder: Path, cache_folder: Path) -> Journal:
    """The journal at `folder`, synced with its cache in `cache_folder` (in memory when that
    cache cannot be used)."""
    if folder.exists() and not folder.is_dir():
        raise CoachError(f"The journal {folder} is a file, not a folder.")
    index = JournalIndex(folder, cache_file(cache_folder, folder))
    try:
        return Journal(folder, index, index.sync())
    except sqlite3.Error:  # locked for too long, disk full, damaged: answer from memory
        index.close()
        index = JournalIndex(folder, None)
        return Journal(folder, index, index.sync())
