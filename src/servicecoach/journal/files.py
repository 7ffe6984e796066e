"""The journal: a folder of reflection files, `YYYY/MM/YYYY-MM-DD-HHMMSS-<playbook>.md`, named
and filed by when the interaction happened (`at` for a backdated recall, else the start)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from servicecoach.errors import JournalError
from servicecoach.journal.entry import MAX_FILE_BYTES
from servicecoach.places import read_at_most
from servicecoach.playbooks.model import is_slug
from servicecoach.storage import create_new


def reflection_stem(when: datetime, playbook_id: str) -> str:
    if not is_slug(playbook_id):  # ids are validated slugs; this guards the path all the same
        raise ValueError(f"not a playbook id: {playbook_id!r}")
    return f"{when:%Y-%m-%d-%H%M%S}-{playbook_id}"


def _folder(journal: Path, when: datetime) -> Path:
    return journal / f"{when:%Y}" / f"{when:%m}"


def save_reflection(journal: Path, when: datetime, playbook_id: str, markdown: str) -> Path:
    """Save a new reflection file (never replacing one) and return its path. A file larger
    than the journal reads back is refused: what coach writes, coach reads."""
    data = markdown.encode()
    if len(data) > MAX_FILE_BYTES:
        raise JournalError(
            f"The reflection would be {len(data) / 2**20:.1f} MiB, more than the "
            f"{MAX_FILE_BYTES // 2**20} MiB a journal file may be; shorten the longest answer."
        )
    stem = reflection_stem(when, playbook_id)
    return create_new(_folder(journal, when), stem, ".md", data)


def saved_before(journal: Path, when: datetime, playbook_id: str, session: str) -> Path | None:
    """The reflection this session was already saved as, if it was (its draft outlived it)."""
    stem = reflection_stem(when, playbook_id)
    line = re.compile(rf"^session: (['\"]?){re.escape(session)}\1$", re.MULTILINE)
    for path in sorted(_folder(journal, when).glob(f"{stem}*.md")):
        try:  # the session's id is the third line
            head = read_at_most(path, 4096)[:4096].decode("utf-8", "replace")
        except OSError:
            continue
        if head.startswith("---\n") and line.search(head.split("\n---\n", 1)[0]):
            return path
    return None
