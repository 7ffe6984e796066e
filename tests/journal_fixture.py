"""Writing small, deterministic journals with the real renderer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from servicecoach.engine.session import Session, replay
from servicecoach.journal.files import save_reflection
from servicecoach.journal.reflection import render
from servicecoach.playbooks.catalog import builtin_folder
from servicecoach.playbooks.loading import load_playbook

ZONE = dt.timezone(dt.timedelta(hours=1))


def write(
    journal: Path,
    playbook_id: str,
    when: dt.datetime,
    answers: dict[str, Any],
    *,
    mode: str = "live",
    audience: str = "customer",
) -> Path:
    playbook = load_playbook(builtin_folder() / f"{playbook_id}.yaml")
    chosen = playbook.mode_for(recall=mode == "recall")
    session = Session.start(playbook, chosen, audience, when, "t")  # type: ignore[arg-type]
    replay(session, answers, "test")
    session.finish(when + dt.timedelta(minutes=5))
    return save_reflection(journal, when, playbook_id, render(session))


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=ZONE)
