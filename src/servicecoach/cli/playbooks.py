"""`coach playbooks ...`: list, show, validate, scaffold, compare and describe playbooks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from servicecoach.cli.options import (
    AudienceChoice,
    AudienceOption,
    JsonFlag,
    catalog_of,
    complete_playbook,
    warn_missing_folders,
)

app = typer.Typer(
    help="List, show and validate playbooks.", no_args_is_help=True, rich_markup_mode="rich"
)


@app.command("list")
def playbooks_list(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List every playbook: id, title, steps, modes and where it comes from.

    Example: [bold]coach playbooks list --json[/bold]
    """
    from servicecoach.ui.tables import show_playbooks

    warn_missing_folders(ctx)
    catalog = catalog_of(ctx)
    loaded, broken = catalog.load_all()
    by_id = {entry.id: playbook for entry, playbook in loaded}
    show_playbooks([(e, by_id.get(e.id)) for e in catalog.entries()], broken, as_json=as_json)


@app.command("show")
def playbooks_show(
    ctx: typer.Context,
    playbook_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="The playbook's id.", autocompletion=complete_playbook),
    ],
    audience: AudienceOption = AudienceChoice.customer,
    card: Annotated[
        bool, typer.Option("--card", help="Only the whole playbook at a glance, on one screen.")
    ] = False,
) -> None:
    """Show every step of a playbook as the rep will see it.

    Example: [bold]coach playbooks show learn --audience supervisor[/bold]
    """
    from servicecoach.playbooks.model import check_audience
    from servicecoach.ui.cards import glance, playbook_overview
    from servicecoach.ui.console import show

    who = check_audience(audience.value)
    playbook = catalog_of(ctx).load(playbook_id)
    show(glance(playbook, who) if card else playbook_overview(playbook, who))


@app.command("validate")
def playbooks_validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH", help="Playbook files or folders (default: the whole catalog)."
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Also warn (and fail) about cues too long for a call, steps without a recall "
            "question, a missing source, ids that clash with coach's commands.",
        ),
    ] = False,
) -> None:
    """Check playbooks and print every problem as path:line:col: field: sentence.

    Exit status 0 when all are valid, 1 otherwise. Example:
    [bold]coach playbooks validate --strict team-playbooks/[/bold]
    """
    from servicecoach.playbooks.validation import files_to_validate, validate
    from servicecoach.ui.console import line

    if not paths:
        warn_missing_folders(ctx)
    files, passed_over = files_to_validate(catalog_of(ctx), paths or [])
    result = validate(files, strict=strict, passed_over=passed_over)
    for problem in result.problems:
        line(str(problem))
    line(result.summary())
    if not result.ok:
        raise typer.Exit(1)


@app.command("new")
def playbooks_new(
    ctx: typer.Context,
    playbook_id: Annotated[str, typer.Argument(metavar="ID", help="The new playbook's id.")],
    source: Annotated[
        str | None,
        typer.Option("--from", metavar="EXISTING", help="Copy this playbook instead."),
    ] = None,
    folder: Annotated[
        Path | None,
        typer.Option(
            "--dir",
            metavar="DIR",
            help="Where to write it (default: the first COACH_PLAYBOOKS folder, else your own "
            "playbook folder).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write a commented starter playbook (or a copy of one) under a new id; never overwrites.

    Example: [bold]coach playbooks new handover --dir team-playbooks/[/bold]
    """
    from servicecoach.playbooks.scaffold import default_folder, new_playbook
    from servicecoach.ui.console import line

    catalog = catalog_of(ctx)
    path = new_playbook(catalog, playbook_id, source, folder or default_folder(catalog))
    line(f"Wrote {path}; check it with: coach playbooks validate --strict {path}")


@app.command("diff")
def playbooks_diff(
    ctx: typer.Context,
    old: Annotated[
        str, typer.Argument(metavar="OLD", help="A playbook file, REV:PATH in git, or an id.")
    ],
    new: Annotated[
        str, typer.Argument(metavar="NEW", help="A playbook file, REV:PATH in git, or an id.")
    ],
) -> None:
    """Show what changed between two revisions of a playbook, step by step.

    Example: [bold]coach playbooks diff HEAD~1:team/refund.yaml team/refund.yaml[/bold]
    """
    from servicecoach.playbooks.diff import describe, diff, load_revision
    from servicecoach.ui.cards import diff_lines
    from servicecoach.ui.console import show

    catalog = catalog_of(ctx)
    before, after = load_revision(catalog, old), load_revision(catalog, new)
    show(*diff_lines(describe(before, after, diff(before, after))), soft_wrap=True)


@app.command("schema")
def playbooks_schema() -> None:
    """Print the JSON Schema of the playbook format, for editors and CI validators.

    Editors with the YAML language server check a playbook whose first line is
    [bold]# yaml-language-server: $schema=playbook.schema.json[/bold].
    Example: [bold]coach playbooks schema > playbook.schema.json[/bold]
    """
    from servicecoach.playbooks.schema import schema_text
    from servicecoach.ui.console import data

    data(schema_text())
