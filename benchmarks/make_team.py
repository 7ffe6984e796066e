"""Make a team folder of share files, as `coach share` writes them: a team of reps sharing
over two years, playbooks in several versions (for `coach team report` at scale).

Usage: python benchmarks/make_team.py FOLDER COUNT [--authors 50] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

PLAYBOOKS = {
    "apology": ["regret", "responsibility", "restitution", "repentance", "forgiveness"],
    "learn": ["listen", "empathize", "apologize", "respond", "notify"],
    "blast": ["believe", "listen", "apologize", "satisfy", "thank"],
}
OUTCOMES = ["resolved", "resolved", "resolved", "follow-up", "escalated"]


def build(folder: Path, count: int, authors: int, seed: int) -> None:
    rng = random.Random(seed)
    start = dt.date.today() - dt.timedelta(days=730)
    for n in range(count):
        author = f"rep-{n % authors:03d}"
        playbook = rng.choice(list(PLAYBOOKS))
        day = start + dt.timedelta(days=rng.randrange(730))
        version = 1 + (day - start).days * 3 // 730  # a new version every eight months
        steps = {
            step: {"status": "skipped"} if rng.random() < 0.1
            else {"status": "done", **({"rating": rng.randint(1, 5)} if rng.random() < 0.5 else {})}
            for step in PLAYBOOKS[playbook]
        }  # fmt: skip
        record = {
            "format": 1, "author": author, "session": f"{day:%Y%m%d}-{n:06d}-{playbook}",
            "playbook": playbook, "playbook_version": version, "playbook_hash": "0" * 12,
            "mode": rng.choice(["live", "recall"]), "audience": "customer",
            "date": day.isoformat(), "duration_s": rng.randint(60, 1500),
            "outcome": rng.choice(OUTCOMES), "rating": rng.randint(2, 5), "tags": [],
            "skipped": [s for s, r in steps.items() if r["status"] == "skipped"],
            "steps": steps, "wrap_up": {},
            "follow_ups": {"open": 0, "done": rng.randint(0, 1), "dropped": 0},
        }  # fmt: skip
        path = folder / author / f"{day:%Y-%m}" / f"{record['session']}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--authors", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    build(args.folder, args.count, args.authors, args.seed)


if __name__ == "__main__":
    main()
