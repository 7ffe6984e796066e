"""The `coach` command line: parse arguments, call one core function, map errors to exit codes.

Every playbook in the catalog is a subcommand (`coach apology`), built on demand by
`CoachGroup`. Heavy modules (pydantic models, YAML, Rich) are imported inside command bodies so
that start-up stays close to the cost of importing Typer.
"""

from __future__ import annotations

import contextlib
import enum
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from servicecoach import __version__
from servicecoach.errors import CoachError

if TYPE_CHECKING:
    from servicecoach.catalog import Catalog
    from servicecoach.launch import Prelude


def _catalog() -> Catalog:
    from servicecoach.catalog import Catalog
    from servicecoach.config import resolve_paths

    return Catalog.from_paths(resolve_paths())


class AudienceChoice(enum.StrEnum):
    customer = "customer"
    coworker = "coworker"
    supervisor = "supervisor"


class ModeChoice(enum.StrEnum):
    live = "live"
    recall = "recall"


class OutcomeChoice(enum.StrEnum):
    resolved = "resolved"
    follow_up = "follow-up"
    escalated = "escalated"


class FormatChoice(enum.StrEnum):
    csv = "csv"
    json = "json"
    markdown = "markdown"


AudienceOption = Annotated[
    AudienceChoice,
    typer.Option(
        "--audience",
        "-a",
        help="Who you are serving: wording adapts, and it is recorded.",
        case_sensitive=False,
    ),
]
JournalOption = Annotated[
    Path | None,
    typer.Option(
        "--journal",
        metavar="DIR",
        help="Journal folder (default: $COACH_JOURNAL, $COACH_HOME/journal, or the platform's "
        "data folder).",
        show_default=False,
    ),
]


def playbook_title(catalog: Catalog, playbook_id: str) -> str:
    from servicecoach.sanitize import visible

    title = catalog.title(playbook_id)
    if title is None:
        return "(this playbook has problems: run 'coach playbooks validate')"
    return visible(title)


def playbook_command(catalog: Catalog, playbook_id: str) -> typer.core.TyperCommand:
    """The `coach <playbook-id>` command for one playbook."""
    title = playbook_title(catalog, playbook_id)
    sub = typer.Typer(add_completion=False, rich_markup_mode="rich")

    @sub.command(
        name=playbook_id,
        help=f"{title}\n\nLive (default): a cue card per step while you talk. "
        f"Recall: reflect afterwards.\n\nExamples: [bold]coach {playbook_id}[/bold], "
        f"[bold]coach {playbook_id} --recall --audience supervisor --at 'yesterday 15:10'[/bold]",
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
                "'yesterday 15:10', '15:10', '2h ago', '2026-11-25 15:10'.",
                show_default=False,
            ),
        ] = None,
    ) -> None:
        from servicecoach.coaching import RunOptions, now, run_playbook
        from servicecoach.dates import DateError, parse_moment

        try:
            moment = parse_moment(at, now()) if at else None
        except DateError as error:
            raise typer.BadParameter(str(error), param_hint="--at") from None
        prelude = ctx.find_root().obj
        options = RunOptions(recall, audience.value, journal, dry_run, answers, prelude, moment)
        run_playbook(catalog, playbook_id, options)

    return typer.main.get_command(sub)  # type: ignore[return-value]


class CoachGroup(TyperGroup):
    """Built-in commands plus one command per playbook id."""

    @staticmethod
    def _shared_catalog(ctx: typer.Context) -> Catalog:
        """One catalog per invocation: click asks for a command more than once, and each
        playbook should be read and validated once."""
        if "coach.catalog" not in ctx.meta:
            ctx.meta["coach.catalog"] = _catalog()
        return ctx.meta["coach.catalog"]

    def list_commands(self, ctx: typer.Context) -> list[str]:
        own = super().list_commands(ctx)
        return own + [i for i in self._shared_catalog(ctx).ids() if i not in self.commands]

    def get_command(self, ctx: typer.Context, cmd_name: str):  # type: ignore[no-untyped-def]
        """For listing (help, completion): a playbook's name and title only. Building its
        real command makes Typer convert the options with pydantic, which is slow to import:
        that happens in `resolve_command`, when the playbook is actually run."""
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        catalog = self._shared_catalog(ctx)
        if cmd_name not in catalog.ids():
            return None
        title = playbook_title(catalog, cmd_name)
        return typer.core.TyperCommand(
            cmd_name, short_help=title, help=title, rich_help_panel="Playbooks"
        )

    def resolve_command(self, ctx: typer.Context, args: list[str]):  # type: ignore[no-untyped-def]
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=3, cutoff=0.6)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            ctx.fail(f"No command or playbook called '{name}'.{hint} See 'coach --help'.")
        if name in self.commands or not name or name.startswith("-"):
            return super().resolve_command(ctx, args)
        return name, playbook_command(self._shared_catalog(ctx), name), args[1:]


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
playbooks_app = typer.Typer(
    help="List, show and validate playbooks.", no_args_is_help=True, rich_markup_mode="rich"
)
app.add_typer(playbooks_app, name="playbooks")
journal_app = typer.Typer(
    help="List, show, search, chart and export your reflections.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(journal_app, name="journal", rich_help_panel="Journal")
config_app = typer.Typer(
    help="Show where coach keeps things, and why.", no_args_is_help=True, rich_markup_mode="rich"
)
app.add_typer(config_app, name="config")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"coach (servicecoach) {__version__}")
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
        ),
    ] = None,
) -> None:
    if config is not None:
        # every command reads its paths through the environment: the option is its top layer
        os.environ["COACH_CONFIG"] = str(config)


