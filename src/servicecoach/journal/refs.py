"""References to one reflection, as people type them (`last`: the one written last; a number
from `journal list`, 1 = the newest interaction; a file name with or without `.md`; a path, or
a path within the journal as coach prints it), and the reflection read back."""

from __future__ import annotations

import glob
import os
from dataclasses import replace
from pathlib import Path

from servicecoach.errors import CoachError
from servicecoach.journal.entry import MAX_FILE_BYTES, Entry, NotAReflection, minute
from servicecoach.journal.index import Filters, Journal, read_file
from servicecoach.places import read_whole


def resolve_ref(journal: Journal, ref: str) -> Path:
    """The file `ref` names in `journal`; a sentence when there is none."""
    if ref in ("last", "latest"):
        written = journal.index.last_written()
        if written is None:
            raise CoachError("The journal has no reflections yet.")
        return journal.folder / written
    if ref.isdecimal() and ref.isascii():
        found = journal.index.nth_path(int(ref))
        if found is None:
            count = journal.index.count(Filters())
            raise CoachError(f"There is no reflection number {ref}; the journal has {count}.")
        return journal.folder / found
    direct = Path(os.path.expanduser(ref))
    if direct.is_file():
        return direct
    inside = journal.folder / ref  # as `search`, `list --json` and `export` print it
    if not direct.is_absolute() and inside.is_file():
        return inside
    name = ref if ref.endswith(".md") else f"{ref}.md"
    if "/" in name or os.sep in name:
        raise CoachError(f"No reflection at {ref}.")
    for path in sorted(journal.folder.rglob(glob.escape(name))):
        hidden = any(part.startswith(".") for part in path.relative_to(journal.folder).parts)
        if not hidden and path.is_file():  # not a pipe, a device or a folder named *.md
            return path
    raise CoachError(
        f"No reflection '{ref}'; use last, a number from 'coach journal list', or a file name."
    )


def recent_refs(journal: Journal, count: int) -> list[tuple[str, str]]:
    """(file name without .md, "date playbook") of the newest reflections, for completion."""
    return [
        (Path(entry.path).stem, f"{minute(entry.when)} {entry.playbook}")
        for entry in journal.index.entries(Filters(), count)
    ]


def read_text(path: Path) -> str:
    """A reflection's whole text: a regular file, no larger than the journal reads."""
    try:
        return read_whole(path, MAX_FILE_BYTES).decode("utf-8")
    except (OSError, ValueError) as error:
        raise CoachError(f"Cannot read {path}: {error}.") from None


def read_reflection(journal: Journal, path: Path) -> tuple[Entry, str]:
    """The reflection at `path` and its whole text; a sentence when it is not one. Its front
    matter is read from the journal's cache when the cache holds the file as it is (unchanged
    while it was read), else from the file."""
    before = _stamp(path)
    text = read_text(path)
    entry = None
    try:
        relative = path.resolve().relative_to(journal.folder.resolve()).as_posix()
    except (OSError, ValueError):  # a file outside the journal
        relative = None
    if relative is not None and before is not None and _stamp(path) == before:
        entry = journal.index.entry_at(relative, *before)
    if entry is not None:
        return replace(entry, path=str(path)), text
    try:
        return read_file(path, str(path)), text
    except NotAReflection as problem:
        raise CoachError(f"{path} is not a reflection: {problem}.") from None


def _stamp(path: Path) -> tuple[int, int] | None:
    """(modification time in ns, size), as the journal's cache keys a file."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def edit_reflection(path: Path) -> None:
    """Open a reflection in the person's editor, then say if the journal can no longer read
    it (the file stays as the editor left it, whatever the editor's exit status)."""
    from servicecoach.editor import open_in_editor

    status = open_in_editor(path)
    if status != 0:
        raise CoachError(f"The editor exited with status {status}; check {path}.")
    try:
        read_file(path, str(path))
    except NotAReflection as problem:
        raise CoachError(
            f"{path}: {problem}. The journal will skip this file until it is fixed."
        ) from None
