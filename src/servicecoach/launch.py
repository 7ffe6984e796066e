"""The `coach` entry point: show the first cue card at once, then start the full program.

A rep opens `coach apology` mid-call. Typer, pydantic, Rich and PyYAML take several times
longer to import than Python takes to start, so this module, which imports only the standard
library, first tries two fast paths:

- the first screen of a session (`coach ID [-r] [-a AUDIENCE]` at a terminal), printed from a
  cache of exactly what the full program printed last time for the same playbook file
  (by content hash), options, terminal width and colour settings; the full program then
  starts and continues from the first prompt without printing that screen again;
- `coach --help`, printed from the same kind of cache;
- bash completion of the first word (command names and playbook ids).

Each falls back to the full program whenever anything is unusual: the fast path can only ever
show what the full program would show.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from servicecoach import __version__
from servicecoach.catalog import COMMAND_NAMES, SUFFIXES, builtin_folder

_COLOUR_ENV = (
    "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
    "CLICOLOR", "COLUMNS", "LINES", "TERMINAL_WIDTH", "TYPER_USE_RICH",
    "_TYPER_FORCE_DISABLE_TERMINAL", "JUPYTER_COLUMNS", "JUPYTER_LINES",
)  # fmt: skip
"""Environment variables that change what Rich and Typer print."""


@dataclass(frozen=True)
class Prelude:
    """What the fast path put on screen, for the full program to continue from."""

    playbook_id: str
    digest: str
    recall: bool
    audience: str
    started: float  # time.time() when coach started: the session's start


def _home_folders(env: dict[str, str]) -> tuple[Path, Path]:
    """(config folder, cache folder), as config.resolve_paths finds them."""
    home = env.get("COACH_HOME")
    if home:
        root = Path(home).expanduser()
        return root, root / "cache"
    import platformdirs

    return (
        Path(platformdirs.user_config_dir("servicecoach", appauthor=False)),
        Path(platformdirs.user_cache_dir("servicecoach", appauthor=False)),
    )


def team_folders_cache(cache: Path) -> Path:
    return cache / "config-folders.json"


def playbook_folders(env: dict[str, str]) -> list[Path] | None:
    """The catalog's folders in precedence order, or None when that needs the full program
    (a config file whose team folders are not cached yet)."""
    config_dir, cache = _home_folders(env)
    folders = [config_dir / "playbooks"]
    folders += [Path(p).expanduser() for p in env.get("COACH_PLAYBOOKS", "").split(os.pathsep) if p]
    config_file = Path(env["COACH_CONFIG"]).expanduser() if env.get("COACH_CONFIG") else None
    config_file = config_file or config_dir / "config.yaml"
    try:
        raw = config_file.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        raw = None
    except OSError:
        return None
    if raw is not None:
        try:
            known = json.loads(team_folders_cache(cache).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if (
            not isinstance(known, dict)
            or known.get("sha256") != hashlib.sha256(raw).hexdigest()
            or known.get("path") != str(config_file.resolve())
        ):
            return None
        folders += [Path(p) for p in known.get("folders", [])]
    folders.append(builtin_folder())
    return folders


def find_playbook(playbook_id: str, folders: list[Path]) -> Path | None:
    """The file the catalog would pick: exact names only (a case-insensitive file system
    would otherwise find `Apology.yaml` for `apology`)."""
    for folder in folders:
        try:
            names = set(os.listdir(folder))
        except OSError:
            continue
        for suffix in SUFFIXES:
            name = f"{playbook_id}{suffix}"
            if name in names and (folder / name).is_file():
                return folder / name
    return None


def code_stamp() -> list[object]:
    """coach's version and its code's latest modification: a screen cached by other code
    (an upgrade, or a developer's edit) is never shown."""
    folder = Path(__file__).parent
    try:
        latest = max(
            entry.stat().st_mtime_ns for entry in os.scandir(folder) if entry.name.endswith(".py")
        )
    except (OSError, ValueError):
        latest = 0
    return [__version__, latest]


def card_key(
    path: Path, digest: str, recall: bool, audience: str, width: int, env: dict[str, str]
) -> str:
    """Everything that decides what the first screen looks like (the file's name too: a
    playbook's id must match it)."""
    colours = [env.get(n) for n in _COLOUR_ENV]
    inputs = [*code_stamp(), str(path), digest, recall, audience, width, colours]
    return hashlib.sha256(json.dumps(inputs).encode()).hexdigest()[:32]


def card_file(cache: Path, key: str) -> Path:
    return cache / "first-cards" / f"{key}.txt"


def _parse(argv: list[str]) -> tuple[str, bool, str] | None:
    """`ID [-r|--recall] [-a|--audience VALUE]` in any order after ID; else None."""
    if not argv or argv[0].startswith("-") or argv[0] in COMMAND_NAMES:
        return None
    playbook_id, recall, audience = argv[0], False, "customer"
    rest = argv[1:]
    while rest:
        word = rest.pop(0)
        if word in ("-r", "--recall"):
            recall = True
        elif word in ("-a", "--audience") and rest:
            audience = rest.pop(0).lower()
        elif word.startswith("--audience="):
            audience = word.split("=", 1)[1].lower()
        else:
            return None
    if audience not in ("customer", "coworker", "supervisor"):
        return None
    return playbook_id, recall, audience


def terminal_width(env: dict[str, str]) -> int | None:
    if env.get("COLUMNS", "").isdecimal():
        return int(env["COLUMNS"])
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except OSError:
        return None


def show_first_card(argv: list[str], env: dict[str, str]) -> Prelude | None:
    started = time.time()
    parsed = _parse(argv)
    if parsed is None or env.get("COACH_DEBUG") or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    playbook_id, recall, audience = parsed
    folders = playbook_folders(env)
    path = find_playbook(playbook_id, folders) if folders is not None else None
    width = terminal_width(env)
    if path is None or width is None:
        return None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    _, cache = _home_folders(env)
    try:
        key = card_key(path, digest, recall, audience, width, env)
        text = card_file(cache, key).read_text("utf-8")
    except (OSError, ValueError):
        return None
    sys.stdout.write(text)
    sys.stdout.flush()
    return Prelude(playbook_id, digest, recall, audience, started)


HELP_ARGS = (["--help"], ["-h"])


def help_key(env: dict[str, str], width: int) -> str | None:
    """What decides `coach --help`'s output: coach's version, the terminal, and every playbook
    file the catalog would list (by content)."""
    folders = playbook_folders(env)
    if folders is None:
        return None
    files = []
    for folder in folders:
        try:
            names = sorted(p.name for p in folder.iterdir() if p.suffix in SUFFIXES)
        except OSError:
            continue
        for name in names:
            if name.startswith("."):
                continue
            try:
                digest = hashlib.sha256((folder / name).read_bytes()).hexdigest()
            except OSError:
                return None
            files.append([str(folder), name, digest])
    inputs = [*code_stamp(), "help", width, [env.get(n) for n in _COLOUR_ENV], files]
    return hashlib.sha256(json.dumps(inputs).encode()).hexdigest()[:32]


def show_help(argv: list[str], env: dict[str, str]) -> bool:
    """`coach --help`: the help screen the full program printed last time in the same
    terminal for the same playbooks. True if it was shown."""
    if argv not in HELP_ARGS or env.get("COACH_DEBUG") or not sys.stdout.isatty():
        return False
    width = terminal_width(env)
    key = help_key(env, width) if width is not None else None
    if key is None:
        return False
    _, cache = _home_folders(env)
    try:
        text = card_file(cache, key).read_text("utf-8")
    except (OSError, ValueError):
        return False
    sys.stdout.write(text)
    sys.stdout.flush()
    return True


def complete_first_word(env: dict[str, str]) -> bool:
    """Bash completion of `coach <Tab>`: command names, then playbook ids, as Typer lists
    them. True if it answered."""
    if env.get("_COACH_COMPLETE") != "complete_bash" or env.get("COMP_CWORD") != "1":
        return False
    try:
        words = shlex.split(env.get("COMP_WORDS", ""))
    except ValueError:
        return False
    incomplete = words[1] if len(words) > 1 else ""
    if incomplete.startswith("-"):
        return False
    folders = playbook_folders(env)
    if folders is None:
        return False
    ids: set[str] = set()
    for folder in folders:
        try:
            ids |= {
                p.stem
                for p in folder.iterdir()
                if p.suffix in SUFFIXES and not p.name.startswith(".") and p.is_file()
            }
        except OSError:
            continue
    names = [*COMMAND_NAMES, *sorted(ids - set(COMMAND_NAMES))]
    print("\n".join(name for name in names if name.startswith(incomplete)))
    return True


def main() -> None:
    env = dict(os.environ)
    if complete_first_word(env):
        return
    try:
        if show_help(sys.argv[1:], env):
            return
        prelude = show_first_card(sys.argv[1:], env)
    except Exception:  # an optimisation must never be the reason coach fails
        prelude = None
    try:
        from servicecoach.cli import main as full_program
    except KeyboardInterrupt:  # Ctrl-C while the full program loads behind a fast screen
        print("\ncoach: Stopped before any answer; nothing to keep.", file=sys.stderr)
        sys.exit(130)
    full_program(prelude)
