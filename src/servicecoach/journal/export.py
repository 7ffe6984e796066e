"""Reflections as data for other tools: one flat record each (`--json`, CSV), the whole entries
as JSON, or markdown to hand to a lead."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from servicecoach.engine.answers import answer_text
from servicecoach.errors import CoachError
from servicecoach.journal.entry import Entry, minute, reflections
from servicecoach.text import json_safe, visible

FORMATS = ("csv", "json", "markdown")


def row(entry: Entry) -> dict[str, Any]:
    """One reflection as a flat record: for `list --json` and the CSV export."""
    return {
        "path": entry.path,
        "date": entry.when.isoformat(timespec="minutes"),
        "playbook": entry.playbook,
        "title": entry.title,
        "mode": entry.mode,
        "audience": entry.audience,
        "outcome": entry.outcome,
        "rating": entry.rating,
        "tags": entry.tags,
        "skipped": entry.skipped,
        "duration_s": entry.duration_s,
        "notes": entry.notes(),
    }


def json_line(entry: Entry) -> str:
    """One reflection's flat record as one line of JSON."""
    return json_safe(json.dumps(row(entry), ensure_ascii=False))


def export(entries: list[Entry], fmt: str) -> str:
    """`entries` (oldest first) in `fmt`: csv, json or markdown."""
    if fmt not in FORMATS:
        raise CoachError(f"Unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}.")
    return {"csv": _csv, "json": _json, "markdown": _markdown}[fmt](entries)


def _csv(entries: list[Entry]) -> str:
    buffer = io.StringIO()
    columns = list(row(Entry(playbook="", started=dt.datetime.now())).keys())
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        record = row(entry)
        record["tags"] = ";".join(entry.tags)
        record["skipped"] = ";".join(entry.skipped)
        writer.writerow(record)
    return buffer.getvalue()


def _json(entries: list[Entry]) -> str:
    records = [entry.record() for entry in entries]
    return json_safe(json.dumps(records, ensure_ascii=False, indent=1)) + "\n"


def _markdown(entries: list[Entry]) -> str:
    lines = ["# Journal export", ""]
    if entries:
        first, last = entries[0].when.date(), entries[-1].when.date()
        lines += [f"{reflections(len(entries))}, {first.isoformat()} to {last.isoformat()}.", ""]
    for entry in entries:
        heading = f"## {minute(entry.when)} · {visible(entry.title or entry.playbook)}"
        lines += [heading, ""]
        lines += [visible(entry.summary()), ""]
        for key, record in {**entry.steps, **entry.wrap_up}.items():
            text = answer_text(record.get("answer"))
            status = record.get("status")
            shown = text if text else ("skipped" if status == "skipped" else "")
            if shown:
                lines.append(f"- **{visible(key)}**: {visible(shown).replace(chr(10), ' ')}")
        lines.append("")
    return "\n".join(lines)
