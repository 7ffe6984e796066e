"""A reflection's summary for the team's git repository: what a rep chooses to share, never
their words unless they say so (and then with e-mail addresses, phone and card numbers masked).

One share file per reflection, at `<folder>/<author>/<YYYY-MM>/<reflection name>.json`: the
author's id is in the path, so two reps never write the same file and their commits merge
without conflicts; sharing a reflection again replaces its file. docs/team-sharing.md lists
every field.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
from pathlib import Path
from typing import Any

from servicecoach.errors import CoachError
from servicecoach.journal.entry import Entry
from servicecoach.playbooks.model import Playbook

FORMAT = 1
MASKS = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[e-mail]"),
    (re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)"), "[card number]"),
    (re.compile(r"(?<![\w+])\+?\d[\d ().-]{5,}\d(?!\d)"), "[phone number]"),
)
"""What a shared note never carries: e-mail addresses, card-like numbers (13 to 19 digits),
phone numbers (seven digits or more); in this order, so a card is not taken for a phone."""


def masked(text: str) -> str:
    for pattern, mask in MASKS:
        text = pattern.sub(mask, text)
    return text


def author_id(share_as: str | None, state_folder: Path) -> str:
    """The name shares are signed with: `share_as` from the config, made safe for a path; else
    a pseudonym chosen once for this person and kept in coach's state folder."""
    if share_as:
        name = re.sub(r"[^a-z0-9]+", "-", share_as.lower()).strip("-")
        if not name:
            raise CoachError(f"share_as '{share_as}' has no letter or digit to name a folder by.")
        return name[:40]
    from servicecoach.storage import ensure_dir, write_exclusive

    kept = state_folder / "share-as"
    try:
        return kept.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        pass
    ensure_dir(state_folder)
    with contextlib.suppress(FileExistsError):  # another coach chose one just now: that one
        write_exclusive(kept, f"rep-{secrets.token_hex(3)}\n".encode())
    return kept.read_text(encoding="ascii").strip()


TEAM_SETTINGS = ".coach-team.yaml"
"""A team folder's own settings, written by its lead (hidden: never read as a share)."""


def team_settings(folder: Path) -> dict[str, Any]:
    """What the team has opted into (`time_of_day: true`: shares carry the time of day, not
    only the day); a sentence with its line for anything else."""
    from servicecoach.errors import PlaybookInvalid
    from servicecoach.places import MAX_YAML_BYTES, read_at_most
    from servicecoach.yamldata import read_yaml

    path = folder / TEAM_SETTINGS
    try:
        raw = read_at_most(path, MAX_YAML_BYTES)
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise CoachError(f"Cannot read {path}: {error.strerror}.") from None
    try:
        data, located = read_yaml(raw, str(path), "team settings file")
    except PlaybookInvalid as error:
        raise CoachError(str(error.problems[0])) from None
    if not isinstance(data, dict):
        raise CoachError(f"{path}:1:1: the team settings are a mapping (time_of_day: true)")
    for key, value in data.items():
        line, column = located.position((key,), key=True)
        if key != "time_of_day":
            raise CoachError(f"{path}:{line}:{column}: unknown key '{key}' (known: time_of_day)")
        if not isinstance(value, bool):
            raise CoachError(f"{path}:{line}:{column}: 'time_of_day' is true or false")
    return data


def share_record(
    entry: Entry,
    playbook: Playbook | None,
    author: str,
    *,
    with_notes: bool = False,
    time_of_day: bool = False,
) -> dict[str, Any]:
    """What is shared of a reflection (docs/team-sharing.md): facts, statuses and ratings,
    the answers to choice, scale, yes/no and checklist questions; free text only
    `with_notes`, masked."""
    kinds = {q.id: q.kind for q in playbook.questions()} if playbook is not None else {}

    def without_text(section: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Status and rating of each; the answer only where it is a choice, a number, yes or
        no or ticks (a question of another kind, or of a playbook not at hand, gives none)."""
        shared = {}
        for key, record in section.items():
            kept = {k: v for k, v in record.items() if k in ("status", "rating")}
            if kinds.get(key, "note") != "note" and "answer" in record:
                kept["answer"] = record["answer"]
            shared[key] = kept
        return shared

    steps, wrap_up = without_text(entry.steps), without_text(entry.wrap_up)
    promises = [f.get("status") or "open" for f in entry.follow_ups]
    record: dict[str, Any] = {
        "format": FORMAT,
        "author": author,
        "session": entry.session,
        "playbook": entry.playbook,
        "playbook_version": entry.playbook_version,
        "playbook_hash": entry.playbook_hash,
        "mode": entry.mode,
        "audience": entry.audience,
        "date": entry.when.date().isoformat(),
        **({"time": entry.when.strftime("%H:%M")} if time_of_day else {}),
        "duration_s": entry.duration_s,
        "outcome": entry.outcome,
        "rating": entry.rating,
        "tags": entry.tags,
        "skipped": entry.skipped,
        "steps": steps,
        "wrap_up": wrap_up,
        "follow_ups": {status: promises.count(status) for status in ("open", "done", "dropped")},
    }
    if with_notes:
        record["notes"] = {key: masked(text) for key, text in entry.answers()}
    return record


def share_text(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=1) + "\n"


def share_path(folder: Path, author: str, entry: Entry) -> Path:
    """Where a reflection's share file goes: by author, then month, then its name."""
    stem = Path(entry.path).stem
    return folder / author / entry.when.strftime("%Y-%m") / f"{stem}.json"
