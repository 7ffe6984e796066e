"""The journal on screen: the list, one reflection, search hits, statistics, the check, and
the same as JSON lines for scripts."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from servicecoach.journal.entry import Entry, as_typed, minute, reflections, split_text
from servicecoach.journal.export import json_line
from servicecoach.journal.index import Filters, Journal, SyncReport
from servicecoach.text import json_safe, plain, visible
from servicecoach.ui import console

if TYPE_CHECKING:
    from servicecoach.journal.stats import Kept, Stats

BAR = "█"
SPARK = " ▁▂▃▄▅▆▇█"


def first_words(entry: Entry, width: int = 60) -> str:
    text = " · ".join(text.replace("\n", " ") for _, text in entry.answers())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def entry_table(
    ranked: list[tuple[int, Entry]], notes: Callable[[Entry, int], str], width: int
) -> Table:
    """One row per reflection; # is its number for `coach journal show`. The facts keep their
    full width; the notes get what is left of the terminal's `width`."""
    entries = [entry for _, entry in ranked]
    rows = [
        [
            str(number),
            minute(entry.when),
            visible(entry.playbook),
            visible(entry.mode or ""),
            visible(entry.audience or ""),
            visible(entry.outcome or ""),
            str(entry.rating or ""),
        ]
        for number, entry in ranked
    ]
    headers = ["#", "date", "playbook", "mode", "audience", "outcome", "★"]
    widths = [max(len(header), *(len(row[i]) for row in rows)) for i, header in enumerate(headers)]
    shown = list(range(len(headers)))
    for dropped in _NARROW_DROPS:  # too narrow for every column: the least needed go first
        if sum(widths[i] + 1 for i in shown) + _NOTES_MIN <= width:
            break
        shown.remove(headers.index(dropped))
    room = max(_NOTES_MIN, width - sum(widths[i] + 1 for i in shown))
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 1, 0, 0))
    for i in shown:
        justify = "right" if headers[i] in ("#", "★") else "left"
        table.add_column(headers[i], no_wrap=True, width=widths[i], justify=justify)
    table.add_column("notes", no_wrap=True, overflow="ellipsis", max_width=room)
    table.columns[0].style = "dim"
    for row, entry in zip(rows, entries, strict=True):
        table.add_row(*[Text(row[i]) for i in shown], plain(notes(entry, room)))
    return table


_NARROW_DROPS = ("audience", "mode", "outcome")
"""Columns `journal list` leaves out, in this order, where the terminal is too narrow; `#`
(what `journal show` takes), the date and the playbook always stay."""
_NOTES_MIN = 12


def entry_view(entry: Entry, path: Path, text: str) -> RenderableType:
    _, body = split_text(text)
    header = Text(visible(entry.summary(with_date=True)), style="dim")
    return Group(Text(visible(str(path)), style="dim"), header, Text(""), body_view(body))


_CUE = re.compile(r"> \*\*(\w+):\*\* (.*?) *$")


def body_view(body: str) -> Text:
    """A reflection's body with its own markup as styles, and every answer as it was typed:
    never rendered as Markdown (a link would hide its target, `<angry>` would vanish, `2*3*4`
    would turn italic, line breaks would merge). Headings and cue lines are the writer's own;
    an answer's lines cannot look like them (`reflection._block_safe`)."""
    shown = Text()
    for line in body.splitlines():
        cue = _CUE.fullmatch(line)
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            shown.append_text(plain(line[level:].strip(), "bold" if level == 1 else "bold cyan"))
        elif cue is not None:
            shown.append_text(Text.assemble(plain(f"{cue[1]}: ", "cyan"), plain(cue[2], "dim")))
        elif len(line) > 2 and line[0] == line[-1] == "*" and line[1] != "*":
            shown.append_text(plain(line, "italic"))
        else:
            shown.append_text(plain(as_typed(line.removesuffix("  "))))  # less the line break
        shown.append("\n")
    shown.rstrip()
    return shown


