"""`coach config show`: every setting in effect and where it came from."""

from __future__ import annotations

from typing import Annotated

import typer

from servicecoach.cli.options import paths_of

app = typer.Typer(
    help="Show where coach keeps things, and why.", no_args_is_help=True, rich_markup_mode="rich"
)


@app.command("show")
def config_show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print as one JSON object.")] = False,
) -> None:
    """Print every setting in effect and where it came from (option, environment, config file,
    default).

    Example: [bold]coach --config team.yaml config show[/bold]
    """
    from servicecoach.ui.tables import show_settings

    show_settings(paths_of(ctx), as_json=as_json)
