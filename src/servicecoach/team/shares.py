"""The share files in a team's folder, read and checked: what `coach share` writes (see
journal/share.py and docs/team-sharing.md), and every file that is not that, named.

The files are the truth: the cache (team/cache.py) reads again each one that changed. A
hand-edited or malformed file is passed over, counted, and named by `coach team check`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from servicecoach.journal.share import FORMAT

MAX_SHARE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Share:
    """One shared reflection, as the report reads it."""

    path: str
    author: str
    playbook: str
    version: int | None
    mode: str | None
    audience: str | None
    day: dt.date
    outcome: str | None
    rating: int | None
    skipped: tuple[str, ...]
    step_ratings: tuple[tuple[str, int], ...]
    promises: tuple[int, int, int]
    """Follow-ups (open, done, dropped)."""


def parse_share(path: Path, folder: Path) -> Share:
    """The share at `path`; ValueError saying why it is not one."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SHARE_BYTES + 1)
    except OSError as error:
        raise ValueError(f"cannot be read ({error.strerror})") from None
    if len(raw) > MAX_SHARE_BYTES:
        raise ValueError("is larger than a share file can be")
    try:
        data = json.loads(raw)
    except ValueError as error:
        raise ValueError(f"is not JSON ({error})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"is not a share file of format {FORMAT}")
    try:
        return _share(data, path.relative_to(folder).as_posix())
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"has a field coach cannot read ({error})") from None


def _share(data: dict[str, Any], relative: str) -> Share:
    def text(key: str, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value:
            raise ValueError(key)
        return value

    def number(value: Any, key: str) -> int | None:
        if value is None:
            return None
        if type(value) is not int:
            raise ValueError(key)
        return value

    steps = data.get("steps") or {}
    if not isinstance(steps, dict):
        raise ValueError("steps")
    ratings = []
    for key, record in steps.items():
        if not isinstance(record, dict):
            raise ValueError(f"steps.{key}")
        rating = number(record.get("rating"), f"steps.{key}.rating")
        if rating is not None:
            ratings.append((str(key), rating))
    skipped = data.get("skipped") or []
    if not isinstance(skipped, list) or not all(isinstance(s, str) for s in skipped):
        raise ValueError("skipped")
    promised = data.get("follow_ups") or {}
    if not isinstance(promised, dict):
        raise ValueError("follow_ups")
    counts = tuple(number(promised.get(k, 0), f"follow_ups.{k}") or 0
                   for k in ("open", "done", "dropped"))  # fmt: skip
    rating = number(data.get("rating"), "rating")
    if rating is not None and not 1 <= rating <= 5:
        raise ValueError("rating")
    return Share(
        path=relative,
        author=text("author", True) or "",
        playbook=text("playbook", True) or "",
        version=number(data.get("playbook_version"), "playbook_version"),
        mode=text("mode"),
        audience=text("audience"),
        day=dt.date.fromisoformat(text("date", True) or ""),
        outcome=text("outcome"),
        rating=rating,
        skipped=tuple(skipped),
        step_ratings=tuple(ratings),
        promises=(counts[0], counts[1], counts[2]),
    )
