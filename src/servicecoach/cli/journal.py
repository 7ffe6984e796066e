"""`coach journal ...`: list, show, edit, search, chart, export and check reflections."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from servicecoach.cli.options import (
    AudienceFilter,
    FormatChoice,
    JournalOption,
    JsonFlag,
    ModeFilter,
    OutcomeFilter,
    PlaybookFilter,
    Since,
    TagFilter,
    Until,
    catalog_of,
    filters,
    paths_of,
)
from servicecoach.errors import CoachError

if TYPE_CHECKING:
    from servicecoach.journal.index import Filters, Journal

app = typer.Typer(
    help="List, show, search, chart and export your reflections.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)


def opened(ctx: typer.Context, journal: Path | None) -> Journal:
    """The journal the options name, synced with its cache."""
    from servicecoach.journal.index import open_journal

    paths = paths_of(ctx, journal)
    return open_journal(paths.journal, paths.cache)


def filtered(ctx: typer.Context, journal: Path | None, chosen: Filters) -> Journal:
    """The journal, opened for `chosen`: a --playbook or --tag that nothing is called is a
    slip of the keyboard, said with the nearest names rather than shown as an empty list."""
    from servicecoach.journal.index import Filters

    found = opened(ctx, journal)
    index = found.index
    if chosen.playbook is not None and not index.count(Filters(playbook=chosen.playbook)):
        names = {*index.known("playbook"), *catalog_of(ctx).ids()}
        _nearest(chosen.playbook, names, "No playbook or reflection is called")
    if chosen.tag is not None and not index.count(Filters(tag=chosen.tag)):
        _nearest(chosen.tag, index.known("tags"), "No reflection is tagged")
    return found


def _nearest(value: str, names: set[str], nothing: str) -> None:
    import difflib

    from servicecoach.text import visible

    if value.lower() in {name.lower() for name in names}:
        return  # a playbook with no reflection yet: an empty list is the truth
    close = difflib.get_close_matches(value.lower(), sorted(names), n=3, cutoff=0.6)
    hint = f" Did you mean {' or '.join(repr(visible(c)) for c in close)}?" if close else ""
    raise CoachError(f"{nothing} '{visible(value)}'.{hint}")


@app.command("list")
def journal_list(
    ctx: typer.Context,
    since: Since = None,
    until: Until = None,
    playbook: PlaybookFilter = None,
    mode: ModeFilter = None,
    audience: AudienceFilter = None,
    tag: TagFilter = None,
    outcome: OutcomeFilter = None,
    count: Annotated[
        int, typer.Option("-n", "--count", metavar="N", min=0, help="How many, newest first.")
    ] = 20,
    as_json: JsonFlag = False,
    journal: JournalOption = None,
) -> None:
    """List reflections, newest first: date, playbook, mode, audience, outcome, rating, notes.

    Example: [bold]coach journal list --since 7d --playbook apology[/bold]
    """
    from servicecoach.ui.journal_views import show_list, warn_skipped

    chosen = filters(since, until, playbook, mode, audience, tag, outcome)
    found = filtered(ctx, journal, chosen)
    show_list(found, chosen, count, as_json=as_json)
    warn_skipped(found.report)


def _complete_ref(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """REF completion: `last`, then the newest reflections' file names with their playbook,
    from the journal the command line names (--journal) or the usual one."""
    from servicecoach import places
    from servicecoach.journal.refs import recent_refs
    from servicecoach.text import markup_safe

    try:
        recent = recent_refs(opened(ctx, ctx.params.get("journal")), 30)
    except CoachError:  # a journal that cannot be read: nothing to offer, no noise on the line
        recent = []
    choices = [("last", "the newest reflection"), *recent]
    return [  # shells show the help too (zsh, fish), after Typer reads it as markup
        (value, markup_safe(help_))
        for value, help_ in choices
        if value.startswith(incomplete) and places.can_be_typed(value)
    ]


RefArgument = Annotated[
    str,
    typer.Argument(
        metavar="REF",
        help="last, a number from list, a file name or path.",
        autocompletion=_complete_ref,
    ),
]


@app.command("show")
def journal_show(
    ctx: typer.Context,
    ref: RefArgument = "last",
    raw: Annotated[bool, typer.Option("--raw", help="Print the markdown file as it is.")] = False,
    journal: JournalOption = None,
) -> None:
    """Show one reflection in the terminal.

    Example: [bold]coach journal show 3[/bold]
    """
    from servicecoach.journal.refs import read_reflection, read_text, resolve_ref
    from servicecoach.ui.console import line
    from servicecoach.ui.journal_views import show_reflection

    found = opened(ctx, journal)
    path = resolve_ref(found, ref)
    if raw:
        line(read_text(path), end="")
    else:
        entry, text = read_reflection(found, path)
        show_reflection(entry, path, text)


@app.command("edit")
def journal_edit(
    ctx: typer.Context,
    ref: RefArgument = "last",
    journal: JournalOption = None,
) -> None:
    """Open a reflection in $VISUAL or $EDITOR, then check its front matter.

    Example: [bold]EDITOR=nano coach journal edit last[/bold]
    """
    from servicecoach.journal.refs import edit_reflection, resolve_ref
    from servicecoach.ui.console import line

    path = resolve_ref(opened(ctx, journal), ref)
    edit_reflection(path)
    line(f"Checked: {path}")


@app.command("search")
def journal_search(
    ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(metavar="WORDS", help="Words to look for.")],
    since: Since = None,
    until: Until = None,
    playbook: PlaybookFilter = None,
    mode: ModeFilter = None,
    audience: AudienceFilter = None,
    tag: TagFilter = None,
    outcome: OutcomeFilter = None,
    count: Annotated[
        int,
        typer.Option("-n", "--count", metavar="N", min=0, help="At most this many, best first."),
    ] = 20,
    as_json: JsonFlag = False,
    journal: JournalOption = None,
) -> None:
    """Find reflections whose answers or tags contain all the words, best matches first.

    Example: [bold]coach journal search refund --since 2026-11[/bold]
    """
    from servicecoach.ui.journal_views import show_search, warn_skipped

    chosen = filters(since, until, playbook, mode, audience, tag, outcome)
    found = filtered(ctx, journal, chosen)
    terms = [w for text in words for w in text.split() if w.strip()]
    if not terms:
        raise CoachError("Give one or more words to search for.")
    entries, total = found.index.search(terms, chosen, count)
    show_search(entries, total, terms, as_json=as_json)
    warn_skipped(found.report)


@app.command("stats")
def journal_stats(
    ctx: typer.Context,
    since: Since = None,
    until: Until = None,
    playbook: PlaybookFilter = None,
    mode: ModeFilter = None,
    audience: AudienceFilter = None,
    tag: TagFilter = None,
    outcome: OutcomeFilter = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the numbers as JSON.")] = False,
    journal: JournalOption = None,
) -> None:
    """Reflections per week, counts, self-rating trends, skipped steps, daily streak.

    Example: [bold]coach journal stats --since 3m[/bold]
    """
    from servicecoach.journal.stats import compute, name_skipped_steps
    from servicecoach.ui.journal_views import show_stats, warn_skipped

    chosen = filters(since, until, playbook, mode, audience, tag, outcome)
    found = filtered(ctx, journal, chosen)
    stats = compute(found.index, chosen, dt.date.today())
    name_skipped_steps(stats, catalog_of(ctx))
    show_stats(stats, as_json=as_json)
    warn_skipped(found.report)


@app.command("export")
def journal_export(
    ctx: typer.Context,
    fmt: Annotated[
        FormatChoice,
        typer.Option("--format", "-f", help="csv, json or markdown.", case_sensitive=False),
    ] = FormatChoice.csv,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="FILE", help="Write here instead of stdout."),
    ] = None,
    since: Since = None,
    until: Until = None,
    playbook: PlaybookFilter = None,
    mode: ModeFilter = None,
    audience: AudienceFilter = None,
    tag: TagFilter = None,
    outcome: OutcomeFilter = None,
    journal: JournalOption = None,
) -> None:
    """Export reflections, oldest first, one row (or section) each.

    Example: [bold]coach journal export --format markdown --since 1m -o month.md[/bold]
    """
    from servicecoach.journal.entry import reflections
    from servicecoach.journal.export import export
    from servicecoach.storage import write_output
    from servicecoach.ui.console import data, warn
    from servicecoach.ui.journal_views import warn_skipped

    chosen = filters(since, until, playbook, mode, audience, tag, outcome)
    found = filtered(ctx, journal, chosen)
    pieces = export(found.index, chosen, fmt.value, catalog_of(ctx).question_titles)
    if out is None:
        for piece in pieces:
            data(piece)
    else:
        write_output(out, (piece.encode() for piece in pieces))
        warn(f"Exported {reflections(found.index.count(chosen))} to {out}")
    warn_skipped(found.report)


@app.command("check")
def journal_check(ctx: typer.Context, journal: JournalOption = None) -> None:
    """Name every file in the journal that is not a readable reflection, and why.

    Example: [bold]coach journal check[/bold]
    """
    from servicecoach.ui.journal_views import show_check

    if not show_check(opened(ctx, journal)):
        raise typer.Exit(1)
