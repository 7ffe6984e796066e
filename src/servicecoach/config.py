"""Where things live: the journal, drafts, the user's and the team's playbook folders, caches.

Each setting comes from, highest first: a command-line option, an environment variable, the
config file (`--config FILE`, `$COACH_CONFIG`, else `config.yaml` in `$COACH_HOME` or the
platform's config folder), `$COACH_HOME`, the platform's folders (via platformdirs).
`coach config show` prints every value and where it came from.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from servicecoach.errors import CoachError

APP = "servicecoach"
CONFIG_KEYS = ("journal", "playbooks")


@dataclass(frozen=True)
class Paths:
    journal: Path
    drafts: Path
    user_playbooks: Path
    team_playbooks: tuple[Path, ...]
    cache: Path
    config_file: Path
    sources: dict[str, str] = field(default_factory=dict, compare=False)
    """Where each setting came from, for `coach config show`."""


class ConfigError(CoachError):
    pass


def read_config(path: Path) -> dict[str, Any]:
    """The config file's settings (empty if there is none); relative paths in it are relative
    to the file's folder. A broken file is one clear sentence with its line."""
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):  # no config file: nothing to read
        return {}
    except OSError as error:
        raise ConfigError(f"Cannot read the config file {path}: {error.strerror}.") from None
    from servicecoach.errors import PlaybookInvalid
    from servicecoach.yamldata import read_yaml

    try:
        data, located = read_yaml(raw, str(path), "config file")
    except PlaybookInvalid as error:
        if "is empty" in str(error):
            return {}
        raise ConfigError(str(error.problems[0])) from None
    if located.problems:
        (line, column), _, message = located.problems[0]
        raise ConfigError(f"{path}:{line}:{column}: {message}")
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}:1:1: the config file is a mapping (journal: ..., playbooks: ...)"
        )
    settings: dict[str, Any] = {}
    for key, value in data.items():
        line, column = located.position((key,), key=True)
        where = f"{path}:{line}:{column}"
        if key not in CONFIG_KEYS:
            import difflib

            close = difflib.get_close_matches(str(key), CONFIG_KEYS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(CONFIG_KEYS)}"
            raise ConfigError(f"{where}: unknown key '{key}' ({hint})")
        values = value if isinstance(value, list) else [value]
        if key == "journal" and isinstance(value, list):
            raise ConfigError(f"{where}: 'journal' is one folder")
        if not all(isinstance(v, str) and v for v in values):
            raise ConfigError(f"{where}: '{key}' takes folder paths (text)")
        folders = [path.parent / Path(v).expanduser() for v in values]
        settings[key] = folders[0] if key == "journal" else folders
    return settings


def remember_team_folders(config_file: Path, cache: Path, folders: list[Path]) -> None:
    """Note the config file's team folders (by the file's hash) for launch.py's fast path,
    which must find playbooks exactly as the catalog does without parsing YAML."""
    import hashlib
    import json

    from servicecoach.launch import team_folders_cache

    try:
        digest = hashlib.sha256(config_file.read_bytes()).hexdigest()
    except OSError:
        return
    record = {
        "sha256": digest,
        "path": str(config_file.resolve()),
        "folders": [str(f) for f in folders],
    }
    target = Path(team_folders_cache(str(cache)))
    try:
        if json.loads(target.read_text(encoding="utf-8")) == record:
            return
    except (OSError, ValueError):
        pass
    from servicecoach.storage import write_atomic

    with contextlib.suppress(CoachError):  # only an optimisation
        write_atomic(target, json.dumps(record).encode())


def resolve_paths(
    env: Mapping[str, str] | None = None,
    *,
    journal: Path | None = None,
    config: Path | None = None,
) -> Paths:
    env = os.environ if env is None else env
    sources: dict[str, str] = {}
    home = env.get("COACH_HOME")
    if home:
        root = Path(home).expanduser()
        data, config_dir, cache = root, root, root / "cache"
        default = "$COACH_HOME"
    else:
        import platformdirs  # only where no COACH_HOME says where to go

        data = Path(platformdirs.user_data_dir(APP, appauthor=False))
        config_dir = Path(platformdirs.user_config_dir(APP, appauthor=False))
        cache = Path(platformdirs.user_cache_dir(APP, appauthor=False))
        default = "platform default"

    if config is not None:
        config_file, sources["config_file"] = config, "--config"
    elif env.get("COACH_CONFIG"):
        config_file = Path(env["COACH_CONFIG"]).expanduser()
        sources["config_file"] = "--config or $COACH_CONFIG"
    else:
        config_file, sources["config_file"] = config_dir / "config.yaml", default
    settings = read_config(config_file)
    if settings or config_file.exists():
        remember_team_folders(config_file, cache, settings.get("playbooks", []))
    from_file = f"config file {config_file}"

    if journal is not None:
        sources["journal"] = "--journal"
    elif env.get("COACH_JOURNAL"):
        journal, sources["journal"] = Path(env["COACH_JOURNAL"]).expanduser(), "$COACH_JOURNAL"
    elif "journal" in settings:
        journal, sources["journal"] = settings["journal"], from_file
    else:
        journal, sources["journal"] = data / "journal", default

    team = [Path(p).expanduser() for p in env.get("COACH_PLAYBOOKS", "").split(os.pathsep) if p]
    origins = ["$COACH_PLAYBOOKS"] * len(team)
    team += settings.get("playbooks", [])
    origins += [from_file] * len(settings.get("playbooks", []))
    sources["team_playbooks"] = ", ".join(dict.fromkeys(origins)) or "none set"
    for name in ("drafts", "user_playbooks", "cache"):
        sources[name] = default
    return Paths(
        journal=journal,
        drafts=data / "drafts",
        user_playbooks=config_dir / "playbooks",
        team_playbooks=tuple(team),
        cache=cache,
        config_file=config_file,
        sources=sources,
    )
