"""The `coach` entry point: show the first cue card at once, then start the full program.

A rep opens `coach apology` mid-call. Typer, pydantic, Rich and PyYAML take several times
longer to import than Python takes to start, so this module, which imports only a few small
standard-library modules (paths are plain strings here, on purpose), first tries fast paths:

- the first screen of a session (`coach ID [-r] [-a AUDIENCE]` at a terminal), printed from a
  cache of exactly what the full program printed last time for the same playbook file
  (by path and content hash), options, terminal width and colour settings; the full program
  then starts and continues from the first prompt without printing that screen again;
- `coach --help`, printed from the same kind of cache;
- bash completion of the first word (command names and playbook ids).

Each falls back to the full program whenever anything is unusual: the fast path can only ever
show what the full program would show.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time

from servicecoach import __version__
from servicecoach.places import COMMAND_NAMES, PACKAGE, SUFFIXES, builtin_folder_path

_COLOUR_ENV = (
    "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
    "CLICOLOR", "COLUMNS", "LINES", "TERMINAL_WIDTH", "TYPER_USE_RICH",
    "_TYPER_FORCE_DISABLE_TERMINAL", "JUPYTER_COLUMNS", "JUPYTER_LINES",
)  # fmt: skip
"""Environment variables that change what Rich and Typer print."""

HELP_ARGS = (["--help"], ["-h"])


class Prelude:
    """What the fast path put on screen, for the full program to continue from."""

    __slots__ = ("audience", "digest", "playbook_id", "recall", "started")

    def __init__(
        self, playbook_id: str, digest: str, recall: bool, audience: str, started: float
    ) -> None:
        self.playbook_id = playbook_id
        self.digest = digest
        self.recall = recall
        self.audience = audience
        self.started = started  # time.time() when coach started: the session's start


def _home_folders(env: dict[str, str]) -> tuple[str, str]:
    """(config folder, cache folder), as config.resolve_paths finds them."""
    home = env.get("COACH_HOME")
    if home:
        root = os.path.normpath(os.path.expanduser(home))
        return root, os.path.join(root, "cache")
    import platformdirs

    return (
        platformdirs.user_config_dir("servicecoach", appauthor=False),
        platformdirs.user_cache_dir("servicecoach", appauthor=False),
    )


def team_folders_cache(cache: str) -> str:
    return os.path.join(cache, "config-folders.json")


def playbook_folders(env: dict[str, str]) -> list[str] | None:
    """The catalog's folders in precedence order, or None when that needs the full program
    (a config file whose team folders are not remembered yet)."""
    config_dir, cache = _home_folders(env)
    folders = [os.path.join(config_dir, "playbooks")]
    team = env.get("COACH_PLAYBOOKS", "").split(os.pathsep)
    folders += [os.path.normpath(os.path.expanduser(p)) for p in team if p]
    config = env.get("COACH_CONFIG")
    config_file = os.path.expanduser(config) if config else os.path.join(config_dir, "config.yaml")
    try:
        with open(config_file, "rb") as handle:
            raw: bytes | None = handle.read()
    except (FileNotFoundError, NotADirectoryError):
        raw = None
    except OSError:
        return None
    if raw is not None:
        import json

        try:
            with open(team_folders_cache(cache), encoding="utf-8") as handle:
                known = json.load(handle)
        except (OSError, ValueError):
            return None
        if (
            not isinstance(known, dict)
            or known.get("sha256") != hashlib.sha256(raw).hexdigest()
            or known.get("path") != os.path.realpath(config_file)
        ):
            return None
        folders += [str(p) for p in known.get("folders", [])]
    folders.append(builtin_folder_path())
    return folders


def find_playbook(playbook_id: str, folders: list[str]) -> str | None:
    """The file the catalog would pick: exact names only (a case-insensitive file system
    would otherwise find `Apology.yaml` for `apology`)."""
    for folder in folders:
        try:
            names = set(os.listdir(folder))
        except OSError:
            continue
        for suffix in SUFFIXES:
            name = f"{playbook_id}{suffix}"
            path = os.path.join(folder, name)
            if name in names and os.path.isfile(path):
                return path
    return None


def code_stamp() -> list[object]:
    """coach's version, its code's latest modification and that of the libraries that draw
    the screens: a screen cached by other code (an upgrade, a developer's edit) is never shown."""
    stamps: list[object] = [__version__]
    try:
        stamps.append(
            max(
                entry.stat().st_mtime_ns
                for entry in os.scandir(PACKAGE)
                if entry.name.endswith(".py")
            )
        )
    except (OSError, ValueError):
        stamps.append(0)
    for name in ("rich", "typer"):
        stamps.append(_package_stamp(name))
    return stamps


def _package_stamp(name: str) -> int:
    """The modification time of an installed package's __init__.py, found without importing
    it (or importlib's machinery): the first folder on sys.path that holds it."""
    for folder in sys.path:
        try:
            return os.stat(os.path.join(folder or ".", name, "__init__.py")).st_mtime_ns
        except OSError:
            continue
    return 0


def _key(*inputs: object) -> str:
    return hashlib.sha256(repr([*code_stamp(), *inputs]).encode()).hexdigest()[:32]


def card_key(
    path: object, digest: str, recall: bool, audience: str, width: int, env: dict[str, str]
) -> str:
    """Everything that decides what the first screen looks like (the file's path too: a
    playbook's id must match its name)."""
    colours = [env.get(n) for n in _COLOUR_ENV]
    return _key(os.path.normpath(str(path)), digest, recall, audience, width, colours)


def card_file(cache: object, key: str) -> str:
    return os.path.join(str(cache), "first-cards", f"{key}.txt")


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


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None


def _show(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


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
    with open(path, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()[:12]
    _, cache = _home_folders(env)
    text = _read(card_file(cache, card_key(path, digest, recall, audience, width, env)))
    if text is None:
        return None
    _show(text)
    return Prelude(playbook_id, digest, recall, audience, started)


def help_key(env: dict[str, str], width: int) -> str | None:
    """What decides `coach --help`'s output: coach's code, the terminal, and every playbook
    file the catalog would list (by content)."""
    folders = playbook_folders(env)
    if folders is None:
        return None
    files = []
    for folder in folders:
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith(SUFFIXES))
        except OSError:
            continue
        for name in names:
            if name.startswith("."):
                continue
            try:
                with open(os.path.join(folder, name), "rb") as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()
            except OSError:
                return None
            files.append((folder, name, digest))
    return _key("help", width, [env.get(n) for n in _COLOUR_ENV], files)


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
    text = _read(card_file(cache, key))
    if text is None:
        return False
    _show(text)
    return True


def complete_first_word(env: dict[str, str]) -> bool:
    """Bash completion of `coach <Tab>`: command names, then playbook ids, as Typer lists
    them. True if it answered."""
    if env.get("_COACH_COMPLETE") != "complete_bash" or env.get("COMP_CWORD") != "1":
        return False
    import shlex

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
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            stem, suffix = os.path.splitext(name)
            wanted = suffix in SUFFIXES and not name.startswith(".")
            if wanted and os.path.isfile(os.path.join(folder, name)):
                ids.add(stem)
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
