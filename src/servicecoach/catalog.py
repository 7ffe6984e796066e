"""Where playbooks come from, which one wins, and finding one by id.

Folders are searched in precedence order: the user's own folder, then each team folder (in the
order `COACH_PLAYBOOKS` names them), then the built-ins. The first file with an id wins; the
ones it hides are remembered so `playbooks list` can say so. Listing reads directories only;
YAML is parsed when a playbook is actually needed.
"""

from __future__ import annotations

import contextlib
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from servicecoach.errors import CoachError, PlaybookInvalid, PlaybookNotFound
from servicecoach.places import COMMAND_NAMES, SUFFIXES, builtin_folder_path

if TYPE_CHECKING:
    from servicecoach.config import Paths
    from servicecoach.playbook import Playbook

Origin = Literal["user", "team", "built-in"]

__all__ = ["COMMAND_NAMES", "SUFFIXES", "Catalog", "Entry", "builtin_folder", "playbook_files"]


def builtin_folder() -> Path:
    """The built-in playbooks (see places.builtin_folder_path)."""
    return Path(builtin_folder_path())


@dataclass(frozen=True)
class Entry:
    id: str
    path: Path
    origin: Origin
    hides: tuple[Path, ...] = field(default=())


def playbook_files(folder: Path) -> list[Path]:
    """The playbook files directly inside `folder` (none if it does not exist)."""
    try:
        children = list(folder.iterdir())
    except OSError:
        return []
    return sorted(
        p for p in children if p.suffix in SUFFIXES and not p.name.startswith(".") and p.is_file()
    )


class Catalog:
    def __init__(self, folders: list[tuple[Origin, Path]], cache: Path | None = None) -> None:
        self.folders = folders
        self.cache = cache
        entries: dict[str, Entry] = {}
        for origin, folder in folders:
            for path in playbook_files(folder):
                found = entries.get(path.stem)
                if found is None:
                    entries[path.stem] = Entry(path.stem, path, origin)
                else:
                    entries[path.stem] = Entry(
                        found.id, found.path, found.origin, (*found.hides, path)
                    )
        self._entries = dict(sorted(entries.items()))
        self._loaded: dict[str, Playbook] = {}
        self._titles: dict[str, str | None] | None = None

    @classmethod
    def from_paths(cls, paths: Paths) -> Catalog:
        folders: list[tuple[Origin, Path]] = [("user", paths.user_playbooks)]
        folders += [("team", folder) for folder in paths.team_playbooks]
        folders.append(("built-in", builtin_folder()))
        return cls(folders, paths.cache / "playbooks.json")

    def ids(self) -> list[str]:
        return list(self._entries)

    def entries(self) -> list[Entry]:
        return list(self._entries.values())

    def find(self, playbook_id: str) -> Entry:
        entry = self._entries.get(playbook_id)
        if entry is None:
            close = difflib.get_close_matches(playbook_id, self.ids(), n=3, cutoff=0.6)
            raise PlaybookNotFound(playbook_id, close, self.ids())
        return entry

    def load(self, playbook_id: str) -> Playbook:
        """The playbook, read and validated once per catalog."""
        if playbook_id not in self._loaded:
            from servicecoach.loading import load_playbook

            self._loaded[playbook_id] = load_playbook(self.find(playbook_id).path)
        return self._loaded[playbook_id]

    def title(self, playbook_id: str) -> str | None:
        """The playbook's title, or None if it does not validate; for help and completion.

        Answered from a small cache keyed by the file's content (SHA-256) and coach's version,
        so listing commands never parses YAML or builds models for unchanged playbooks; a
        changed file has another key, so the cache cannot serve a stale or invalid title."""
        import hashlib

        path = self.find(playbook_id).path
        try:
            key = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None
        known = self._known_titles()
        if key not in known:
            try:
                known[key] = self.load(playbook_id).title
            except PlaybookInvalid:
                known[key] = None
            self._save_titles(known)
        return known[key]

    def _known_titles(self) -> dict[str, str | None]:
        """The title cache, read once per catalog."""
        if self._titles is None:
            import json

            from servicecoach.launch import code_stamp

            self._titles = {}
            if self.cache is not None:
                try:
                    data = json.loads(self.cache.read_text(encoding="utf-8"))
                    if data.get("coach") == code_stamp() and isinstance(data.get("titles"), dict):
                        self._titles = data["titles"]
                except (OSError, ValueError):
                    pass
        return self._titles

    def _save_titles(self, known: dict[str, str | None]) -> None:
        if self.cache is None:
            return
        import json

        from servicecoach.launch import code_stamp
        from servicecoach.storage import write_atomic

        text = json.dumps({"coach": code_stamp(), "titles": known}, ensure_ascii=False)
        with contextlib.suppress(CoachError):  # a cache that cannot be written is no cache
            write_atomic(self.cache, text.encode())

    def load_all(self) -> tuple[list[tuple[Entry, Playbook]], list[PlaybookInvalid]]:
        """Every playbook that loads, and the problems of those that do not."""
        loaded: list[tuple[Entry, Playbook]] = []
        broken: list[PlaybookInvalid] = []
        for entry in self.entries():
            try:
                loaded.append((entry, self.load(entry.id)))
            except PlaybookInvalid as error:
                broken.append(error)
        return loaded, broken
