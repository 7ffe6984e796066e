"""`coach <playbook-id>`: every playbook in the catalog is a command, and the one place where
errors become a sentence and an exit code.

Listing (help, completion) gets a playbook's name and title only; its real command is built
when the playbook runs. Every command's values are converted without pydantic where that gives
what Typer's own conversion would (`conversion.py`).
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from servicecoach import places
from servicecoach.cli.conversion import convert_lightly, parameters
from servicecoach.cli.options import (
    AudienceChoice,
    AudienceOption,
    JournalOption,
    catalog_of,
    paths_of,
)
from servicecoach.errors import CoachError
from servicecoach.text import markup_safe, visible


def playbook_title(ctx: typer.Context, playbook_id: str) -> str:
    """The title as help shows it: Typer reads help as Rich markup, so it is escaped."""
    title = catalog_of(ctx).title(playbook_id)
    if title is None:
        return "(this playbook has problems: run 'coach playbooks validate')"
    return markup_safe(title)


def playbook_command(ctx: typer.Context, playbook_id: str) -> typer.core.TyperCommand:
    """The `coach <playbook-id>` command for one playbook."""
    title = playbook_title(ctx, playbook_id)
    sub = typer.Typer(add_completion=False, rich_markup_mode="rich")

    @sub.command(
        name=playbook_id,
        help=_run_help(ctx, playbook_id, title),
        short_help=title,
        rich_help_panel="Playbooks",
    )
    def run(
        ctx: typer.Context,
        recall: Annotated[
            bool,
            typer.Option(
                "--recall", "-r", help="Reflect afterwards: past-tense questions, a rating each."
            ),
        ] = False,
        audience: AudienceOption = AudienceChoice.customer,
        journal: JournalOption = None,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Print the reflection instead of saving it.")
        ] = False,
        answers: Annotated[
            Path | None,
            typer.Option(
                "--answers",
                metavar="FILE",
                help="Answer from a YAML file (step id: answer) without asking.",
                show_default=False,
            ),
        ] = None,
        at: Annotated[
            str | None,
            typer.Option(
                "--at",
                metavar="WHEN",
                help="When the interaction happened, for a recall written later: "
                "'yesterday 3pm', '10:30', 'monday 9am', '2 hours ago', '2026-11-25 15:10'.",
                show_default=False,
            ),
        ] = None,
    ) -> None:
        from servicecoach.dates import parse_moment
        from servicecoach.engine.run import RunOptions, now, run_playbook
        from servicecoach.errors import DateError
        from servicecoach.ui.frontends import open_frontend

        try:
            moment = parse_moment(at, now()) if at else None
        except DateError as error:
            raise typer.BadParameter(visible(str(error)), param_hint="--at") from None
        prelude = ctx.find_root().obj
        options = RunOptions(recall, audience.value, journal, dry_run, answers, prelude, moment)
        paths = paths_of(ctx, journal)
        run_playbook(catalog_of(ctx), paths, playbook_id, options, open_frontend)

    return typer.main.get_command(sub)  # type: ignore[return-value]


def _run_help(ctx: typer.Context, playbook_id: str, title: str) -> str:
    """`coach ID --help`: what the playbook's own modes and audiences allow (loading it costs
    nothing more: the run that follows uses the same catalog's copy)."""
    try:
        playbook = catalog_of(ctx).load(playbook_id)
        modes, audiences = playbook.modes, playbook.audiences
    except CoachError:  # a broken playbook: running it says what is wrong
        modes, audiences = ["live", "recall"], ["customer", "coworker", "supervisor"]
    named = markup_safe(playbook_id)  # a file name, shown inside help's own markup
    # the default audience is customer: a playbook without one needs --audience every time
    needed = "" if "customer" in audiences else f" --audience {audiences[0]}"
    other = next((a for a in audiences if a != "customer"), None)
    audience = needed or (f" --audience {other}" if other else "")
    if "live" not in modes:
        how = "Recall only: questions to answer afterwards (no --recall needed)."
        examples = (
            f"[bold]coach {named}{needed}[/bold], "
            f"[bold]coach {named}{needed} --at 'yesterday 18:00'[/bold]"
        )
    else:
        how = "Live (default): a cue card per step while you talk."
        examples = f"[bold]coach {named}{needed}[/bold]"
        if "recall" in modes:
            how += " Recall (--recall): reflect afterwards."
            examples += f", [bold]coach {named} --recall{audience} --at 'yesterday 3pm'[/bold]"
    return f"{title}\n\n{how}\n\nExamples: {examples}"


def as_people_read_it(command: typer.core.TyperCommand | typer.core.TyperGroup, ctx: Any) -> None:
    """Parameters in `--help` without Typer's type labels where they say nothing to a person:
    a flag is its name (no `<bool>`), an argument its name (no `<str>`, `<list[Path]>`)."""
    for param in parameters(command, ctx):
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
        elif isinstance(param, typer.core.TyperArgument) and param.metavar is not None:
            param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]