@playbooks_app.command("list")
def playbooks_list(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List every playbook: id, title, steps, modes and where it comes from.

    Example: [bold]coach playbooks list --json[/bold]
    """
    from servicecoach.commands import list_playbooks

    list_playbooks(_catalog(), as_json=as_json)


@playbooks_app.command("show")
def playbooks_show(
    playbook_id: Annotated[str, typer.Argument(metavar="ID", help="The playbook's id.")],
    audience: AudienceOption = AudienceChoice.customer,
    card: Annotated[
        bool, typer.Option("--card", help="Only the whole playbook at a glance, on one screen.")
    ] = False,
) -> None:
    """Show every step of a playbook as the rep will see it.

    Example: [bold]coach playbooks show learn --audience supervisor[/bold]
    """
    from servicecoach.commands import show_playbook

    show_playbook(_catalog(), playbook_id, audience.value, card=card)


@playbooks_app.command("validate")
def playbooks_validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...", help="Playbook files or folders (default: the whole catalog)."
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
    from servicecoach.commands import validate_playbooks

    ok = validate_playbooks(_catalog(), paths or [], strict=strict)
    if not ok:
        raise typer.Exit(1)


@app.command("resume", rich_help_panel="Journal")
def resume(
    draft_id: Annotated[
        str | None,
        typer.Argument(metavar="[DRAFT]", help="The draft to continue (default: the newest)."),
    ] = None,
    list_only: Annotated[bool, typer.Option("--list", "-l", help="List drafts only.")] = False,
    discard: Annotated[
        bool, typer.Option("--discard", help="Delete the named draft instead of continuing it.")
    ] = False,
    journal: JournalOption = None,
) -> None:
    """Continue a session that was interrupted or saved with /q.

    Examples: [bold]coach resume --list[/bold], [bold]coach resume[/bold],
    [bold]coach resume 20261126-103000-apology --discard[/bold]
    """
    from servicecoach import coaching

    if list_only or (draft_id is None and discard):
        from servicecoach.commands import print_drafts

        print_drafts(*coaching.list_drafts())
        if discard:
            raise typer.BadParameter("name the draft to discard", param_hint="DRAFT")
        return
    if discard:
        assert draft_id is not None
        coaching.discard_draft(draft_id)
        typer.echo(f"Discarded draft {draft_id}.")
        return
    coaching.resume(_catalog(), draft_id, journal)


Since = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="DATE",
        help="From this day: 2026-11-26, 2026-11, today, yesterday, 7d, 2w, 3m, 1y.",
        show_default=False,
    ),
]
Until = Annotated[
    str | None,
    typer.Option(
        "--until", metavar="DATE", help="Up to this day (same forms).", show_default=False
    ),
]
PlaybookFilter = Annotated[
    str | None, typer.Option("--playbook", "-p", help="Only this playbook.", show_default=False)
]
ModeFilter = Annotated[
    ModeChoice | None,
    typer.Option("--mode", help="Only live or recall.", show_default=False, case_sensitive=False),
]
AudienceFilter = Annotated[
    AudienceChoice | None,
    typer.Option(
        "--audience", "-a", help="Only this audience.", show_default=False, case_sensitive=False
    ),
]
TagFilter = Annotated[str | None, typer.Option("--tag", "-t", help="Only with this tag.")]
OutcomeFilter = Annotated[
    OutcomeChoice | None,
    typer.Option(
        "--outcome",
        help="Only resolved, follow-up or escalated.",
        show_default=False,
        case_sensitive=False,
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="One JSON object per line.")]


def _filters(
    since: str | None,
    until: str | None,
    playbook: str | None,
    mode: ModeChoice | None,
    audience: AudienceChoice | None,
    tag: str | None,
    outcome: OutcomeChoice | None,
):  # type: ignore[no-untyped-def]
    import datetime as dt

    from servicecoach.dates import DateError, since_day, until_day
    from servicecoach.journal_index import Filters

    today = dt.date.today()
    days = {}
    for name, text, convert in (("since", since, since_day), ("until", until, until_day)):
        try:
            days[name] = convert(text, today) if text else None
        except DateError as error:
            raise typer.BadParameter(str(error), param_hint=f"--{name}") from None
    return Filters(
        since=days["since"],
        until=days["until"],
        playbook=playbook,
        mode=mode.value if mode else None,
        audience=audience.value if audience else None,
        tag=tag,
        outcome=outcome.value if outcome else None,
    )


@journal_app.command("list")
def journal_list(
    since: Since = None,
    until: Until = None,
    playbook: PlaybookFilter = None,
    mode: ModeFilter = None,
    audience: AudienceFilter = None,
    tag: TagFilter = None,
    outcome: OutcomeFilter = None,
    count: Annotated[int, typer.Option("-n", "--count", help="How many, newest first.")] = 20,
    as_json: JsonFlag = False,
    journal: JournalOption = None,
) -> None:
    """List reflections, newest first: date, playbook, mode, audience, outcome, rating, notes.

    Example: [bold]coach journal list --since 7d --playbook apology[/bold]
    """
    from servicecoach.journal_commands import list_entries

    filters = _filters(since, until, playbook, mode, audience, tag, outcome)
    list_entries(journal, filters, count, as_json)


def _complete_ref(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """REF completion: `last`, then the newest reflections' file names with their playbook,
    from the journal the command line names (--journal) or the usual one."""
    from servicecoach.journal_commands import recent_refs

    try:
        recent = recent_refs(ctx.params.get("journal"), 30)
    except CoachError:  # a journal that cannot be read: nothing to offer, no noise on the line
        recent = []
    choices = [("last", "the newest reflection"), *recent]
    return [(value, help_) for value, help_ in choices if value.startswith(incomplete)]


RefArgument = Annotated[
    str,
    typer.Argument(
        metavar="REF",
        help="last, a number from list, a file name or path.",
        autocompletion=_complete_ref,
    ),
]


@journal_app.command("show")
def journal_show(
    ref: RefArgument = "last",
    raw: Annotated[bool, typer.Option("--raw", help="Print the markdown file as it is.")] = False,
    journal: JournalOption = None,
) -> None:
    """Show one reflection in the terminal.

    Example: [bold]coach journal show 3[/bold]
    """
    from servicecoach.journal_commands import show_entry

    show_entry(journal, ref, raw)


@journal_app.command("edit")
def journal_edit(
    ref: RefArgument = "last",
    journal: JournalOption = None,
) -> None:
    """Open a reflection in $VISUAL or $EDITOR, then check its front matter.

    Example: [bold]EDITOR=nano coach journal edit last[/bold]
    """
    from servicecoach.journal_commands import edit_entry

    edit_entry(journal, ref)


@journal_app.command("search")
def journal_search(
    words: Annotated[list[str], typer.Argument(metavar="WORDS...", help="Words to look for.")],
    since: Since = None,
    until: Until = None,
    playbook: PlaybookFilter = None,
    mode: ModeFilter = None,
    audience: AudienceFilter = None,
    tag: TagFilter = None,
    outcome: OutcomeFilter = None,
    count: Annotated[
        int, typer.Option("-n", "--count", help="At most this many, best first.")
    ] = 20,
    as_json: JsonFlag = False,
    journal: JournalOption = None,
) -> None:
    """Find reflections whose notes contain all the words, best matches first.

    Example: [bold]coach journal search refund --since 2026-11[/bold]
    """
    from servicecoach.journal_commands import search_entries

    filters = _filters(since, until, playbook, mode, audience, tag, outcome)
    search_entries(journal, words, filters, count, as_json)


@journal_app.command("stats")
def journal_stats(
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
    import datetime as dt

    from servicecoach.journal_commands import show_stats

    filters = _filters(since, until, playbook, mode, audience, tag, outcome)
    show_stats(journal, filters, as_json, dt.date.today())


@journal_app.command("export")
def journal_export(
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
    from servicecoach.journal_commands import export_entries

    filters = _filters(since, until, playbook, mode, audience, tag, outcome)
    export_entries(journal, filters, fmt.value, out)


@journal_app.command("check")
def journal_check(journal: JournalOption = None) -> None:
    """Name every file in the journal that is not a readable reflection, and why.

    Example: [bold]coach journal check[/bold]
    """
    from servicecoach.journal_commands import check_journal

    if not check_journal(journal):
        raise typer.Exit(1)


@playbooks_app.command("new")
def playbooks_new(
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
    from servicecoach.scaffold import default_folder, new_playbook

    catalog = _catalog()
    path = new_playbook(catalog, playbook_id, source, folder or default_folder(catalog))
    typer.echo(f"Wrote {path}; check it with: coach playbooks validate --strict {path}")


@playbooks_app.command("diff")
def playbooks_diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="A playbook file or id.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="A playbook file or id.")],
) -> None:
    """Show what changed between two revisions of a playbook, step by step.

    Example: [bold]git show HEAD~1:playbooks/refund.yaml > /tmp/old.yaml &&
    coach playbooks diff /tmp/old.yaml playbooks/refund.yaml[/bold]
    """
    from servicecoach.commands import diff_playbooks

    diff_playbooks(_catalog(), old, new)


@playbooks_app.command("schema")
def playbooks_schema() -> None:
    """Print the JSON Schema of the playbook format, for editors and CI validators.

    Editors with the YAML language server check a playbook whose first line is
    [bold]# yaml-language-server: $schema=playbook.schema.json[/bold].
    Example: [bold]coach playbooks schema > playbook.schema.json[/bold]
    """
    from servicecoach.schema import schema_text

    sys.stdout.write(schema_text())


@config_app.command("show")
def config_show(
    as_json: Annotated[bool, typer.Option("--json", help="Print as one JSON object.")] = False,
) -> None:
    """Print every setting in effect and where it came from (option, environment, config file,
    default).

    Example: [bold]coach --config team.yaml config show[/bold]
    """
    from servicecoach.commands import show_config
    from servicecoach.config import resolve_paths

    show_config(resolve_paths(), as_json=as_json)


def main(prelude: Prelude | None = None) -> None:
    """The full program (after launch.py's fast paths): the one place where errors become
    messages and exit codes. `prelude` is the first screen launch.py already printed."""
    try:
        with _remember_help():
            app(prog_name="coach", obj=prelude)
    except CoachError as error:
        if os.environ.get("COACH_DEBUG"):
            raise
        from servicecoach.sanitize import visible

        _report(visible(str(error)))
        sys.exit(error.exit_code)
    except Exception as error:  # a bug: one sentence, not a traceback, unless debugging
        if os.environ.get("COACH_DEBUG"):
            raise
        name = type(error).__name__
        _report(f"unexpected error ({name}: {error}); run with COACH_DEBUG=1 for details.")
        sys.exit(1)


class _Tee:
    """stdout that also keeps what was written (and still looks like the terminal to Rich)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.parts: list[str] = []
        self.complete = True

    def write(self, text: str | bytes) -> int:
        written = self.stream.write(text)  # raises as the real stream would (click probes)
        if isinstance(text, str):
            self.parts.append(text)
        elif text:
            self.complete = False  # something we did not capture as text: keep nothing
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextlib.contextmanager
def _remember_help() -> Iterator[None]:
    """Keep the help screen that `coach` / `coach --help` prints, for launch.py to show at once
    next time in the same terminal for the same playbooks."""
    from servicecoach.launch import HELP_ARGS

    if sys.argv[1:] not in HELP_ARGS or not sys.stdout.isatty():
        yield
        return
    tee, real = _Tee(sys.stdout), sys.stdout
    sys.stdout = tee
    try:
        yield
    except SystemExit as done:
        if done.code in (0, None) and tee.complete:
            _store_help("".join(tee.parts))
        raise
    finally:
        sys.stdout = real


def _store_help(text: str) -> None:
    from servicecoach.launch import _home_folders, card_file, help_key, terminal_width
    from servicecoach.storage import write_atomic

    env = dict(os.environ)
    width = terminal_width(env)
    key = help_key(env, width) if width is not None else None
    if key is not None and text:
        _, cache = _home_folders(env)
        with contextlib.suppress(CoachError):  # only an optimisation
            write_atomic(Path(card_file(cache, key)), text.encode())


def _report(message: str) -> None:
    with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
        print(f"coach: {message}", file=sys.stderr)
