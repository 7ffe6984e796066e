"""Reflections as data for other tools: one flat record each (`--json`, CSV), the whole entries
as JSON, or markdown to hand to a lead.

An export is written as it is read, a page of entries at a time, so that a team's years of
reflections never sit in memory at once; the bytes are those of the whole document made at
once (`json.dumps(records, indent=1)`, which `indented` writes twice as fast).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from servicecoach.engine.answers import answer_text
from servicecoach.errors import CoachError
from servicecoach.journal.entry import Entry, minute, reflections
from servicecoach.journal.index import Filters, JournalIndex
from servicecoach.text import json_safe, visible

FORMATS = ("csv", "json", "markdown")
CHUNK = 200
"""Entries per piece of text handed on."""


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


def export(
    index: JournalIndex,
    filters: Filters,
    fmt: str,
    names: Callable[[str], dict[str, str]] = lambda playbook: {},
) -> Iterator[str]:
    """The matching entries, oldest first, in `fmt` (csv, json or markdown), piece by piece.
    Markdown, for people, names each question by `names(playbook)` (id -> title), where known."""
    if fmt not in FORMATS:
        raise CoachError(f"Unknown format '{fmt}'; choose one of: {', '.join(FORMATS)}.")
    entries = index.each(filters, oldest_first=True)
    if fmt == "csv":
        return _csv(entries)
    if fmt == "json":
        return _json(entries)
    return _markdown(entries, index.count(filters), index.span(filters), names)


def _chunks(entries: Iterable[Entry]) -> Iterator[list[Entry]]:
    iterator = iter(entries)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def _csv(entries: Iterable[Entry]) -> Iterator[str]:
    buffer = io.StringIO()
    columns = list(row(Entry(playbook="", started=dt.datetime.now())).keys())
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    for chunk in _chunks(entries):
        for entry in chunk:
            record = row(entry)
            record["tags"] = ";".join(entry.tags)
            record["skipped"] = ";".join(entry.skipped)
            writer.writerow(record)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # the header of an empty export
        yield buffer.getvalue()


def _json(entries: Iterable[Entry]) -> Iterator[str]:
    opened = False
    for chunk in _chunks(entries):
        parts: list[str] = []
        for entry in chunk:
            parts.append(",\n " if opened else "[\n ")
            opened = True
            indented(entry.record(), "\n ", parts)
        yield json_safe("".join(parts))
    yield "\n]\n" if opened else "[]\n"


def indented(value: Any, pad: str, out: list[str]) -> None:
    """`value` as `json.dumps(value, ensure_ascii=False, indent=1)` writes it at the depth
    `pad` ("\\n" and one space a level) into `out`: the same bytes, without the pure-Python
    encoder that `indent` makes `json` use."""
    kind = type(value)
    if kind is dict:
        if not value:
            out.append("{}")
            return
        inner = pad + " "
        separator = "{" + inner
        for key, item in value.items():
            out += (separator, encode_basestring(key), ": ")
            indented(item, inner, out)
            separator = "," + inner
        out += (pad, "}")
    elif kind is list:
        if not value:
            out.append("[]")
            return
        inner = pad + " "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            indented(item, inner, out)
            separator = "," + inner
        out += (pad, "]")
    elif kind is str:
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif kind is bool:
        out.append("true" if value else "false")
    elif kind is int:
        out.append(int.__repr__(value))
    else:  # a float (json's own form, `NaN` too), or what a record cannot hold: json decides
        out.append(json.dumps(value, ensure_ascii=False))


def _markdown(
    entries: Iterable[Entry],
    count: int,
    span: tuple[str, str] | None,
    names: Callable[[str], dict[str, str]],
) -> Iterator[str]:
    known: dict[str, dict[str, str]] = {}
    lines = ["# Journal export", ""]
    if span is not None:
        lines += [f"{reflections(count)}, {span[0]} to {span[1]}.", ""]
    first = True
    for chunk in _chunks(entries):
        for entry in chunk:
            heading = f"## {minute(entry.when)} · {visible(entry.title or entry.playbook)}"
            lines += [heading, ""]
            lines += [visible(entry.summary()), ""]
            if entry.playbook not in known:
                known[entry.playbook] = names(entry.playbook)
            titles = known[entry.playbook]
            for key, record in {**entry.steps, **entry.wrap_up}.items():
                text = answer_text(record.get("answer"))
                status = record.get("status")
                shown = text if text else ("skipped" if status == "skipped" else "")
                if shown:
                    name = visible(titles.get(key) or key)
                    lines.append(f"- **{name}**: {visible(shown).replace(chr(10), ' ')}")
            lines.append("")
        yield ("" if first else "\n") + "\n".join(lines)
        first, lines = False, []
    if first:
        yield "\n".join(lines)
