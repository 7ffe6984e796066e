"""`coach followups` on screen: one row per promise, when it is due in words first."""

from __future__ import annotations

import datetime as dt
import json

from rich.table import Table

from servicecoach.journal.followups import Promise, due_in_words
from servicecoach.text import json_safe, plain
from servicecoach.ui import console


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
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for name in ("when", "promised", "to whom", "ref"):
        table.add_column(name)
    table.columns[0].no_wrap = True
    table.columns[3].no_wrap = True  # what `done` needs: never cut
    for promise in found:
        entry = promise.entry
        whom = " · ".join(
            part for part in (entry.title or entry.playbook, entry.audience or "",
                              ", ".join(entry.tags)) if part
        )  # fmt: skip
        when = due_in_words(promise, now)
        style = "red" if when.startswith("overdue") else ""
        table.add_row(plain(when, style), plain(promise.what), plain(whom, "dim"),
                      plain(promise.ref))  # fmt: skip
    console.show_table(table)
