"""The `coach` command line: parse arguments, call one core function, show its result.

Every playbook in the catalog is a command (`coach apology`, see `group.py`); the command
families live in their own modules (`playbooks`, `journal`, `drafts`, `settings`). Heavy modules
(pydantic models, YAML, Rich) are imported inside command bodies, so that start-up stays close
to the cost of importing Typer. `main` is what `launch.py` starts after its fast paths; errors
become sentences and exit codes in one place, `CoachGroup.main`, which in-process tests
(`typer.testing.CliRunner`) go through too.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from servicecoach import VERSION_LINE
from servicecoach.cli import drafts, journal, playbooks, settings
from servicecoach.cli.group import CoachGroup

if TYPE_CHECKING:
    from servicecoach.startup.cache import Prelude

app = typer.Typer(
    cls=CoachGroup,
    help="Coach yourself through customer interactions with playbooks, and keep a journal.\n\n"
    "Run a playbook by its id: [bold]coach apology[/bold] during a call, "
    "[bold]coach apology --recall[/bold] afterwards, [bold]coach daily[/bold] at the end of "
    "the day.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
# In the order of places.COMMAND_NAMES: commands first, then the groups as added.
app.command("resume", rich_help_panel="Journal")(drafts.resume)
app.add_typer(playbooks.app, name="playbooks")
app.add_typer(journal.app, name="journal", rich_help_panel="Journal")
app.add_typer(settings.app, name="config")


def _version(value: bool) -> None:
    if value:
        from servicecoach.ui.console import line

        line(VERSION_LINE)
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help="Settings file (default: $COACH_CONFIG, else config.yaml in the config folder).",
            show_default=False,
            is_eager=True,  # read before --help lists the playbooks it names
        ),
    ] = None,
) -> None:
    """Options for every command (Typer's `help=` above is the help text): `--config` is read
    from this context where paths are resolved (`options.paths_of`)."""


def main(prelude: Prelude | None = None) -> None:
    """The full program, after launch.py's fast paths; `prelude` is the first screen launch.py
    already printed. A help screen printed in a terminal is kept for the fast path."""
    from servicecoach.startup.cache import HelpRecorder

    with HelpRecorder(sys.argv[1:]):
        app(prog_name="coach", obj=prelude)