class CoachGroup(TyperGroup):
    """Built-in commands plus one command per playbook id."""

    def list_commands(self, ctx: typer.Context) -> list[str]:
        """coach's own commands, then every playbook a person can type (a file name with
        control characters cannot be typed, and is named by `playbooks validate` instead)."""
        own = super().list_commands(ctx)
        ids = catalog_of(ctx).ids()
        return own + [i for i in ids if i not in self.commands and places.can_be_typed(i)]

    def get_command(self, ctx: typer.Context, cmd_name: str):  # type: ignore[no-untyped-def]
        """For listing (help, completion): a playbook's name and title only."""
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        if cmd_name not in catalog_of(ctx).ids():
            return None
        title = playbook_title(ctx, cmd_name)
        return typer.core.TyperCommand(
            cmd_name, short_help=title, help=title, rich_help_panel="Playbooks"
        )

    def resolve_command(self, ctx: typer.Context, args: list[str]):  # type: ignore[no-untyped-def]
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=3, cutoff=0.6)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            missing = paths_of(ctx).missing_team_folders()
            if missing:
                hint += f" (The team playbook folder {visible(str(missing[0]))} does not exist.)"
            unknown = visible(name)
            # exit 1, as for a playbook named to any command (`playbooks show nosuch`)
            raise CoachError(
                f"No command or playbook called '{unknown}'.{hint} See 'coach --help'."
            )
        if name in self.commands or not name or name.startswith("-"):
            return super().resolve_command(ctx, args)
        command = playbook_command(ctx, name)
        convert_lightly(command, ctx)
        as_people_read_it(command, ctx)
        return name, command, args[1:]

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: str | None = None
    ) -> None:
        """Completion by Typer's protocol and with its shell classes (coach prints its own
        scripts, so Typer does not register them); where only the playbooks or only the
        journal's files decide, the whole answer is kept for the fast path (`startup.launch`),
        which gives the same from it while they stay as they were."""
        if not os.environ.get("_COACH_COMPLETE"):
            return
        from typer._completion_classes import completion_init

        from servicecoach.startup import cache

        completion_init()
        asked = cache.completion_asked(os.environ)
        if asked is None:
            super()._main_shell_completion(ctx_args, prog_name, complete_var)
            return
        from typer._click.shell_completion import get_completion_class

        shell, words, typed = asked
        everything = {  # the same request with nothing typed: every name, for the fast path
            "bash": {
                "COMP_WORDS": " ".join(["coach", *words, ""]),
                "COMP_CWORD": str(len(words) + 1),
            },
            "zsh": {"_TYPER_COMPLETE_ARGS": " ".join(["coach", *words, ""])},
            "fish": {"_TYPER_COMPLETE_ARGS": " ".join(["coach", *words, ""])},
        }[shell]
        key = cache.completion_key(os.environ, shell, words)  # what it answers for, before
        typed_as = {name: os.environ.get(name) for name in everything}
        os.environ.update(everything)
        try:
            completing = get_completion_class(shell)
            assert completing is not None
            every = completing(self, ctx_args, prog_name, "_COACH_COMPLETE").complete()
        finally:
            for name, value in typed_as.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        if key is not None and key == cache.completion_key(os.environ, shell, words):  # unchanged
            cache.store_text(cache.completion_file(cache.cache_folder(os.environ), key), every)
        typer.echo(cache.completions(shell, every, typed))
        sys.exit(0)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """The one place where errors become a sentence on stderr and an exit code: a
        `CoachError` its own (1, or 130 for an interrupted session), anything else 1 with
        the bug named. `COACH_DEBUG=1` shows the traceback instead."""
        from servicecoach.ui.console import Guarded

        context = self.context_class(self, **self.context_settings)
        convert_lightly(self, context)
        as_people_read_it(self, context)
        standard_output, sys.stdout = sys.stdout, Guarded(sys.stdout)
        try:
            try:
                return super().main(*args, **kwargs)
            finally:
                sys.stdout.flush()  # what is still buffered must arrive, or say it did not
        except CoachError as error:
            if os.environ.get("COACH_DEBUG"):
                raise
            _report(str(error))
            sys.exit(error.exit_code)
        except BrokenPipeError:  # the reader left (`| head`): stop quietly, as tools do
            standard_output = open(os.devnull, "w")  # noqa: SIM115 - nothing more goes there
            sys.exit(1)
        except Exception as error:  # a bug: one sentence, not a traceback, unless debugging
            if os.environ.get("COACH_DEBUG"):
                raise
            name = type(error).__name__
            _report(f"unexpected error ({name}: {error}); run with COACH_DEBUG=1 for details.")
            sys.exit(1)
        finally:
            sys.stdout = standard_output


def _report(message: str) -> None:
    from servicecoach.ui.console import warn

    with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
        warn(f"coach: {message}")
