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
    replay(session, answers, "test", now=when)
    session.finish(when + dt.timedelta(minutes=5))
    return save_reflection(journal, when, playbook_id, render(session))


def at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=ZONE)


def day(offset: int) -> str:
    """The day `offset` days before today, as ISO text."""
    return (dt.date.today() - dt.timedelta(days=offset)).isoformat()


def seven_reflections(folder: Path) -> Path:
    """A journal of seven reflections over the last six days: two apologies (live and recall),
    a learn for a coworker, four daily reflections (three days running, one earlier)."""
    write(folder, "apology", at(day(0), "09:00"), {"regret": "Refund was late, very sorry",
          "outcome": "resolved", "rating": 4, "tags": "billing"})  # fmt: skip
    write(folder, "apology", at(day(1), "11:00"), {"regret": "Broken charger again",
          "outcome": "escalated", "rating": 2, "tags": ["hardware", "vip"]},
          mode="recall", audience="supervisor")  # fmt: skip
    write(folder, "learn", at(day(2), "15:30"), {"listen": "Refund refund refund, they said",
          "empathize": "Frustrated about the refund delay", "outcome": "follow-up",
          "rating": 3}, audience="coworker")  # fmt: skip
    write(folder, "daily", at(day(0), "18:00"), {"went-well": "Kept calm", "rating": 5})
    write(folder, "daily", at(day(1), "18:00"), {"went-well": "Helped Sam", "rating": 4})
    write(folder, "daily", at(day(2), "18:00"), {"went-well": "Quiet day"})
    write(folder, "daily", at(day(5), "18:00"), {"went-well": "Long ago"})
    return folder
