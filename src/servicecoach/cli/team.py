"""`coach team report DIR` and `coach team check DIR`: what the team's shares say."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from servicecoach.cli.options import AudienceFilter, PlaybookFilter, Since, catalog_of

app = typer.Typer(
    help="What the team's shared reflections say: a report, and a check of the files.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

TeamFolder = Annotated[
    Path, typer.Argument(metavar="DIR", help="The team's folder of shares (coach share --to).")
]


class ReportFormat(enum.StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command("report")
def team_report(
    ctx: typer.Context,
    folder: TeamFolder,
    since: Since = None,
    playbook: PlaybookFilter = None,
    audience: AudienceFilter = None,
    by_version: Annotated[
        bool,
        typer.Option(
            "--by-version",
            help="Compare each version of --playbook with the one before (95% intervals).",
        ),
    ] = False,
    fmt: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="text, json or markdown.", case_sensitive=False),
    ] = ReportFormat.text,
    as_json: Annotated[bool, typer.Option("--json", help="The same as --format json.")] = False,
) -> None:
    """Per playbook and version: reflections, outcomes, self-ratings, skipped steps, promises;
    per week; per author (a count, never a ranking).

    Example: [bold]coach team report shared/ --playbook apology --by-version[/bold]
    """
    from servicecoach.cli.options import filters, paths_of
    from servicecoach.errors import CoachError
    from servicecoach.team.cache import open_team
    from servicecoach.team.report import build, compare_versions
    from servicecoach.ui.team_views import show_report

    chosen = filters(since, None, playbook, None, audience, None, None)
    if by_version and not playbook:
        raise CoachError("--by-version compares the versions of one playbook: add --playbook ID.")
    team = open_team(folder, paths_of(ctx).cache)
    problems = team.problems()
    report = build(
        team.shares(),
        since=chosen.since,
        playbook=chosen.playbook,
        audience=chosen.audience,
    )
    comparisons = compare_versions(report, playbook) if by_version and playbook else []
    titles = catalog_of(ctx).question_titles
    show_report(report, comparisons, titles, "json" if as_json else fmt.value, len(problems))


@app.command("check")
def team_check(ctx: typer.Context, folder: TeamFolder) -> None:
    """Name every file in the team's folder that is not a share file coach can read, and why.

    Example: [bold]coach team check shared/[/bold]
    """
    from servicecoach.cli.options import paths_of
    from servicecoach.team.cache import open_team
    from servicecoach.ui.team_views import show_check

    team = open_team(folder, paths_of(ctx).cache)
    if not show_check(team.problems(), team.count()):
        raise typer.Exit(1)
