"""Listings: playbooks, drafts and settings, as tables for people or records for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from servicecoach.text import json_safe, plain
from servicecoach.ui import console

if TYPE_CHECKING:
    from servicecoach.config import Paths
    from servicecoach.engine.session import SessionState
    from servicecoach.errors import PlaybookInvalid
    from servicecoach.playbooks.catalog import Entry
    from servicecoach.playbooks.model import Playbook


def _table(*columns: str) -> Table:
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in columns:
        table.add_column(column)
    return table


def show_playbooks(
    rows: list[tuple[Entry, Playbook | None]], broken: list[PlaybookInvalid], *, as_json: bool
) -> None:
    """`coach playbooks list`: every playbook, where it comes from, which ones have problems."""
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
            console.data(json_safe(json.dumps(record, ensure_ascii=False)) + "\n")
    else:
        table = Table(box=None, header_style="bold", pad_edge=False)
        for column in ("id", "title", "steps", "modes", "origin"):
            table.add_column(column, no_wrap=column != "title")
        for entry, playbook in rows:
            origin = entry.origin + (" (overrides another)" if entry.hides else "")
            if playbook is None:
                table.add_row(plain(entry.id), Text("(has problems)", style="red"), "", "", origin)
            else:
                table.add_row(
                    plain(entry.id),
                    plain(playbook.title),
                    str(len(playbook.steps)),
                    ", ".join(playbook.modes),
                    origin,
                )
        console.show_table(table)
    if broken:
        noun = "playbook has" if len(broken) == 1 else "playbooks have"
        names = ", ".join(str(error.path) for error in broken)
        console.warn(
            f"warning: {len(broken)} {noun} problems ({names}); "
            "run 'coach playbooks validate' for details"
        )


def show_drafts(
    drafts: list[SessionState],
    broken: Sequence[Path] = (),
    *,
    numbered: bool = False,
    as_json: bool = False,
) -> None:
    """The drafts, newest first (numbered, to choose one), and the ones that cannot be read."""
    for path in broken:
        console.warn(f"{path}: cannot be read; remove it with: coach resume {path.stem} --discard")
    if as_json:
        for state in drafts:
            console.data(json_safe(json.dumps(draft_record(state), ensure_ascii=False)) + "\n")
        return
    if not drafts:
        console.line("No drafts.")
        return
    # the id holds the playbook and when it started; what is left tells drafts apart
    columns = ("draft", "mode", "answered", "last answer")
    table = _table(*(("#", *columns) if numbered else columns))
    if numbered:
        table.columns[0].justify = "right"
    handle = table.columns[1 if numbered else 0]  # what `coach resume ID` needs: never cut
    handle.no_wrap, handle.min_width = True, max(len(state.draft_id) for state in drafts)
    for number, state in enumerate(drafts, start=1):
        table.add_row(
            *([str(number)] if numbered else []),
            plain(state.draft_id),
            state.mode,
            str(len(state.records)),
            plain(_first_words(state)),
        )
    console.show_table(table)


def draft_record(state: SessionState) -> dict[str, Any]:
    """`resume --list --json`: one draft."""
    return {
        "draft": state.draft_id,
        "playbook": state.playbook,
        "mode": state.mode,
        "audience": state.audience,
        "started": state.started.isoformat(),
        "at": state.at.isoformat() if state.at else None,
        "answered": len(state.records),
        "last_answer": _first_words(state, words=None),
    }


def _first_words(state: SessionState, words: int | None = 8) -> str:
    """The start of the answer to the furthest step reached (or the half-typed line there),
    so that drafts tell apart."""
    from servicecoach.engine.answers import answer_text

    texts = [answer_text(record.answer) for record in state.records.values()]
    texts += list(state.unfinished.values())
    latest = next((text for text in reversed(texts) if text.strip()), "")
    if words is None:
        return latest
    split = " ".join(latest.split()).split(" ")
    return " ".join(split[:words]) + (" …" if len(split) > words else "")


def settings_record(paths: Paths) -> dict[str, Any]:
    """`config show --json`: each setting's path (or paths), and where it came from."""
    missing = paths.missing_team_folders()

    def one(name: str, path: Path) -> dict[str, Any]:
        return {"path": str(path), "from": paths.sources[name]}

    return {
        "config_file": {**one("config_file", paths.config_file),
                        "exists": paths.config_file.exists()},
        "journal": one("journal", paths.journal),
        "team_playbooks": [
            {"path": str(folder), "from": origin, "exists": folder not in missing}
            for folder, origin in zip(paths.team_playbooks, paths.team_sources, strict=True)
        ],
        "user_playbooks": one("user_playbooks", paths.user_playbooks),
        "drafts": one("drafts", paths.drafts),
        "cache": one("cache", paths.cache),
        "share": {"path": str(paths.share) if paths.share else None,
                  "from": paths.sources["share"]},
        "share_as": {"name": paths.share_as, "from": paths.sources["share_as"]},
    }  # fmt: skip


def show_settings(paths: Paths, *, as_json: bool) -> None:
    """`coach config show`: every setting in effect and where it came from."""
    rows = [
        ("config file", str(paths.config_file) + ("" if paths.config_file.exists() else " (none)"),
         paths.sources["config_file"]),
        ("journal", str(paths.journal), paths.sources["journal"]),
        ("team playbooks", ", ".join(
            f"{folder}{' (missing)' if folder in paths.missing_team_folders() else ''}"
            for folder in paths.team_playbooks) or "(none)",
         paths.sources["team_playbooks"]),
        ("your playbooks", str(paths.user_playbooks), paths.sources["user_playbooks"]),
        ("drafts", str(paths.drafts), paths.sources["drafts"]),
        ("cache", str(paths.cache), paths.sources["cache"]),
        ("share to", str(paths.share or "(none)"), paths.sources["share"]),
        ("share as", paths.share_as or "(a pseudonym of its own)", paths.sources["share_as"]),
    ]  # fmt: skip
    if as_json:
        console.data(json_safe(json.dumps(settings_record(paths), ensure_ascii=False)) + "\n")
        return
    table = _table("setting", "value", "from")
    for name, value, origin in rows:
        table.add_row(name, plain(value), plain(origin, "dim"))
    console.show_table(table)
