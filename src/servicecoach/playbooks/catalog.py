"""Where playbooks come from, which one wins, and finding one by id.

Folders are searched in precedence order: the user's own folder, then each team folder (in the
order `COACH_PLAYBOOKS` and the config file name them), then the built-ins. The first file with
an id wins; the ones it hides are remembered so `playbooks list` can say so. Listing reads
directories only; YAML is parsed when a playbook is actually needed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from servicecoach.errors import PlaybookInvalid, PlaybookNotFound
from servicecoach.places import builtin_folder_path
from servicecoach.startup import cache

if TYPE_CHECKING:
    from servicecoach.config import Paths
    from servicecoach.playbooks.model import Playbook

Origin = Literal["user", "team", "built-in"]


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
    return [folder / name for name in cache.playbook_files(str(folder))]


class Catalog:
    def __init__(self, folders: list[tuple[Origin, Path]], titles: cache.Titles | None = None):
        self.folders = folders
        self.titles = titles or cache.Titles(None)
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

    @classmethod
    def from_paths(cls, paths: Paths) -> Catalog:
        folders: list[tuple[Origin, Path]] = [("user", paths.user_playbooks)]
        folders += [("team", folder) for folder in paths.team_playbooks]
        folders.append(("built-in", builtin_folder()))
        return cls(folders, cache.Titles(paths.cache))

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
            from servicecoach.playbooks.loading import load_playbook

            self._loaded[playbook_id] = load_playbook(self.find(playbook_id).path)
        return self._loaded[playbook_id]

    def title(self, playbook_id: str) -> str | None:
        """The playbook's title, or None if it does not validate or is not in the catalog (a
        retired playbook the journal still names)."""
        titles = self._titles(playbook_id)
        return titles[0] if titles is not None else None

    def question_titles(self, playbook_id: str) -> dict[str, str]:
        """The titles of the playbook's questions by id (none if it does not validate or is
        not in the catalog)."""
        titles = self._titles(playbook_id)
        return titles[1] if titles is not None else {}

    def _titles(self, playbook_id: str) -> tuple[str, dict[str, str]] | None:
        """From the title cache where the file (by name and content) is known there; else
        from the playbook, loaded once, and then kept there."""
        entry = self._entries.get(playbook_id)
        if entry is None:
            return None
        key = self.titles.key(entry.path)
        if key is None:
            return None
        known, titles = self.titles.get(key)
        if not known:
            try:
                playbook = self.load(playbook_id)
                # a step by its title, a wrap-up question (which has none) by what it asks
                questions = {q.id: getattr(q, "title", None) or q.ask for q in playbook.questions()}
                titles = (playbook.title, questions)
            except PlaybookInvalid:
                titles = None
            self.titles.put(key, titles)
        return titles

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
