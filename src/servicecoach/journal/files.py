"""The journal: a folder of reflection files, `YYYY/MM/YYYY-MM-DD-HHMMSS-<playbook>.md`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from servicecoach.playbooks.model import is_slug
from servicecoach.storage import create_new


def reflection_stem(started: datetime, playbook_id: str) -> str:
    if not is_slug(playbook_id):  # ids are validated slugs; this guards the path all the same
        raise ValueError(f"not a playbook id: {playbook_id!r}")
    return f"{started:%Y-%m-%d-%H%M%S}-{playbook_id}"


def save_reflection(journal: Path, started: datetime, playbook_id: str, markdown: str) -> Path:
    """Save a new reflection file (never replacing one) and return its path."""
    folder = journal / f"{started:%Y}" / f"{started:%m}"
    return create_new(folder, reflection_stem(started, playbook_id), ".md", markdown.encode())
