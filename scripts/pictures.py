"""Regenerate the README's pictures from the real program's renderables.

    .venv/bin/python scripts/pictures.py            # writes docs/pictures/*.svg
    .venv/bin/python scripts/pictures.py --check    # exit 1 if they differ (tests run this)

Fixed inputs (clock, answers, journal) make the pictures byte-for-byte reproducible.
"""

from __future__ import annotations

import argparse
import builtins
import datetime as dt
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.text import Text

from servicecoach.engine.session import Session, replay
from servicecoach.journal.files import save_reflection
from servicecoach.journal.index import Filters, JournalIndex
from servicecoach.journal.reflection import render
from servicecoach.journal.stats import compute, name_skipped_steps
from servicecoach.playbooks.catalog import Catalog, builtin_folder
from servicecoach.playbooks.loading import load_playbook
from servicecoach.ui.cards import cue_card
from servicecoach.ui.frontends import RichFrontend
from servicecoach.ui.journal_views import stats_view

PICTURES = Path(__file__).resolve().parents[1] / "docs" / "pictures"
ZONE = dt.timezone(dt.timedelta(hours=1))
START = dt.datetime(2026, 11, 26, 14, 30, tzinfo=ZONE)
WIDTH = 88


def console() -> Console:
    return Console(record=True, width=WIDTH, force_terminal=True, color_system="truecolor",
                   highlight=False, file=open("/dev/null", "w"))  # fmt: skip


def cue() -> str:
    playbook = load_playbook(builtin_folder() / "apology.yaml")
    out = console()
    out.print(cue_card(playbook.steps[0], "customer", 1, len(playbook.steps), 12))
    out.print("[bold]How they reacted[/bold] › They were charged twice")
    return out.export_svg(title="coach apology")


def recall() -> str:
    playbook = load_playbook(builtin_folder() / "learn.yaml")
    session = Session.start(playbook, "recall", "supervisor", START, "pictures")
    out = console()
    frontend = RichFrontend(console=out)
    typed = iter(["She needed the numbers before her 3 pm meeting", "4"])
    original = builtins.input

    def answer(prompt: str = "") -> str:
        """What a person sees at the prompt: the prompt (its colours) and what they typed."""
        line = next(typed)
        shown = Text.from_ansi(prompt.replace("\x01", "").replace("\x02", ""))
        out.print(shown + line)
        return line

    builtins.input = answer
    try:
        item = session.current()
        assert item is not None
        frontend.begin(playbook.title, "recall · supervisor")
        frontend.ask(session.prompt(item, START))
        frontend.ask_rating(session.prompt(item, START))
    finally:
        builtins.input = original
    return out.export_svg(title="coach learn --recall --audience supervisor")


def stats() -> str:
    with tempfile.TemporaryDirectory() as folder:
        journal = Path(folder) / "journal"
        playbooks = {
            p: load_playbook(builtin_folder() / f"{p}.yaml") for p in ("apology", "learn", "daily")
        }
        for n in range(60):
            day = START - dt.timedelta(days=n // 2, hours=n % 3)
            name = ("apology", "learn", "daily")[n % 3]
            playbook = playbooks[name]
            mode = "recall" if name == "daily" or n % 4 == 0 else "live"
            session = Session.start(playbook, mode, "customer", day, "p")
            answers: dict[str, object] = {
                "rating": min(5, 2 + n // 15 + n % 2),  # getting better over the weeks
                "tags": ["billing"] if n % 5 == 0 else [],
            }
            if playbook.outcome:
                answers["outcome"] = ("resolved", "resolved", "follow-up", "escalated")[n % 4]
            questions = [i.question for i in session.items if i.section in ("step", "wrap_up")]
            for index, step in enumerate(questions):
                if (n + index) % 4:  # now and then a step is skipped, which stats count
                    answers[step.id] = {
                        "note": "Noted", "choice": (step.options or [""])[0], "scale": 4,
                        "checklist": (step.options or [])[:1], "yesno": True,
                    }[step.kind]  # fmt: skip
            replay(session, answers, "pictures")
            session.finish(day + dt.timedelta(minutes=6))
            save_reflection(journal, day, name, render(session))
        index = JournalIndex(journal, None)
        index.sync()
        stats = compute(index, Filters(), START.date())
        name_skipped_steps(stats, Catalog([("built-in", builtin_folder())]))
        out = console()
        out.print(stats_view(stats))
        return out.export_svg(title="coach journal stats")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    pictures = {"cue-card.svg": cue(), "recall.svg": recall(), "journal-stats.svg": stats()}
    stale = []
    for name, svg in pictures.items():
        path = PICTURES / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != svg:
                stale.append(name)
        else:
            PICTURES.mkdir(parents=True, exist_ok=True)
            path.write_text(svg, encoding="utf-8")
    if stale:
        print(f"out of date: {', '.join(stale)}; run: python scripts/pictures.py", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
