"""Where things live: the journal, drafts, the user's and the team's playbook folders, caches.

Each setting comes from, highest first: a command-line option, an environment variable, the
config file (`--config FILE`, `$COACH_CONFIG`, else `config.yaml` in `$COACH_HOME` or the
platform's config folder), `$COACH_HOME`, the platform's folders (via platformdirs).
`coach config show` prints every value and where it came from.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from servicecoach import places
from servicecoach.errors import ConfigError
from servicecoach.places import read_at_most

CONFIG_KEYS = ("journal", "playbooks", "share", "share_as")


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
    team_sources: tuple[str, ...] = field(default=(), compare=False)
    """Where each team playbook folder was named ($COACH_PLAYBOOKS or the config file)."""
    share: Path | None = None
    """The team folder `coach share` writes to (config `share:`), if one is set."""
    share_as: str | None = None
    """The name `coach share` signs with (config `share_as:`); else a pseudonym of its own."""
    former_drafts: Path | None = field(default=None, compare=False)
    """Where drafts were kept before they moved to the state folder, if elsewhere."""

    def missing_team_folders(self) -> list[Path]:
        """Team playbook folders named (by $COACH_PLAYBOOKS or the config file) that are not
        there: a typo that would otherwise hide the team's playbooks without a word."""
        return [folder for folder in self.team_playbooks if not os.path.isdir(folder)]


def read_config(path: Path) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The config file's settings (empty if there is none), and the folder values as written
    (for the start-up cache, which expands them itself). Relative paths are relative to the
    file's folder. A broken file is one clear sentence with its line."""
    try:
        raw = read_at_most(path, places.MAX_YAML_BYTES)
    except (FileNotFoundError, NotADirectoryError):  # no config file: nothing to read
        return {}, {}
    except OSError as error:
        raise ConfigError(f"Cannot read the config file {path}: {error.strerror}.") from None
    from servicecoach.errors import PlaybookInvalid
    from servicecoach.yamldata import read_yaml

    try:
        data, located = read_yaml(raw, str(path), "config file")
    except PlaybookInvalid as error:
        if "is empty" in str(error):
            return {}, {}
        raise ConfigError(str(error.problems[0])) from None
    if located.problems:
        (line, column), _, message = located.problems[0]
        raise ConfigError(f"{path}:{line}:{column}: {message}")
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}:1:1: the config file is a mapping (journal: ..., playbooks: ...)"
        )
    settings: dict[str, Any] = {}
    written: dict[str, list[str]] = {}
    for key, value in data.items():
        line, column = located.position((key,), key=True)
        where = f"{path}:{line}:{column}"
        if key not in CONFIG_KEYS:
            import difflib

            close = difflib.get_close_matches(str(key), CONFIG_KEYS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(CONFIG_KEYS)}"
            raise ConfigError(f"{where}: unknown key '{key}' ({hint})")
        values = value if isinstance(value, list) else [value]
        if key in ("journal", "share", "share_as") and isinstance(value, list):
            raise ConfigError(
                f"{where}: '{key}' is one " + ("name" if key == "share_as" else "folder")
            )
        if key == "share_as":
            if not isinstance(value, str) or not places.can_be_typed(value) or not value.strip():
                raise ConfigError(f"{where}: 'share_as' is a name to share as (text)")
            settings[key] = value.strip()
            continue
        if not all(isinstance(v, str) and v for v in values):
            raise ConfigError(f"{where}: '{key}' takes folder paths (text)")
        written[key] = values
        folders = [Path(_folder(v, where, str(path.parent))) for v in values]
        settings[key] = folders if key == "playbooks" else folders[0]
    return settings, written


def _folder(value: str, where: str, base: str = "") -> str:
    """A folder setting as a folder, or a sentence saying where it was set and why not."""
    try:
        return places.folder(value, base)
    except ValueError as error:
        raise ConfigError(f"{where}: '{value}' is not a folder: {error}.") from None


def resolve_paths(
    env: Mapping[str, str] | None = None,
    *,
    journal: Path | None = None,
    config: Path | None = None,
) -> Paths:
    env = os.environ if env is None else env
    for name in ("COACH_HOME", "COACH_CONFIG", "COACH_JOURNAL", "COACH_PLAYBOOKS"):
        for value in env.get(name, "").split(os.pathsep if name == "COACH_PLAYBOOKS" else "\0"):
            if value:
                _folder(value, f"${name}")  # each says what is wrong with it, by name
    sources: dict[str, str] = {}
    data_dir, config_dir, cache_dir, default = places.home_folders(env)
    data, cache = Path(data_dir), Path(cache_dir)

    if config is not None:
        config = Path(_folder(str(config), "--config"))
        config_file, sources["config_file"] = config, "--config"
    else:
        config_file = Path(places.config_file(env, config_dir))
        named = env.get("COACH_CONFIG")
        sources["config_file"] = "$COACH_CONFIG" if named else default
    settings, written = read_config(config_file)
    if written or config_file.exists():
        from servicecoach.startup.cache import remember_config

        remember_config(
            config_file, cache, written.get("playbooks", []), written.get("journal", [None])[0]
        )
    from_file = f"config file {config_file}"

    if journal is not None:
        journal, sources["journal"] = Path(_folder(str(journal), "--journal")), "--journal"
    elif env.get("COACH_JOURNAL"):
        journal = Path(places.folder(env["COACH_JOURNAL"]))
        sources["journal"] = "$COACH_JOURNAL"
    elif "journal" in settings:
        journal, sources["journal"] = settings["journal"], from_file
    else:
        journal, sources["journal"] = data / "journal", default

    team = [Path(p) for p in places.team_folders(env)]
    origins = ["$COACH_PLAYBOOKS"] * len(team)
    team += settings.get("playbooks", [])
    origins += [from_file] * len(settings.get("playbooks", []))
    sources["team_playbooks"] = ", ".join(dict.fromkeys(origins)) or "none set"
    for name in ("drafts", "user_playbooks", "cache"):
        sources[name] = default
    for name in ("share", "share_as"):
        sources[name] = from_file if name in settings else "none set"
    drafts = Path(places.state_folder(env)) / "drafts"
    return Paths(
        journal=journal,
        drafts=drafts,
        former_drafts=None if data / "drafts" == drafts else data / "drafts",
        user_playbooks=Path(config_dir) / "playbooks",
        team_playbooks=tuple(team),
        cache=cache,
        config_file=config_file,
        sources=sources,
        team_sources=tuple(origins),
        share=settings.get("share"),
        share_as=settings.get("share_as"),
    )
