"""Options several commands share, and what every command needs from its context: the paths
(with `--config` and `--journal` applied) and one catalog per invocation."""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from servicecoach.config import Paths
    from servicecoach.journal.index import Filters
    from servicecoach.playbooks.catalog import Catalog


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


def paths_of(ctx: typer.Context, journal: Path | None = None) -> Paths:
    """Where things are for this invocation: `--config` (the root option) and `--journal`
    over the environment and the config file."""
    from servicecoach.config import resolve_paths

    return resolve_paths(config=ctx.find_root().params.get("config"), journal=journal)


def warn_missing_folders(ctx: typer.Context) -> None:
    """Say which named team playbook folders are not there (on stderr)."""
    from servicecoach.ui.console import warn

    paths = paths_of(ctx)
    for folder in paths.missing_team_folders():
        named = paths.sources["team_playbooks"]
        warn(f"warning: the team playbook folder {folder} ({named}) does not exist")


def catalog_of(ctx: typer.Context) -> Catalog:
    """One catalog per invocation: click asks for a command more than once, and each
    playbook should be read and validated once."""
    meta = ctx.find_root().meta
    if "coach.catalog" not in meta:
        from servicecoach.playbooks.catalog import Catalog

        meta["coach.catalog"] = Catalog.from_paths(paths_of(ctx))
    return meta["coach.catalog"]


def complete_playbook(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """ID completion: every playbook a person can type, with its title."""
    from servicecoach import places
    from servicecoach.text import markup_safe

    catalog = catalog_of(ctx)
    return [
        (playbook_id, markup_safe(catalog.title(playbook_id) or ""))
        for playbook_id in catalog.ids()
        if playbook_id.startswith(incomplete) and places.can_be_typed(playbook_id)
    ]


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
JsonFlag = Annotated[bool, typer.Option("--json", help="One JSON object per line.")]

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
    str | None,
    typer.Option("--playbook", "-p", metavar="ID", help="Only this playbook.", show_default=False),
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
TagFilter = Annotated[
    str | None, typer.Option("--tag", "-t", metavar="TAG", help="Only with this tag.")
]
OutcomeFilter = Annotated[
    OutcomeChoice | None,
    typer.Option(
        "--outcome",
        help="Only resolved, follow-up or escalated.",
        show_default=False,
        case_sensitive=False,
    ),
]


def filters(
    since: str | None,
    until: str | None,
    playbook: str | None,
    mode: ModeChoice | None,
    audience: AudienceChoice | None,
    tag: str | None,
    outcome: OutcomeChoice | None,
) -> Filters:
    """The journal filters from their options; a date coach cannot read is a usage error."""
    from servicecoach.dates import since_day, until_day
    from servicecoach.errors import DateError
    from servicecoach.journal.index import Filters
    from servicecoach.text import visible

    today = dt.date.today()
    days = {}
    for name, text, convert in (("since", since, since_day), ("until", until, until_day)):
        try:
            days[name] = convert(text, today) if text else None
        except DateError as error:
            raise typer.BadParameter(visible(str(error)), param_hint=f"--{name}") from None
    return Filters(
        since=days["since"],
        until=days["until"],
        playbook=playbook,
        mode=mode.value if mode else None,
        audience=audience.value if audience else None,
        tag=tag,
        outcome=outcome.value if outcome else None,
    )
