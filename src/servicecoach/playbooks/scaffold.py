"""`coach playbooks new`: a valid, commented starter playbook, or a copy under a new id."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from servicecoach.errors import CoachError
from servicecoach.places import COMMAND_NAMES, MAX_YAML_BYTES, read_whole
from servicecoach.playbooks.catalog import Catalog
from servicecoach.playbooks.model import is_slug
from servicecoach.storage import write_exclusive

SCHEMA_FILE = "playbook.schema.json"
SCHEMA_LINE = f"# yaml-language-server: $schema={SCHEMA_FILE}\n"

STARTER = """\
{schema_line}# {title}: a starter playbook; change every line to fit your team.
# Every key is described in docs/playbook-format.md (or run: coach playbooks schema).
# Check it before you share it: coach playbooks validate --strict {file_name}
title: {title}
version: 1
summary: When to use this playbook, in one or two sentences.
source: Written by our team.
audiences: [customer, coworker, supervisor]
modes: [live, recall]

steps:
  - id: listen
    title: Listen
    say: ["Tell me what happened.", "Take your time; I'm listening."]
    do: Let them finish before you answer.
    tip: Note their own words, not your summary.
    ask: Their words
    recall: What did they say, in their words?
    wording:
      supervisor:
        say: Walk me through what you need.

  - id: resolve
    title: Resolve
    kind: choice
    options: [fixed it, found someone who can, follow-up needed]
    say: Here is what I can do right now.
    do: Offer one concrete next step, then do it.
    tip: Promise only what you can deliver.
    ask: What happened next?
    recall: How was it resolved?

  - id: follow-up
    title: Follow up
    when: {{step: resolve, equals: follow-up needed}}
    say: I'll get back to you by tomorrow noon.
    do: Name a time, and put it in your calendar now.
    ask: When?
    recall: When did you promise to get back to them?

  - id: calm
    title: Stay calm
    kind: scale
    do: Breathe out slowly before you answer a sharp remark.
    ask: How calm are you, 1-5?
    recall: How calm were you, 1-5?

wrap_up:
  - id: lesson
    ask: What will you do differently next time?
    optional: true
"""


def default_folder(catalog: Catalog) -> Path:
    """The first team folder, else the user's own playbook folder."""
    for origin, folder in catalog.folders:
        if origin == "team":
            return folder
    return next(folder for origin, folder in catalog.folders if origin == "user")


def new_playbook(catalog: Catalog, playbook_id: str, source: str | None, folder: Path) -> Path:
    if not is_slug(playbook_id):
        raise CoachError(
            f"'{playbook_id}' is not a valid id: use lowercase letters, digits and dashes."
        )
    if playbook_id in COMMAND_NAMES:
        raise CoachError(f"'{playbook_id}' is one of coach's commands; choose another id.")
    path = folder / f"{playbook_id}.yaml"
    if source is None:
        title = playbook_id.replace("-", " ").capitalize()
        text = STARTER.format(schema_line=SCHEMA_LINE, title=title, file_name=path.name)
    else:
        text = _copy(_read(catalog.find(source).path), playbook_id)
    try:
        write_exclusive(path, text.encode())
    except FileExistsError:
        raise CoachError(f"{path} already exists; it was not overwritten.") from None
    schema = folder / SCHEMA_FILE
    if not schema.exists():
        from servicecoach.playbooks.schema import schema_text

        with contextlib.suppress(FileExistsError):
            write_exclusive(schema, schema_text().encode())
    return path


def _read(path: Path) -> str:
    """A playbook to copy, no larger than a playbook may be."""
    try:
        return read_whole(path, MAX_YAML_BYTES).decode("utf-8")
    except (OSError, ValueError) as error:
        raise CoachError(f"Cannot copy {path}: {error}.") from None


def _copy(text: str, playbook_id: str) -> str:
    """An existing playbook's text under a new id: its own `id:` line (if any) follows the
    new file name, and its schema comment points at the schema beside it."""
    text = re.sub(r"(?m)^id:[^\n]*$", f"id: {playbook_id}", text, count=1)
    text = re.sub(r"(?m)^# yaml-language-server: \$schema=[^\n]*\n", "", text, count=1)
    return SCHEMA_LINE + text