def search_results(entries: list[Entry], words: list[str]) -> RenderableType:
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    parts: list[RenderableType] = []
    for entry in entries:
        title = Text.assemble(
            (f"{minute(entry.when)} ", "bold"),
            plain(entry.playbook, "cyan"),
            (f"  {visible(entry.path)}", "dim"),
        )
        parts.append(title)
        for key, answer in entry.answers():
            for line in answer.splitlines():
                if pattern.search(line):
                    shown = plain(f"  {key}: {line}")
                    shown.highlight_regex(pattern, style="bold reverse")
                    parts.append(shown)
        if any(pattern.search(tag) for tag in entry.tags):
            shown = plain(f"  tags: {', '.join(entry.tags)}")
            shown.highlight_regex(pattern, style="bold reverse")
            parts.append(shown)
        parts.append(Text(""))
    return Group(*parts)


def aligned(rows: list[list[Text]], right: set[int], gap: str = "  ") -> list[Text]:
    """Rows of cells as lines, each column as wide as its widest cell (in terminal cells),
    right-aligned where asked: the stats' small tables, without Rich's table layout (which
    costs more than computing the stats)."""
    widths = [max(row[i].cell_len for row in rows) for i in range(len(rows[0]))] if rows else []
    lines = []
    for row in rows:
        line = Text()
        for number, (cell, width) in enumerate(zip(row, widths, strict=True)):
            room = " " * (width - cell.cell_len)
            if number:
                line.append(gap)
            if number in right:
                line.append(room)
                line.append_text(cell)
            else:
                line.append_text(cell)
                if number < len(widths) - 1:
                    line.append(room)
        lines.append(line)
    return lines


def _counts(title: str, counts: dict[str, int]) -> list[Text]:
    rows = [[plain(name), Text(str(count))] for name, count in counts.items()]
    return [Text(title, style="italic"), *aligned(rows, {1}, " ")]


def _spark(values: list[int]) -> str:
    return "".join(SPARK[min(8, max(1, round(v * 8 / 5)))] for v in values)


def _side_by_side(blocks: list[list[Text]], width: int) -> list[Text]:
    """Blocks of lines next to each other, four apart, as many to a row as `width` holds."""
    for per_row in (len(blocks), 2, 1):
        lines: list[Text] = []
        for start in range(0, len(blocks), per_row):
            row = blocks[start : start + per_row]
            height = max(len(block) for block in row)
            columns = [[*block, *[Text("")] * (height - len(block))] for block in row]
            if lines:
                lines.append(Text(""))
            lines += aligned([list(cells) for cells in zip(*columns, strict=True)], set(), "    ")
        if per_row == 1 or max(line.cell_len for line in lines) <= width:
            break
    for line in lines:
        line.rstrip()  # the padding of a block with nothing beside it
    return lines


def stats_view(stats: Stats, width: int = 80) -> RenderableType:
    if stats.total == 0:
        return Text("No reflections yet: run a playbook, e.g. coach apology.")
    parts: list[RenderableType] = [Text(reflections(stats.total), style="bold")]

    parts.append(Text("Per week", style="italic"))
    peak = max((w.count for w in stats.weeks), default=0) or 1
    for week in stats.weeks:
        bar = BAR * max(0, round(week.count * 30 / peak))
        day = (week.start.isoformat(), "dim")
        parts.append(Text.assemble(" ", day, "  ", (bar, "cyan"), f" {week.count}"))

    blocks = [
        _counts("Playbook", stats.by_playbook),
        _counts("Mode", stats.by_mode),
        _counts("Audience", stats.by_audience),
        _counts("Outcome", stats.by_outcome),
    ]
    parts += [Text(""), *_side_by_side(blocks, width)]

    if stats.trends:
        header = [
            "playbook",
            "rated",
            "average",
            f"last ratings ({_spark([1])}1-{_spark([5])}5)",
            "change",
        ]
        rows = [[Text(column, style="dim") for column in header]]
        for item in stats.trends:
            change = "" if item.change is None else f"{item.change:+.1f}"
            rows.append(
                [
                    plain(item.playbook),
                    Text(str(item.rated)),
                    Text(f"{item.average:.1f}"),
                    Text(_spark(item.recent)),
                    Text(change),
                ]
            )
        parts += [Text(""), Text("Self-rating", style="italic")]
        parts += [Text(" ") + line for line in aligned(rows, set())]

    if stats.skipped:
        parts += [Text(""), Text("Most skipped", style="italic")]
        for skip in stats.skipped:
            step, playbook = skip.title or skip.step, skip.playbook_title or skip.playbook
            times = (
                "skipped the only time"
                if skip.of_last == 1
                else f"skipped {skip.skipped} of the last {skip.of_last} times"
            )
            parts.append(plain(f"  {step} in {playbook}: {times}"))

    if dataclasses.astuple(stats.promises) != (0,) * 5:
        parts += [Text(""), Text("Promises (follow-ups)", style="italic")]
        parts.append(plain(f"  all: {_kept(stats.promises)}"))
        for playbook, tally in stats.promises_by_playbook.items():
            parts.append(plain(f"  {playbook}: {_kept(tally)}"))
        for week in stats.promises_by_week:
            parts.append(plain(f"  due the week of {week.start.isoformat()}: {_kept(week.kept)}"))

    streak = stats.daily_streak
    if streak.last_day is not None:
        parts += [
            Text(""),
            Text(
                f"Daily reflection streak: {streak.current} day(s) now, longest {streak.longest}"
                f" (last {streak.last_day})",
                style="bold",
            ),
        ]
    return Group(*parts)


