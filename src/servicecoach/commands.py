"""What each `coach playbooks ...` command does, between parsing (cli.py) and the core."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from servicecoach.catalog import Catalog, Entry, playbook_files
from servicecoach.errors import CoachError, PlaybookInvalid
from servicecoach.sanitize import visible

if TYPE_CHECKING:
    from rich.console import Console

    from servicecoach.config import Paths
    from servicecoach.playbook import Playbook
    from servicecoach.session import SessionState


def stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def list_playbooks(catalog: Catalog, *, as_json: bool) -> None:
    loaded, broken = catalog.load_all()
    by_id: dict[str, Playbook] = {entry.id: playbook for entry, playbook in loaded}
    rows: list[tuple[Entry, Playbook | None]] = [(e, by_id.get(e.id)) for e in catalog.entries()]
    if as_json:
        for entry, playbook in rows:
            record = {
                "id": entry.id,
                "title": playbook.title if playbook else None,
                "version": playbook.version if playbook else None,
                "steps": len(playbook.steps) if playbook else None,
                "modes": list(playbook.modes) if playbook else None,
                "origin": entry.origin,
                "path": str(entry.path),
                "overrides": [str(p) for p in entry.hides],
                "valid": playbook is not None,
            }
            print(json.dumps(record, ensure_ascii=False))
    else:
        from servicecoach.cards import playbook_table

        stdout().print(playbook_table(rows))
    if broken:
        noun = "playbook has" if len(broken) == 1 else "playbooks have"
        names = ", ".join(str(error.path) for error in broken)
        stderr().print(
            f"warning: {len(broken)} {noun} problems ({names}); "
            "run 'coach playbooks validate' for details",
            markup=False,
        )


def show_playbook(catalog: Catalog, playbook_id: str, audience: str, *, card: bool) -> None:
    from servicecoach.cards import glance, playbook_overview
    from servicecoach.coaching import check_audience

    who = check_audience(audience)
    playbook = catalog.load(playbook_id)
    stdout().print(glance(playbook, who) if card else playbook_overview(playbook, who))


def files_to_validate(catalog: Catalog, paths: list[Path]) -> list[Path]:
    """The files named, the playbook files below each folder named, or (no paths) every file
    in every catalog folder, including those another folder overrides."""
    if not paths:
        return [path for _, folder in catalog.folders for path in playbook_files(folder)]
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in (".yaml", ".yml")
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            files += found
        elif path.exists():
            files.append(path)
        else:
            raise CoachError(f"No such file or folder: {path}")
    return files


def validate_playbooks(catalog: Catalog, paths: list[Path], *, strict: bool = False) -> bool:
    """Print every problem (and, with `strict`, every warning) of every file and a one-line
    summary; True when all are valid (and, with `strict`, free of warnings)."""
    from servicecoach.lint import lint
    from servicecoach.loading import load_playbook

    files = files_to_validate(catalog, paths)
    failed = warned = 0
    for path in files:
        try:
            playbook = load_playbook(path)
        except PlaybookInvalid as error:
            failed += 1
            for problem in error.problems:
                print(visible(str(problem)))
            continue
        if strict:
            warnings = lint(playbook, path)
            warned += bool(warnings)
            for warning in warnings:
                print(visible(str(warning)))
    noun = "playbook" if len(files) == 1 else "playbooks"
    if not files:
        print("No playbook files found.")
    elif failed or warned:
        counts = []
        if failed:
            counts.append(f"{failed} of {len(files)} {noun} {_have(failed)} problems")
        if warned:
            counts.append(f"{warned} of {len(files)} {noun} {_have(warned)} warnings")
        print("; ".join(counts) + ".")
    else:
        print(f"All {len(files)} {noun} valid." if len(files) > 1 else "1 playbook valid.")
    return failed == 0 and warned == 0


def _have(count: int) -> str:
    return "has" if count == 1 else "have"


def print_drafts(
    drafts: list[SessionState], broken: list[Path] = (), *, numbered: bool = False
) -> None:
    for path in broken:
        print(
            visible(f"{path}: cannot be read; remove it with: coach resume {path.stem} --discard"),
            file=sys.stderr,
        )
    if not drafts:
        print("No drafts.")
        return
    from rich.table import Table

    from servicecoach.richtext import plain

    table = Table(box=None, header_style="bold", pad_edge=False)
    if numbered:
        table.add_column("#", justify="right")
    for column in ("draft", "playbook", "mode", "audience", "started", "answered"):
        table.add_column(column)
    for number, state in enumerate(drafts, start=1):
        table.add_row(
            *([str(number)] if numbered else []),
            plain(state.draft_id),
            plain(state.playbook),
            state.mode,
            state.audience,
            f"{state.started:%Y-%m-%d %H:%M}",
            str(len(state.records)),
        )
    stdout().print(table)


def show_config(paths: Paths, *, as_json: bool) -> None:
    rows = [
        ("config file", str(paths.config_file) + ("" if paths.config_file.exists() else " (none)"),
         paths.sources["config_file"]),
        ("journal", str(paths.journal), paths.sources["journal"]),
        ("team playbooks", ", ".join(map(str, paths.team_playbooks)) or "(none)",
         paths.sources["team_playbooks"]),
        ("your playbooks", str(paths.user_playbooks), paths.sources["user_playbooks"]),
        ("drafts", str(paths.drafts), paths.sources["drafts"]),
        ("cache", str(paths.cache), paths.sources["cache"]),
    ]  # fmt: skip
    if as_json:
        print(json.dumps({name: {"value": value, "from": origin} for name, value, origin in rows}))
        return
    from rich.table import Table

    from servicecoach.richtext import plain

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("setting", "value", "from"):
        table.add_column(column)
    for name, value, origin in rows:
        table.add_row(name, plain(value), plain(origin, "dim"))
    stdout().print(table)


def _file_or_id(catalog: Catalog, ref: str) -> Playbook:
    from servicecoach.loading import load_playbook

    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.is_file():
        if not path.is_file():
            raise CoachError(f"No such file: {path}")
        return load_playbook(path, any_name=True)
    return catalog.load(ref)


def diff_playbooks(catalog: Catalog, old_ref: str, new_ref: str) -> None:
    from servicecoach.diff import describe, diff

    old, new = _file_or_id(catalog, old_ref), _file_or_id(catalog, new_ref)
    styles = {"+": "green", "-": "red", "~": "yellow"}
    console = stdout()
    from servicecoach.richtext import plain

    for line in describe(old, new, diff(old, new)):
        console.print(plain(line, styles.get(line.strip()[:1], "")), soft_wrap=True)
