"""`coach share REF...`: a reflection's summary into the team's folder (a git repository),
shown first and written only when the rep says yes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from servicecoach.cli.options import JournalOption, catalog_of, paths_of
from servicecoach.errors import CoachError


def share(
    ctx: typer.Context,
    refs: Annotated[
        list[str],
        typer.Argument(metavar="REF...", help="Reflections: last, a number, a name or a path."),
    ],
    to: Annotated[
        Path | None,
        typer.Option("--to", metavar="DIR", help="The team's folder (default: share: in config)."),
    ] = None,
    with_notes: Annotated[
        bool,
        typer.Option(
            "--with-notes",
            help="Share your answers too, with e-mail addresses, phone and card numbers masked.",
        ),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Share without showing it and asking first.")
    ] = False,
    commit: Annotated[
        bool, typer.Option("--commit", help="Then git add and commit it there (never push).")
    ] = False,
    remove: Annotated[
        bool, typer.Option("--remove", help="Take your share of these reflections away.")
    ] = False,
    journal: JournalOption = None,
) -> None:
    """Share a summary of reflections with your team: no answers unless --with-notes.

    What is shared, and what never is: docs/team-sharing.md. Example:
    [bold]coach share last --to ~/src/team-playbooks/shared --commit[/bold]
    """
    from servicecoach import places
    from servicecoach.cli.journal import opened
    from servicecoach.journal.refs import read_reflection, resolve_ref
    from servicecoach.journal.share import (
        author_id,
        share_path,
        share_record,
        share_text,
        team_settings,
    )
    from servicecoach.storage import write_atomic
    from servicecoach.text import json_safe
    from servicecoach.ui.console import data, line

    paths = paths_of(ctx, journal)
    folder = to if to is not None else paths.share
    if folder is None:
        raise CoachError("Name the team's folder: --to DIR, or share: DIR in the config file.")
    author = author_id(paths.share_as, Path(places.state_folder(dict(os.environ))))
    time_of_day = bool(team_settings(folder).get("time_of_day"))
    found = opened(ctx, journal)
    done: list[Path] = []
    for ref in refs:
        entry, _ = read_reflection(found, resolve_ref(found, ref))
        target = share_path(folder, author, entry)
        if remove:
            if target.exists():
                target.unlink()
                done.append(target)
                line(f"Removed {target}")
            else:
                line(f"Not shared: {target}")
            continue
        try:
            playbook = catalog_of(ctx).load(entry.playbook)
        except CoachError:
            playbook = None  # its wrap-up answers are then left out, all of them
        record = share_record(
            entry, playbook, author, with_notes=with_notes, time_of_day=time_of_day
        )
        text = share_text(record)
        if not yes:
            if not sys.stdin.isatty():
                raise CoachError("Add --yes to share without being shown it and asked first.")
            data(json_safe(text))
            answer = input(f"Share this as {target}? [y/N] ").strip().lower()
            if answer not in ("y", "yes"):
                line("Not shared.")
                continue
        write_atomic(target, text.encode("utf-8"))
        done.append(target)
        line(f"Shared: {target}")
    if commit and done:
        _commit(folder, done, remove)


def _commit(folder: Path, files: list[Path], removed: bool) -> None:
    """Stage and commit `files` in the git repository holding `folder`; never push."""
    from servicecoach.storage import ensure_dir

    ensure_dir(folder)

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                ["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=60
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise CoachError(f"git could not run: {error}.") from None

    if git("rev-parse", "--is-inside-work-tree").returncode != 0:
        raise CoachError(f"{folder} is not in a git repository; shared, but not committed.")
    staged = git("add", "--all", "--", *(str(f) for f in files))
    verb = "Remove" if removed else "Share"
    message = f"coach: {verb} {len(files)} reflection summar{'y' if len(files) == 1 else 'ies'}"
    made = git("commit", "-q", "-m", message, "--", *(str(f) for f in files))
    if staged.returncode != 0 or made.returncode != 0:
        why = (made.stderr or staged.stderr or made.stdout).strip().splitlines()
        raise CoachError(f"git commit failed: {why[-1] if why else 'no reason given'}.")
