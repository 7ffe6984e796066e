"""Drafts: a session in progress, saved after every answer so that nothing typed is lost."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from servicecoach.errors import DraftNotFound, JournalError
from servicecoach.session import SessionState
from servicecoach.storage import create_new, write_atomic

SUFFIX = ".json"


class DraftStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def reserve(self, started: datetime, playbook_id: str) -> str:
        """A new draft id, unique even for two sessions started in the same second."""
        stem = f"{started:%Y%m%d-%H%M%S}-{playbook_id}"
        return create_new(self.folder, stem, SUFFIX, b"").stem

    def path(self, draft_id: str) -> Path:
        return self.folder / f"{draft_id}{SUFFIX}"

    def save(self, state: SessionState) -> None:
        write_atomic(self.path(state.draft_id), state.model_dump_json(indent=1).encode())

    def load(self, draft_id: str) -> SessionState:
        if "/" in draft_id or "\\" in draft_id or draft_id.startswith("."):
            raise DraftNotFound(f"No draft called '{draft_id}'; see 'coach resume --list'.")
        path = self.path(draft_id)
        try:
            return SessionState.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            raise DraftNotFound(
                f"No draft called '{draft_id}'; see 'coach resume --list'."
            ) from None
        except (OSError, ValidationError, ValueError) as error:
            raise JournalError(f"The draft {path} cannot be read: {_first_line(error)}") from None

    def all(self) -> tuple[list[SessionState], list[Path]]:
        """Every readable draft, newest first, and the paths of those that are not."""
        drafts, broken = [], []
        try:
            paths = sorted(self.folder.glob(f"*{SUFFIX}"))
        except OSError:
            return [], []
        for path in paths:
            try:
                data = path.read_bytes()
                if data:  # an empty file is an id reserved by a session that has not saved yet
                    drafts.append(SessionState.model_validate_json(data))
            except (OSError, ValidationError, ValueError):
                broken.append(path)
        drafts.sort(key=lambda state: state.started, reverse=True)
        return drafts, broken

    def discard(self, draft_id: str) -> None:
        try:
            self.path(draft_id).unlink()
        except FileNotFoundError:
            pass
        except OSError as error:
            raise JournalError(f"Cannot remove the draft {draft_id}: {error.strerror}.") from None


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__
