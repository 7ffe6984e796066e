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
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

from servicecoach.engine.answers import answer_text
from servicecoach.errors import CoachError
from servicecoach.journal.entry import DamagedRecord, Entry, html_safe, minute, reflections
from servicecoach.journal.index import Filters, JournalIndex
from servicecoach.text import json_safe, visible
from servicecoach.workers import ordered

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
    return _pieces(index, filters, fmt, names)


def _pieces(
    index: JournalIndex, filters: Filters, fmt: str, names: Callable[[str], dict[str, str]]
) -> Iterator[str]:
    count = index.count(filters)
    titles = {}
    if fmt == "markdown":
        titles = {playbook: names(playbook) for playbook in sorted(index.known("playbook"))}
    if head := _head(fmt, count, index.span(filters)):
        yield head
    pages = index.pages(filters, oldest_first=True)
    jobs = ((fmt, titles, after, raws) for after, raws in pages)
    texts = ordered(_page_text, jobs, spread=count >= SPREAD_FROM)
    written = False
    for after, text in texts:
        if text is None:  # a damaged record: the page again, from the mended cache
            entries = index.page(filters, True, after)
            text = _FORMATTERS[fmt](entries, titles)
        if text:
            yield _BETWEEN[fmt][written] + text
            written = True
    if fmt == "json":
        yield "\n]\n" if written else "[]\n"


SPREAD_FROM = 5000
"""Entries from which an export is formatted in worker processes, a page each."""

_BETWEEN = {"csv": ("", ""), "json": ("[\n ", ",\n "), "markdown": ("\n", "\n")}
"""What goes before the first page's text, and before each later page's."""

Job = tuple[str, dict[str, dict[str, str]], Any, list[str]]


def _page_text(job: Job) -> tuple[Any, str | None]:
    """A page of entries (as the cache keeps them) in the format, or None if the page holds a
    damaged record; with the key it starts after, to read it again."""
    fmt, titles, after, raws = job
    try:
        entries = [Entry.from_json(raw) for raw in raws]
    except DamagedRecord:
        return after, None
    return after, _FORMATTERS[fmt](entries, titles)


def _head(fmt: str, count: int, span: tuple[str, str] | None) -> str:
    if fmt == "csv":
        return _csv_text([row(Entry(playbook="", started=dt.datetime.now()))])
    if fmt == "markdown":
        heading = "# Journal export\n"
        return heading + (f"\n{reflections(count)}, {span[0]} to {span[1]}.\n" if span else "")
    return ""


def _csv_page(entries: list[Entry], titles: Any) -> str:
    return _csv_text(_csv_record(entry) for entry in entries)


def _csv_record(entry: Entry) -> Iterable[Any]:
    record = row(entry)
    record["tags"] = ";".join(entry.tags)
    record["skipped"] = ";".join(entry.skipped)
    return record.values()


def _csv_text(records: Iterable[Iterable[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    return buffer.getvalue()


def _json_page(entries: list[Entry], titles: Any) -> str:
    parts: list[str] = []
    for entry in entries:
        if parts:
            parts.append(",\n ")
        indented(entry.record(), "\n ", parts)
    return json_safe("".join(parts))


def _markdown_page(entries: list[Entry], titles: dict[str, dict[str, str]]) -> str:
    lines: list[str] = []
    for entry in entries:
        heading = f"## {minute(entry.when)} · {html_safe(visible(entry.title or entry.playbook))}"
        lines += [heading, "", visible(entry.summary()), ""]
        names = titles.get(entry.playbook, {})
        for key, record in {**entry.steps, **entry.wrap_up}.items():
            text = answer_text(record.get("answer"))
            shown = text if text else ("skipped" if record.get("status") == "skipped" else "")
            if shown:
                name = html_safe(visible(names.get(key) or key))
                lines.append(f"- **{name}**: {html_safe(visible(shown).replace(chr(10), ' '))}")
        lines.append("")
    return "\n".join(lines)


_FORMATTERS: dict[str, Callable[[list[Entry], Any], str]] = {
    "csv": _csv_page,
    "json": _json_page,
    "markdown": _markdown_page,
}


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
