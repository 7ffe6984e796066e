"""`coach resume`: continue, list or discard the drafts of interrupted sessions."""

from __future__ import annotations

from typing import Annotated

import typer

from servicecoach.cli.options import JournalOption, catalog_of, paths_of


def _complete_draft(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """DRAFT completion: the drafts' ids, newest first, each with its playbook and how far
    it got."""
    from servicecoach.engine.drafts import DraftStore
    from servicecoach.text import markup_safe

    found, _ = DraftStore.of(paths_of(ctx)).all()
    return [
        (state.draft_id, markup_safe(f"{state.playbook} · {len(state.records)} answered"))
        for state in found
        if state.draft_id.startswith(incomplete)
    ]


def resume(
    ctx: typer.Context,
    draft_id: Annotated[
        str | None,
        typer.Argument(
            metavar="DRAFT",
            help="The draft to continue; without it, the only draft, or a choice of them.",
            autocompletion=_complete_draft,
        ),
    ] = None,
    list_only: Annotated[bool, typer.Option("--list", "-l", help="List drafts only.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --list: one JSON object per draft and line.")
    ] = False,
    discard: Annotated[
        bool, typer.Option("--discard", help="Delete the named draft instead of continuing it.")
    ] = False,
    journal: JournalOption = None,
) -> None:
    """Continue a session that was interrupted or saved with /q.

    Examples: [bold]coach resume --list[/bold] (--json for scripts), [bold]coach resume[/bold],
    [bold]coach resume 20261126-103000-apology --discard[/bold]
    """
    from servicecoach.engine.drafts import DraftStore
    from servicecoach.engine.run import resume as resume_draft
    from servicecoach.ui.console import line
    from servicecoach.ui.frontends import choose_draft, open_frontend
    from servicecoach.ui.tables import show_drafts

    paths = paths_of(ctx, journal)
    drafts = DraftStore.of(paths)
    if as_json and not list_only:
        raise typer.BadParameter("--json goes with --list", param_hint="--json")
    if list_only or (draft_id is None and discard):
        show_drafts(*drafts.all(), as_json=as_json)
        if discard:
            raise typer.BadParameter("name the draft to discard", param_hint="DRAFT")
    elif discard:
        drafts.remove(draft_id)  # type: ignore[arg-type]
        line(f"Discarded draft {draft_id}.")
    else:
        chosen = draft_id or drafts.choose(choose_draft)
        resume_draft(catalog_of(ctx), paths, chosen, journal, open_frontend)
