"""`coach followups`: the promises made on calls, until they are kept; `done`, `drop`,
`snooze`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from servicecoach.cli.options import (
    JournalOption,
    JsonFlag,
    PlaybookFilter,
    Since,
    TagFilter,
    Until,
    filters,
)

if TYPE_CHECKING:
    from servicecoach.journal.followups import Promise

app = typer.Typer(
    help="Promises made on calls, until they are kept: list them, mark one done.",
    invoke_without_command=True,
    rich_markup_mode="rich",
)


def _complete_open(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """REF completion: the open follow-ups' references, each with what was promised."""
    from servicecoach.cli.journal import opened
    from servicecoach.errors import CoachError
    from servicecoach.journal.followups import promises
    from servicecoach.journal.index import Filters
    from servicecoach.places import can_be_typed
    from servicecoach.text import markup_safe

    try:
        found = promises(opened(ctx, None).index.follow_ups(Filters()))
    except CoachError:  # a journal that cannot be read: nothing to offer, no noise
        return []
    return [
        (promise.ref, markup_safe(promise.what))
        for promise in found
        if promise.ref.startswith(incomplete) and can_be_typed(promise.ref)
    ]


RefArgument = Annotated[
    str,
    typer.Argument(
        metavar="REF",
        help="The reflection, as coach followups shows it (NAME, or NAME#2 where it holds "
        "several), or last, a number or a path.",
        autocompletion=_complete_open,
    ),
]
Note = Annotated[str | None, typer.Option("--note", metavar="TEXT", help="A word on how it went.")]


@app.callback()
def followups(
    ctx: typer.Context,
    every: Annotated[
        bool, typer.Option("--all", "-a", help="Done and dropped ones too, not only open ones.")
    ] = False,
    as_json: JsonFlag = False,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            metavar="FILE",
            help="Write the open ones as an iCalendar file (an event at each due time) for "
            "any calendar to import; importing it again updates them.",
        ),
    ] = None,
    since: Since = None,
    until: Until = None,
    playbook: PlaybookFilter = None,
    tag: TagFilter = None,
    journal: JournalOption = None,
) -> None:
    """List open follow-ups: overdue first, then by when each is due.

    Examples: [bold]coach followups[/bold], [bold]coach followups done NAME[/bold],
    [bold]coach followups snooze NAME 'friday 10am'[/bold]
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = journal  # --journal before the subcommand counts for it too
        return
    from servicecoach.cli.journal import filtered
    from servicecoach.dates import local_now
    from servicecoach.journal.followups import promises
    from servicecoach.ui.followup_views import show_follow_ups
    from servicecoach.ui.journal_views import warn_skipped

    chosen = filters(since, until, playbook, None, None, tag, None)
    found = filtered(ctx, journal, chosen)
    listed = promises(found.index.follow_ups(chosen, every=every or ics is not None))
    if ics is not None:
        _write_calendar(listed, ics)
    else:
        show_follow_ups(listed, local_now(), as_json)
    warn_skipped(found.report)


def _write_calendar(listed: list[Promise], target: Path) -> None:
    from servicecoach.dates import local_now
    from servicecoach.journal.followups import calendar
    from servicecoach.storage import write_output
    from servicecoach.ui.console import warn

    write_output(target, calendar(listed, local_now()).encode("utf-8"))
    timed = [p for p in listed if p.status == "open" and p.due is not None]
    untimed = sum(1 for p in listed if p.status == "open" and p.due is None)
    also = f"; {untimed} with no time set left out" if untimed else ""
    warn(
        f"Wrote {len(timed)} open follow-up{'' if len(timed) == 1 else 's'} to {target} "
        f"(kept and dropped ones as cancelled){also}."
    )


@app.command("done")
def done(ctx: typer.Context, ref: RefArgument, note: Note = None) -> None:
    """Mark a follow-up kept: only its status, time and note change in the reflection.

    Example: [bold]coach followups done 2026-11-28-101500-learn --note 'called back'[/bold]
    """
    _settle(ctx, ref, "done", note=note)


@app.command("drop")
def drop(ctx: typer.Context, ref: RefArgument, note: Note = None) -> None:
    """Let a follow-up go (no longer needed): it leaves the list, and says so in its file.

    Example: [bold]coach followups drop NAME --note 'they cancelled'[/bold]
    """
    _settle(ctx, ref, "dropped", note=note)


@app.command("snooze")
def snooze(
    ctx: typer.Context,
    ref: RefArgument,
    when: Annotated[
        str, typer.Argument(metavar="WHEN", help="The new due time: 'tomorrow 10am', 'friday'.")
    ],
) -> None:
    """Move a follow-up's due time.

    Example: [bold]coach followups snooze NAME 'monday 9am'[/bold]
    """
    from servicecoach.dates import local_now, parse_due
    from servicecoach.journal.followups import snooze as move
    from servicecoach.ui.console import line

    promise, path = _find(ctx, ref)
    due = parse_due(when, local_now())
    move(promise, path, due)
    line(f"Snoozed: {promise.what} — now due {due:%a %d %b %Y, %H:%M}.")


def _settle(ctx: typer.Context, ref: str, status: str, note: str | None) -> None:
    from servicecoach.dates import local_now
    from servicecoach.journal.followups import settle
    from servicecoach.ui.console import line

    promise, path = _find(ctx, ref)
    settle(promise, path, status, local_now(), note)
    line(f"{'Kept' if status == 'done' else 'Dropped'}: {promise.what}")


def _find(ctx: typer.Context, ref: str) -> tuple[Promise, Path]:
    """The follow-up `ref` names, and its reflection's file."""
    from servicecoach.cli.journal import opened
    from servicecoach.journal.followups import Promise, pick
    from servicecoach.journal.refs import read_reflection, resolve_ref

    journal = opened(ctx, ctx.obj if isinstance(ctx.obj, Path) else None)
    name = ref.rpartition("#")[0] if "#" in ref else ref
    path = resolve_ref(journal, name)
    entry, _ = read_reflection(journal, path)
    found = [Promise(entry, number) for number in range(len(entry.follow_ups))]
    return pick(found, ref), path
