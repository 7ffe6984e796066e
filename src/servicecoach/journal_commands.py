"""What each `coach journal ...` command does, between parsing (cli.py) and the core."""

from __future__ import annotations

import csv
import datetime as dt
import glob
import io
import json
import os
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from servicecoach.config import resolve_paths
from servicecoach.entry import Entry, NotAReflection, answer_text
from servicecoach.errors import CoachError
from servicecoach.journal_index import Filters, JournalIndex, SyncReport, cache_file, read_file
from servicecoach.sanitize import visible

if TYPE_CHECKING:
    from servicecoach.stats import Stats


@dataclass
class Journal:
    folder: Path
    index: JournalIndex
    report: SyncReport


def open_journal(journal: Path | None) -> Journal:
    paths = resolve_paths(journal=journal)
    folder = paths.journal
    if folder.exists() and not folder.is_dir():
        raise CoachError(f"The journal {folder} is a file, not a folder.")
    index = JournalIndex(folder, cache_file(paths.cache, folder))
    try:
        return Journal(folder, index, index.sync())
    except sqlite3.Error:  # locked for too long, disk full, damaged: answer from memory
        index.close()
        index = JournalIndex(folder, None)
        return Journal(folder, index, index.sync())


def warn_skipped(report: SyncReport) -> None:
    if report.skipped:
        noun = "file" if report.skipped == 1 else "files"
        print(f"{report.skipped} {noun} skipped: run coach journal check", file=sys.stderr)


def first_words(entry: Entry, width: int = 60) -> str:
    text = " · ".join(text.replace("\n", " ") for _, text in entry.answers())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


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


def list_entries(journal: Path | None, filters: Filters, limit: int, as_json: bool) -> None:
    opened = open_journal(journal)
    ranked = opened.index.ranked(filters, limit)
    entries = [entry for _, entry in ranked]
    if as_json:
        for entry in entries:
            print(json.dumps(row(entry), ensure_ascii=False))
    else:
        from servicecoach.journal_views import entry_table, out

        total = opened.index.count(filters)
        if entries:
            console = out()
            console.print(entry_table(ranked, first_words, console.width))
            if total > len(entries):
                print(f"({len(entries)} of {total}; -n to see more)")
        else:
            print("No reflections match." if total == 0 and _any(filters) else "No reflections.")
    warn_skipped(opened.report)


def _any(filters: Filters) -> bool:
    return any(value is not None for value in vars(filters).values())


def recent_refs(journal: Path | None, count: int) -> list[tuple[str, str]]:
    """(file name without .md, "date playbook") of the newest reflections, for completion."""
    opened = open_journal(journal)
    return [
        (Path(entry.path).stem, f"{entry.when:%Y-%m-%d %H:%M} {entry.playbook}")
        for entry in opened.index.entries(Filters(), count)
    ]


def resolve_ref(opened: Journal, ref: str) -> Path:
    """`last`, a list number (1 = newest), a file name or stem, or a path."""
    if ref in ("last", "latest"):
        ref = "1"
    if ref.isdecimal() and ref.isascii():
        number = int(ref)
        entries = opened.index.entries(Filters(), number)
        if number < 1 or len(entries) < number:
            count = opened.index.count(Filters())
            raise CoachError(f"There is no reflection number {ref}; the journal has {count}.")
        return opened.folder / entries[number - 1].path
    direct = Path(ref).expanduser()
    if direct.is_file():
        return direct
    name = ref if ref.endswith(".md") else f"{ref}.md"
    if "/" in name or os.sep in name:
        raise CoachError(f"No reflection at {ref}.")
    for path in sorted(opened.folder.rglob(glob.escape(name))):
        if not any(part.startswith(".") for part in path.relative_to(opened.folder).parts):
            return path
    raise CoachError(
        f"No reflection '{ref}'; use last, a number from 'coach journal list', or a file name."
    )


def show_entry(journal: Path | None, ref: str, raw: bool) -> None:
    opened = open_journal(journal)
    path = resolve_ref(opened, ref)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CoachError(f"Cannot read {path}: {error}") from None
    if raw:
        sys.stdout.write(visible(text))
        return
    from servicecoach.journal_views import entry_view, out

    try:
        entry = read_file(path, str(path))
    except NotAReflection as problem:
        raise CoachError(f"{path} is not a reflection: {problem}.") from None
    out().print(entry_view(entry, path, text))


