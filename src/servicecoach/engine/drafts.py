"""Drafts: a session in progress, saved after every answer so that nothing typed is lost."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from servicecoach.engine.session import SessionState
from servicecoach.errors import CoachError, DraftNotFound, JournalError
from servicecoach.journal.entry import MAX_FILE_BYTES
from servicecoach.places import read_whole
from servicecoach.storage import create_new, ensure_dir, write_atomic, write_exclusive

if TYPE_CHECKING:
    from servicecoach.config import Paths

SUFFIX = ".json"
DRAFT_ID = re.compile(r"\d{8}-\d{6}-[a-z0-9][a-z0-9-]*")


class DraftStore:
    def __init__(self, folder: Path, former: Path | None = None) -> None:
        self.folder = folder
        if former is not None and former.is_dir():
            bring_over(former, folder)

    @classmethod
    def of(cls, paths: Paths) -> DraftStore:
        """The drafts where `paths` keeps them (brought over from where they were before)."""
        return cls(paths.drafts, paths.former_drafts)

    def reserve(self, started: datetime, playbook_id: str) -> str:
        """A new draft id, unique even for two sessions started in the same second."""
        stem = f"{started:%Y%m%d-%H%M%S}-{playbook_id}"
        return create_new(self.folder, stem, SUFFIX, b"").stem

    def path(self, draft_id: str) -> Path:
        if not DRAFT_ID.fullmatch(draft_id):
            raise DraftNotFound(f"No draft called '{draft_id}'; see 'coach resume --list'.")
        return self.folder / f"{draft_id}{SUFFIX}"

    @contextlib.contextmanager
    def lock(self, draft_id: str) -> Iterator[None]:
        """Hold the draft for this process: a second coach resuming it is told so, instead of
        both writing over each other's answers."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory locks here
            yield
            return
        lock_path = self.folder / f".{self.path(draft_id).stem}.lock"
        ensure_dir(self.folder)
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise JournalError(f"Cannot lock the draft {draft_id}: {error.strerror}.") from None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise CoachError(
                    f"The draft {draft_id} is open in another coach; finish or quit that one."
                ) from None
            yield
        finally:
            if not self.path(draft_id).exists():
                with contextlib.suppress(OSError):
                    lock_path.unlink()
            os.close(fd)

    def save(self, state: SessionState) -> None:
        write_atomic(self.path(state.draft_id), state.model_dump_json(indent=1).encode())

    def load(self, draft_id: str) -> SessionState:
        path = self.path(draft_id)
        try:
            state = SessionState.model_validate_json(_read(path))
        except FileNotFoundError:
            raise DraftNotFound(
                f"No draft called '{draft_id}'; see 'coach resume --list'."
            ) from None
        except (OSError, ValidationError, ValueError) as error:
            raise JournalError(
                f"The draft {path} cannot be read: {_first_line(error)}. "
                f"Remove it with: coach resume {draft_id} --discard"
            ) from None
        state.draft_id = draft_id  # the file's name, whatever the JSON says
        return state

    def all(self) -> tuple[list[SessionState], list[Path]]:
        """Every readable draft, newest first, and the paths of those that are not."""
        drafts, broken = [], []
        try:
            paths = sorted(self.folder.glob(f"*{SUFFIX}"))
        except OSError:
            return [], []
        for path in paths:
            if not DRAFT_ID.fullmatch(path.stem):
                continue
            try:
                data = _read(path)
                if data:  # an empty file is an id reserved by a session that has not saved yet
                    state = SessionState.model_validate_json(data)
                    state.draft_id = path.stem
                    drafts.append(state)
            except (OSError, ValidationError, ValueError):
                broken.append(path)
        drafts.sort(key=lambda state: state.started, reverse=True)
        return drafts, broken

    def choose(self, ask: Callable[[list[SessionState]], str]) -> str:
        """The draft to resume: the only one, else the one `ask` picks from all of them."""
        found, _ = self.all()
        if not found:
            raise CoachError("There are no drafts to resume.")
        return found[0].draft_id if len(found) == 1 else ask(found)

    def remove(self, draft_id: str) -> None:
        """Delete a draft the person named, readable or not (a broken one can go too)."""
        with self.lock(draft_id):
            if not self.path(draft_id).exists():
                raise DraftNotFound(f"No draft called '{draft_id}'; see 'coach resume --list'.")
            self.discard(draft_id)

    def discard(self, draft_id: str) -> None:
        try:
            self.path(draft_id).unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            raise JournalError(f"Cannot remove the draft {draft_id}: {error.strerror}.") from None


def bring_over(former: Path, folder: Path) -> None:
    """Move the drafts kept in `former` (the data folder, before drafts had a folder of their
    own) into `folder`, never losing one: each is linked into place only where no draft of
    that name is (so two coaches moving at once, or a draft of the same name, cannot
    overwrite), and removed from `former` only once it is there, the same bytes. What cannot
    be moved stays where it was; a later run tries again."""
    try:
        names = [p for p in former.iterdir() if p.suffix == SUFFIX and DRAFT_ID.fullmatch(p.stem)]
        ensure_dir(folder)
    except (OSError, CoachError):
        return
    for old in names:
        new = folder / old.name
        with contextlib.suppress(OSError, CoachError):
            try:
                os.link(old, new)
            except FileExistsError:
                pass
            except OSError:  # another file system: a copy, claimed under the name
                write_exclusive(new, old.read_bytes())
            if new.read_bytes() == old.read_bytes():
                old.unlink()
    with contextlib.suppress(OSError):
        for lock in former.glob(".*.lock"):
            lock.unlink()
        former.rmdir()  # only if nothing is left in it


def _read(path: Path) -> bytes:
    """A draft's bytes; a draft holds no more than its reflection may (a link to a device in
    the folder must not fill the memory)."""
    return read_whole(path, MAX_FILE_BYTES)


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__
