"""`coach followups` on screen: one row per promise, when it is due in words first."""

from __future__ import annotations

import datetime as dt
import json

from rich.console import Group
from rich.text import Text

from servicecoach.journal.followups import Promise, due_in_words
from servicecoach.text import json_safe, plain
from servicecoach.ui import console
from servicecoach.ui.journal_views import aligned


def show_follow_ups(found: list[Promise], now: dt.datetime, as_json: bool) -> None:
    """Each follow-up: when, what was promised, to whom (the reflection's title, audience and
    tags), and the reference `coach followups done` takes."""
    if as_json:
        for promise in found:
            record = promise.record(now)
            console.data(json_safe(json.dumps(record, ensure_ascii=False)) + "\n")
        return
    if not found:
        console.line("No open follow-ups.")
        return
    header = [Text(name, style="bold") for name in ("when", "ref", "to whom", "promised")]
    rows = [header]
    for promise in found:
        entry = promise.entry
        whom = " · ".join(
            part for part in (entry.title or entry.playbook, entry.audience or "",
                              ", ".join(entry.tags)) if part
        )  # fmt: skip
        when = due_in_words(promise, now)
        style = "red" if when.startswith("overdue") else ""
        rows.append([plain(when, style), plain(promise.ref), plain(whom, "dim"),
                     plain(promise.what)])  # fmt: skip
    # aligned lines, not Rich's table layout (which took longer than all the rest); what was
    # promised comes last, so a long one runs on without pushing the ref (what `done` needs)
    console.show_table(Group(*aligned(rows, set())))