def edit_entry(journal: Path | None, ref: str) -> None:
    from servicecoach.editor import open_in_editor

    opened = open_journal(journal)
    path = resolve_ref(opened, ref)
    open_in_editor(path)
    try:
        read_file(path, str(path))
    except NotAReflection as problem:
        raise CoachError(
            f"{path}: {problem}. The journal will skip this file until it is fixed."
        ) from None
    print(f"Checked: {path}")


def search_entries(
    journal: Path | None, words: list[str], filters: Filters, limit: int, as_json: bool
) -> None:
    opened = open_journal(journal)
    terms = [w for text in words for w in text.split() if w.strip()]
    if not terms:
        raise CoachError("Give one or more words to search for.")
    entries, total = opened.index.search(terms, filters, limit)
    if as_json:
        for entry in entries:
            print(json.dumps(row(entry), ensure_ascii=False))
    elif entries:
        from servicecoach.journal_views import out, search_results

        out().print(search_results(entries, terms))
        if total > len(entries):
            print(f"({len(entries)} best of {total} matches; -n to see more)")
    else:
        print(f"No reflection mentions {' '.join(terms)}.")
    warn_skipped(opened.report)


def show_stats(journal: Path | None, filters: Filters, as_json: bool, today: dt.date) -> None:
    from servicecoach.stats import compute

    opened = open_journal(journal)
    stats = compute(opened.index, filters, today)
    _name_steps(stats)
    if as_json:
        print(stats.model_dump_json(indent=2))
    else:
        from servicecoach.journal_views import out, stats_view

        out().print(stats_view(stats))
    warn_skipped(opened.report)


def _name_steps(stats: Stats) -> None:
    """Give skipped steps their titles from the playbooks, where those still load."""
    from servicecoach.catalog import Catalog

    catalog = Catalog.from_paths(resolve_paths())
    titles: dict[str, dict[str, str]] = {}
    for skip in stats.skipped:
        if skip.playbook not in titles:
            try:
                playbook = catalog.load(skip.playbook)
                titles[skip.playbook] = {
                    q.id: getattr(q, "title", q.id) for q in playbook.questions()
                }
            except CoachError:
                titles[skip.playbook] = {}
        skip.title = titles[skip.playbook].get(skip.step)


EXPORT_FORMATS = ("csv", "json", "markdown")


def export_entries(journal: Path | None, filters: Filters, fmt: str, out_file: Path | None) -> None:
    if fmt not in EXPORT_FORMATS:
        raise CoachError(f"Unknown format '{fmt}'; choose one of: {', '.join(EXPORT_FORMATS)}.")
    opened = open_journal(journal)
    entries = opened.index.entries(filters, oldest_first=True)
    text = {"csv": _csv, "json": _json, "markdown": _markdown}[fmt](entries)
    if out_file is None:
        sys.stdout.write(text)
    else:
        from servicecoach.storage import write_atomic

        write_atomic(out_file, text.encode())
        print(f"Exported {len(entries)} reflections to {out_file}", file=sys.stderr)
    warn_skipped(opened.report)


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
    records = [entry.model_dump(mode="json") for entry in entries]
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def _markdown(entries: list[Entry]) -> str:
    lines = ["# Journal export", ""]
    if entries:
        first, last = entries[0].when.date(), entries[-1].when.date()
        lines += [f"{len(entries)} reflections, {first} to {last}.", ""]
    for entry in entries:
        heading = f"## {entry.when:%Y-%m-%d %H:%M} · {visible(entry.title or entry.playbook)}"
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


def check_journal(journal: Path | None) -> bool:
    opened = open_journal(journal)
    report = opened.report
    total = opened.index.count(Filters())
    for path, problem in report.problems:
        print(visible(f"{opened.folder / path}: {problem}"))
    if report.problems:
        print(f"{report.skipped} of {total + report.skipped} files are not readable reflections.")
        return False
    print(f"All {total} reflections are readable." if total else "The journal is empty.")
    return True
