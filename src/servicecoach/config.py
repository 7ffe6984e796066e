"""Where things live: the journal, drafts, the user's and the team's playbook folders, caches.

Precedence, highest first: a command-line option, an environment variable, `COACH_HOME`, the
platform's data and config folders (via platformdirs).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

APP = "servicecoach"


@dataclass(frozen=True)
class Paths:
    journal: Path
    drafts: Path
    user_playbooks: Path
    team_playbooks: tuple[Path, ...]
    cache: Path


def resolve_paths(env: Mapping[str, str] | None = None, *, journal: Path | None = None) -> Paths:
    env = os.environ if env is None else env
    home = env.get("COACH_HOME")
    if home:
        root = Path(home).expanduser()
        data, config, cache = root, root, root / "cache"
    else:
        import platformdirs  # only where no COACH_HOME says where to go

        data = Path(platformdirs.user_data_dir(APP, appauthor=False))
        config = Path(platformdirs.user_config_dir(APP, appauthor=False))
        cache = Path(platformdirs.user_cache_dir(APP, appauthor=False))
    if journal is None and env.get("COACH_JOURNAL"):
        journal = Path(env["COACH_JOURNAL"]).expanduser()
    team = tuple(
        Path(part).expanduser() for part in env.get("COACH_PLAYBOOKS", "").split(os.pathsep) if part
    )
    return Paths(
        journal=journal or data / "journal",
        drafts=data / "drafts",
        user_playbooks=config / "playbooks",
        team_playbooks=team,
        cache=cache,
    )