def warn_skipped(report: SyncReport) -> None:
    if report.skipped:
        noun = "file" if report.skipped == 1 else "files"
        console.warn(f"{report.skipped} {noun} skipped: run coach journal check")


def show_list(journal: Journal, filters: Filters, limit: int, *, as_json: bool) -> None:
    """`coach journal list`: newest first, numbered as `journal show` understands."""
    ranked = journal.index.ranked(filters, limit)
    if as_json:
        for _, entry in ranked:
            console.data(json_line(entry) + "\n")
        return
    total = journal.index.count(filters)
    if ranked:
        console.show_table(entry_table(ranked, first_words, console.table_width()))
    if total > len(ranked):
        console.line(f"({len(ranked)} of {total}; -n to see more)")
    elif not ranked:
        filtered = filters != Filters()
        console.line("No reflections match." if filtered else "No reflections.")


def show_reflection(entry: Entry, path: Path, text: str) -> None:
    console.page(entry_view(entry, path, text))


def show_search(entries: list[Entry], total: int, words: list[str], *, as_json: bool) -> None:
    if as_json:
        for entry in entries:
            console.data(json_line(entry) + "\n")
    else:
        if entries:
            console.show(search_results(entries, words))
        if total > len(entries):
            console.line(f"({len(entries)} best of {total} matches; -n to see more)")
        elif not entries:
            console.line(f"No reflection mentions {' '.join(words)}.")


def _kept(tally: Kept) -> str:
    """`3 kept on time, 1 late, 2 open (1 overdue), 0 dropped`."""
    overdue = f" ({tally.overdue} overdue)" if tally.overdue else ""
    return (
        f"{tally.on_time} kept on time, {tally.late} late, {tally.open} open{overdue}, "
        f"{tally.dropped} dropped"
    )


def show_stats(stats: Stats, *, as_json: bool) -> None:
    if as_json:
        console.data(json_safe(stats.to_json()) + "\n")
    else:
        console.show(stats_view(stats, console.out().width))


def show_check(journal: Journal) -> bool:
    """`coach journal check`: every file that is not a readable reflection, and why, after a
    check of the cache itself (rebuilt from the files if damaged); True when all is well."""
    report = journal.report
    if not journal.index.check():
        console.line("The journal's cache was damaged; it has been rebuilt from the files.")
        report = journal.index.sync()
    total = journal.index.count(Filters())
    for path, problem in report.problems:
        console.line(f"{journal.folder / path}: {problem}")
    if report.problems:
        console.line(
            f"{report.skipped} of {total + report.skipped} files are not readable reflections."
        )
        return False
    if total:
        console.line(
            f"All {reflections(total)} are readable."
            if total > 1
            else "The reflection is readable."
        )
    else:
        console.line("The journal is empty.")
    return True
