"""Build a realistic journal of N reflections with the real renderer (for benchmarks and tests).

    python benchmarks/make_journal.py DIR N [--seed 1]

Reflections spread over the last N/3 days (several a day, like a busy rep), across every
built-in playbook, live and recall, all three audiences, with answers drawn from a small
vocabulary, ratings, outcomes, tags and skipped steps.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

from servicecoach.engine.session import DUE, OUTCOMES, Session, replay
from servicecoach.journal.files import save_reflection
from servicecoach.journal.reflection import render
from servicecoach.playbooks.catalog import builtin_folder
from servicecoach.playbooks.loading import load_playbook
from servicecoach.playbooks.model import AUDIENCES, Playbook

WORDS = [
    "refund",
    "invoice",
    "delivery",
    "late",
    "broken",
    "charged",
    "twice",
    "password",
    "reset",
    "account",
    "locked",
    "supervisor",
    "escalation",
    "apology",
    "listened",
    "calm",
    "angry",
    "relieved",
    "thanked",
    "follow-up",
    "friday",
    "manager",
    "shipping",
    "replacement",
    "discount",
    "policy",
    "exception",
    "handover",
    "colleague",
    "deadline",
    "report",
    "missed",
    "promised",
    "callback",
    "email",
    "chat",
    "queue",
    "billing",
    "upgrade",
    "cancel",
    "subscription",
]
TAGS = ["billing", "shipping", "vip", "refund", "internal", "urgent", "login", "upgrade"]


def answer_for(question, rng: random.Random):  # type: ignore[no-untyped-def]
    kind = question.kind
    if kind == "note":
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 14))).capitalize()
    if kind == "scale":
        return rng.randint(1, 5)
    if kind == "yesno":
        return rng.random() < 0.5
    if kind == "choice":
        return rng.choice(question.options)
    return rng.sample(question.options, rng.randint(1, len(question.options)))


def reflection(playbook: Playbook, started: dt.datetime, rng: random.Random) -> str:
    mode = rng.choice(playbook.modes)
    audience = rng.choice([a for a in AUDIENCES if a in playbook.audiences])
    session = Session.start(playbook, mode, audience, started, "bench")
    answers: dict[str, object] = {}
    for item in session.items:
        if item.section == "follow_up":  # a promise: due within three days of the call
            step = item.key.removesuffix(DUE)
            value = answers.get(step)
            if isinstance(value, dict):
                value["due"] = f"{rng.randint(1, 72)}h"
            elif value is not None:
                answers[step] = {"answer": value, "due": f"{rng.randint(1, 72)}h"}
            continue
        if item.section == "closing" or rng.random() < 0.12:
            continue  # an unanswered step is recorded as skipped
        value = answer_for(item.question, rng)
        if mode == "recall" and item.section == "step" and rng.random() < 0.6:
            value = {"answer": value, "rating": rng.randint(1, 5)}
        answers[item.key] = value
    if playbook.outcome:
        answers["outcome"] = rng.choice(OUTCOMES)
    answers["rating"] = rng.randint(2, 5)
    answers["tags"] = rng.sample(TAGS, rng.randint(0, 2))
    replay(session, answers, "generated", now=started)
    session.finish(started + dt.timedelta(seconds=rng.randint(60, 1500)))
    text = render(session)
    if rng.random() < 0.95:  # most promises are kept, a day or so later
        kept = (started + dt.timedelta(hours=rng.randint(1, 48))).isoformat(timespec="seconds")
        text = text.replace("  status: open\n  done: null", f"  status: done\n  done: '{kept}'")
    return text


def build(folder: Path, count: int, seed: int = 1, today: dt.date | None = None) -> None:
    rng = random.Random(seed)
    playbooks = [load_playbook(p) for p in sorted(builtin_folder().glob("*.yaml"))]
    today = today or dt.date.today()
    zone = dt.datetime.now().astimezone().tzinfo
    days = max(1, count // 3)
    for n in range(count):
        day = today - dt.timedelta(days=rng.randrange(days))
        started = dt.datetime.combine(day, dt.time(8), zone) + dt.timedelta(
            seconds=rng.randrange(10 * 3600)
        )
        playbook = rng.choice(playbooks)
        save_reflection(folder, started, playbook.id, reflection(playbook, started, rng))
        if n and n % 10000 == 0:
            print(f"{n} reflections", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    build(args.folder, args.count, args.seed)


if __name__ == "__main__":
    main()
