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
from servicecoach.cli import (
    completion,
    drafts,
    followups,
    journal,
    playbooks,
    settings,
    share,
    team,
)
from servicecoach.cli.group import CoachGroup

if TYPE_CHECKING:
    from servicecoach.startup.cache import Prelude

app = typer.Typer(
    cls=CoachGroup,
    help="Coach yourself through customer interactions with playbooks, and keep a journal.\n\n"
    "Run a playbook by its id: [bold]coach apology[/bold] during a call, "
    "[bold]coach apology --recall[/bold] afterwards, [bold]coach daily[/bold] at the end of "
    "the day.",
    pretty_exceptions_enable=False,
    add_completion=False,  # `coach completion SHELL` (cli/completion.py) instead
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
# Typer lists commands (resume, help, completion) before groups: places.COMMAND_NAMES holds
# that order.
app.command("resume", rich_help_panel="Journal")(drafts.resume)
app.add_typer(playbooks.app, name="playbooks")
app.add_typer(journal.app, name="journal", rich_help_panel="Journal")
app.add_typer(followups.app, name="followups", rich_help_panel="Journal")
app.add_typer(team.app, name="team")
app.add_typer(settings.app, name="config")

WELCOME = """\
coach: cue cards for serving customers, and a journal.

  coach apology           during a call, a card per step
  coach apology --recall  after it, the same steps
  coach daily             at the end of the day

  coach followups         the promises still to keep
  coach playbooks list    every playbook
  coach journal list      your reflections
  coach help              everything else"""
"""What `coach` alone prints: a screen, not the whole help, so nothing scrolls away."""


@app.command("help")
def help_(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(metavar="COMMAND", help="A command, e.g. journal list.", show_default=False),
    ] = None,
) -> None:
    """Show this help, or a command's.

    Example: [bold]coach help journal list[/bold]
    """
    from servicecoach.errors import CoachError
    from servicecoach.text import visible

    shown = ctx.find_root()
    for word in words or []:
        group = shown.command
        if not isinstance(group, typer.core.TyperGroup):
            raise CoachError(f"'{visible(shown.command_path)}' has no commands; see its help.")
        name, command, _ = group.resolve_command(shown, [word])
        if command is None:  # a group's own resolve fails with a usage error before this
            raise CoachError(f"No command called '{visible(word)}'.")
        shown = command.make_context(name, [], parent=shown, resilient_parsing=True)
    typer.echo(shown.get_help())  # as --help does (rich help is printed, and "" returned)


app.command("completion")(completion.completion)
app.command("share", rich_help_panel="Journal")(share.share)


def _version(value: bool) -> None:
    if value:
        from servicecoach.ui.console import line

        line(VERSION_LINE)
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
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
    from this context where paths are resolved (`options.paths_of`). `coach` alone prints
    WELCOME."""
    if ctx.invoked_subcommand is None and not ctx.resilient_parsing:
        from servicecoach.ui.console import line

        line(WELCOME)
        raise typer.Exit()


def main(prelude: Prelude | None = None) -> None:
    """The full program, after launch.py's fast paths; `prelude` is the first screen launch.py
    already printed. A help screen printed in a terminal is kept for the fast path."""
    from servicecoach.startup.cache import HelpRecorder

    with HelpRecorder(sys.argv[1:]):
        app(prog_name="coach", obj=prelude)
