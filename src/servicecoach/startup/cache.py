"""The start-up cache: screens the full program printed, kept so the next start shows them at once.

Its promise: a screen is shown from here only when everything that decides how it looks is the
same as when it was stored, because all of that is in its key: coach's code and Python's, the
libraries that draw, the playbook files (path, name and content), the options, the terminal's
width and encoding, the colour variables, and the config file with its folders as written.

Standard library only, and imported by `launch.py` before anything else: what is heavy (writing
files safely) is imported where a screen is stored, by the full program. What lives here:

- first screens of a session (`FirstScreen` records one, `Prelude` says one was shown),
- help screens (`HelpRecorder` keeps what `coach --help` printed),
- playbook titles, and their questions' titles, for help, completion and stats (`Titles`),
- the config file's team folders, as written (`remember_config`), so that the fast path finds
  playbooks exactly as the catalog does without reading YAML.
"""

from __future__ import annotations

import hashlib
import os
import sys

from servicecoach import __version__, places

TYPE_CHECKING = False  # typing, collections.abc and contextlib cost the first cue ~15 ms
if TYPE_CHECKING:
    from collections.abc import Mapping
    from types import TracebackType
    from typing import Any

COLOUR_ENV = (
    "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
    "CLICOLOR", "COLUMNS", "LINES", "TERMINAL_WIDTH", "TYPER_USE_RICH",
    "_TYPER_FORCE_DISABLE_TERMINAL", "JUPYTER_COLUMNS", "JUPYTER_LINES", "GITHUB_ACTIONS",
    "PY_COLORS", "DATABRICKS_RUNTIME_VERSION",
)  # fmt: skip
"""Environment variables that change what Rich and Typer print."""

HELP_ARGS = (["--help"], ["-h"])
CONFIG_RECORD = "config-folders.json"
TITLES = "playbooks.json"


# --- where -----------------------------------------------------------------------------------


def cache_folder(env: Mapping[str, str]) -> str:
    return places.home_folders(env)[2]


def playbook_folders(env: Mapping[str, str]) -> list[str] | None:
    """The catalog's folders in precedence order, or None when that needs the full program
    (a config file whose folders are not remembered yet)."""
    _, config_dir, _, _ = places.home_folders(env)
    folders = [os.path.join(config_dir, "playbooks"), *places.team_folders(env)]
    known = _config_as_written(env)
    if known is None:
        return None
    if known:
        base = os.path.dirname(known["file"])
        folders += [places.folder(str(value), base) for value in known["written"]]
    folders.append(places.builtin_folder_path())
    return folders


def journal_folder(env: Mapping[str, str]) -> str | None:
    """The journal folder, as `config.resolve_paths` finds it without --journal, or None when
    that needs the full program."""
    if env.get("COACH_JOURNAL"):
        return places.folder(env["COACH_JOURNAL"])
    known = _config_as_written(env)
    if known is None:
        return None
    if known and isinstance(known.get("journal"), str):
        return places.folder(known["journal"], os.path.dirname(known["file"]))
    return os.path.join(places.home_folders(env)[0], "journal")


def _config_as_written(env: Mapping[str, str]) -> dict[str, Any] | None:
    """The config file's folders as the full program last read them ({} for no config file),
    or None if that file is not remembered as it is now."""
    _, config_dir, cache, _ = places.home_folders(env)
    config_file = places.config_file(env, config_dir)
    try:
        raw: bytes | None = places.read_at_most(config_file, places.MAX_YAML_BYTES)
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except OSError:
        return None
    import json

    try:
        with open(os.path.join(cache, CONFIG_RECORD), encoding="utf-8") as handle:
            known = json.load(handle).get(os.path.realpath(config_file))
    except (OSError, ValueError, AttributeError):
        return None
    if (
        not isinstance(known, dict)
        or known.get("sha256") != hashlib.sha256(raw).hexdigest()
        or not isinstance(known.get("written"), list)
        or "journal" not in known
    ):
        return None
    return {**known, "file": config_file}


def journal_listing(folder: str) -> str | None:
    """A digest of everything in the journal folder (names, kinds, sizes, times), or None if
    it cannot be listed: any change the journal's sync would see changes it."""
    digest = hashlib.sha256()
    stack = [folder]
    try:
        while stack:
            here = stack.pop()
            with os.scandir(here) as found:
                entries = sorted(found, key=lambda entry: entry.name)
            for entry in entries:
                info = entry.stat(follow_symlinks=False)
                digest.update(
                    f"{entry.path}\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}\n".encode(
                        "utf-8", "surrogateescape"
                    )
                )
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
    except OSError:
        return None
    return digest.hexdigest()


def remember_config(
    config_file: os.PathLike[str],
    cache: os.PathLike[str],
    written: list[str],
    journal: str | None = None,
) -> None:
    """Note a config file's team folders and journal as written (`~/team`, `../shared`), by
    the file's path and content: the fast path expands them the way the full program does,
    in its own environment (another HOME, another folder). Each config file a person uses is
    kept."""
    import json

    try:
        digest = hashlib.sha256(places.read_at_most(config_file, places.MAX_YAML_BYTES)).hexdigest()
    except OSError:
        return
    target = os.path.join(os.fspath(cache), CONFIG_RECORD)
    try:
        with open(target, encoding="utf-8") as handle:
            records = json.load(handle)
    except (OSError, ValueError):
        records = {}
    if not isinstance(records, dict):
        records = {}
    records = {path: known for path, known in records.items() if isinstance(known, dict)}
    record = {"sha256": digest, "written": written, "journal": journal}
    if records.get(os.path.realpath(config_file)) != record:
        records[os.path.realpath(config_file)] = record
        _store(target, json.dumps(records))


def file_digest(path: object) -> str | None:
    """The SHA-256 of a playbook file's content; None if it cannot be read, or is larger than
    a playbook may be (a file of gigabytes is not read just to be refused)."""
    try:
        data = places.read_at_most(path, places.MAX_YAML_BYTES)
    except OSError:
        return None
    if len(data) > places.MAX_YAML_BYTES:
        return None
    return hashlib.sha256(data).hexdigest()


def find_playbook(playbook_id: str, folders: list[str]) -> str | None:
    """The file the catalog would pick: exact names only (a case-insensitive file system
    would otherwise find `Apology.yaml` for `apology`)."""
    for folder in folders:
        try:
            names = set(os.listdir(folder))
        except OSError:
            continue
        for suffix in places.SUFFIXES:
            name = f"{playbook_id}{suffix}"
            path = os.path.join(folder, name)
            if name in names and os.path.isfile(path):
                return path
    return None


def playbook_files(folder: str) -> list[str]:
    """The names of the playbook files directly in `folder`, as the catalog lists them."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(
        name
        for name in names
        if name.endswith(places.SUFFIXES)
        and not name.startswith(".")
        and os.path.isfile(os.path.join(folder, name))
    )


# --- keys ------------------------------------------------------------------------------------


def code_stamp() -> list[object]:
    """coach's version, where it is installed and its code's latest change, Python's version,
    and the libraries that draw the screens: a screen cached by other code (an upgrade, a
    second installation, a developer's edit) is never shown."""
    newest = 0
    for folder, _, names in os.walk(places.PACKAGE):
        for name in names:
            if name.endswith(".py"):
                try:
                    newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
                except OSError:
                    continue
    stamps: list[object] = [__version__, places.PACKAGE, sys.version, newest]
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


def terminal_width(env: Mapping[str, str]) -> int | None:
    """The width Rich draws at, by Rich's own rule: `$COLUMNS`, else the size of the first of
    standard input, output and error that is a terminal (so `coach --help | less` is as wide
    as the terminal), else 80. None for a `$COLUMNS` Rich would stumble on."""
    width = 0
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor).columns
            break
        except (OSError, ValueError):
            continue
    columns = env.get("COLUMNS", "")
    if columns.isdigit():
        if not columns.isascii():
            return None
        width = int(columns)
    return width or 80


def _terminal(env: Mapping[str, str], width: int) -> list[object]:
    """What the output adds to a screen: its width, whether it is a terminal (colour), its
    encoding (ASCII boxes where it cannot show Unicode) and every colour setting."""
    stdout = sys.stdout
    encoding = getattr(stdout, "encoding", None)
    try:
        terminal = stdout.isatty()
    except (AttributeError, ValueError):  # closed, or not a stream
        terminal = None
    return [width, terminal, encoding, [env.get(name) for name in COLOUR_ENV]]


def _key(*inputs: object) -> str:
    return hashlib.sha256(repr([*code_stamp(), *inputs]).encode()).hexdigest()[:32]


def card_key(
    path: object, digest: str, recall: bool, audience: str, width: int, env: Mapping[str, str]
) -> str:
    """Everything that decides what a session's first screen looks like (the file's path too:
    a playbook's id must match its name)."""
    where = os.path.normpath(os.fspath(path))  # type: ignore[arg-type]
    return _key("card", where, digest, recall, audience, _terminal(env, width))


def help_key(env: Mapping[str, str], width: int) -> str | None:
    """What decides `coach --help`'s output: coach's code, the terminal, and every playbook
    file the catalog would list (by name and content)."""
    files = _catalog_files(env)
    return None if files is None else _key("help", files, _terminal(env, width))


def completion_key(env: Mapping[str, str], shell: str, words: tuple[str, ...]) -> str | None:
    """What decides the completions after `words` (names and their helps) at the positions
    COMPLETED_HERE: coach's code, the shell, and every playbook file by name and content, or
    the journal's folder and everything in it."""
    if words in JOURNAL_POSITIONS:
        journal = journal_folder(env)
        listing = journal_listing(journal) if journal is not None else None
        return None if listing is None else _key("complete", shell, words, journal, listing)
    files = _catalog_files(env)
    return None if files is None else _key("complete", shell, words, files)


def _catalog_files(env: Mapping[str, str]) -> list[tuple[str, str, str]] | None:
    folders = playbook_folders(env)
    if folders is None:
        return None
    files = []
    for folder in folders:
        for name in playbook_files(folder):
            digest = file_digest(os.path.join(folder, name))
            if digest is None:
                return None
            files.append((folder, name, digest))
    return files


# --- completion from what the full program answered -------------------------------------------

CATALOG_POSITIONS = ((), ("playbooks", "show"))
"""The words after which what Tab offers depends on the playbooks alone: the first word
(commands and playbook ids), and `playbooks show ID`."""
JOURNAL_POSITIONS = (("journal", "show"), ("journal", "edit"))
"""The words after which it depends on the journal's files alone: references."""
COMPLETED_HERE = (*CATALOG_POSITIONS, *JOURNAL_POSITIONS)


def completion_asked(env: Mapping[str, str]) -> tuple[str, tuple[str, ...], str] | None:
    """(shell, the words before, what was typed) when a shell asks, by Typer's protocol, for
    completions at one of COMPLETED_HERE; None for anything else."""
    shell = {"complete_bash": "bash", "complete_zsh": "zsh", "complete_fish": "fish"}.get(
        env.get("_COACH_COMPLETE", "")
    )
    if shell == "bash":
        words = env.get("COMP_WORDS", "").split()
        position = env.get("COMP_CWORD", "")
        if not position.isdigit() or not 1 <= int(position) <= len(words) or not words:
            return None
        before, typed = words[1 : int(position)], "".join(words[int(position) : int(position) + 1])
        if len(words) > int(position) + 1:
            return None
    elif shell is None or (
        shell == "fish" and env.get("_TYPER_COMPLETE_FISH_ACTION") != "get-args"
    ):
        return None
    else:
        line = env.get("_TYPER_COMPLETE_ARGS", "")
        words = line.split()
        ended = line.endswith((" ", "\t"))
        before, typed = (words[1:], "") if ended else (words[1:-1], words[-1] if words else "")
        if not words:
            return None
    plain = all(c.isascii() and (c.isalnum() or c in "-_") for c in typed)
    if tuple(before) not in COMPLETED_HERE or typed.startswith("-") or not plain:
        return None  # quotes, escapes, options: Typer's own reading of the line
    return shell, tuple(before), typed


def completions(shell: str, every: str, typed: str) -> str:
    """The answer to `completion_asked`, from `every`: Typer's answer when nothing was typed.
    Typer offers the names that start with what was typed, in the same form."""
    if shell in ("bash", "fish"):
        return "\n".join(line for line in every.split("\n") if line.startswith(typed))
    opening, closing = "_arguments '*: :((", "))'"
    if not (every.startswith(opening) and every.endswith(closing)):
        return every  # "_files": nothing to offer, whatever was typed
    lines = every[len(opening) : -len(closing)].split("\n")
    kept = [line for line in lines if line.startswith(f'"{typed}')]
    return opening + "\n".join(kept) + closing if kept else "_files"


def completion_file(cache: object, key: str) -> str:
    return os.path.join(os.fspath(cache), "completion", f"{key}.txt")  # type: ignore[arg-type]


# --- screens ---------------------------------------------------------------------------------


def screen_file(cache: object, key: str) -> str:
    return os.path.join(os.fspath(cache), "first-cards", f"{key}.txt")  # type: ignore[arg-type]


def read_screen(cache: object, key: str) -> str | None:
    try:
        with open(screen_file(cache, key), encoding="utf-8") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None


def store_screen(cache: object, key: str, text: str) -> None:
    if text:
        _store(screen_file(cache, key), text)


def read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None


def store_text(path: str, text: str) -> None:
    _store(path, text)


def _store(path: str, text: str) -> None:
    import contextlib
    from pathlib import Path

    from servicecoach.errors import CoachError
    from servicecoach.storage import write_atomic

    with contextlib.suppress(CoachError):  # a cache that cannot be written is no cache
        write_atomic(Path(path), text.encode())


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

    def showed(self, playbook_id: str, digest: str, recall: bool, audience: str) -> bool:
        """Whether this is the first screen of that run (the full program may have found
        another playbook, or another revision of it, than the fast path did)."""
        mine = (self.playbook_id, self.digest, self.recall, self.audience)
        return mine == (playbook_id, digest, recall, audience)


class FirstScreen:
    """The first screen of one run: to be stored for the fast path's next time, and printed
    unless the fast path already showed it (`shown`)."""

    __slots__ = ("audience", "cache", "digest", "path", "recall", "shown")

    def __init__(
        self,
        cache: object,
        path: object,
        digest: str,
        recall: bool,
        audience: str,
        shown: bool = False,
    ) -> None:
        self.cache = cache
        self.path = path
        self.digest = digest
        self.recall = recall
        self.audience = audience
        self.shown = shown

    def store(self, text: str) -> None:
        """Keep `text`, as drawn for this process's terminal, under the key the fast path will
        compute there (its width by the same rule, `terminal_width`)."""
        width = terminal_width(os.environ)
        if width is None or not sys.stdout.isatty():  # a pipe is not what the fast path shows
            return
        key = card_key(self.path, self.digest, self.recall, self.audience, width, os.environ)
        store_screen(self.cache, key, text)


class _Tee:
    """stdout that also keeps what was written (and still looks like the terminal to Rich)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.parts: list[str] = []
        self.complete = True

    def write(self, text: str | bytes) -> int:
        written = self.stream.write(text)  # raises as the real stream would (click probes)
        if isinstance(text, str):
            self.parts.append(text)
        elif text:
            self.complete = False  # something we did not capture as text: keep nothing
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


class HelpRecorder:
    """Around the full program: keep the help screen that `coach --help` prints, for the fast
    path to show at once next time to the same kind of output (a terminal of that width, or a
    pipe) for the same playbooks."""

    def __init__(self, argv: list[str]) -> None:
        self.tee = _Tee(sys.stdout) if argv in HELP_ARGS else None

    def __enter__(self) -> None:
        if self.tee is not None:
            sys.stdout = self.tee

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _: TracebackType
    ) -> None:
        tee = self.tee
        if tee is None:
            return
        sys.stdout = tee.stream
        done = isinstance(error, SystemExit) and error.code in (0, None)
        if (kind is None or done) and tee.complete:
            env = dict(os.environ)
            width = terminal_width(env)
            key = help_key(env, width) if width is not None else None
            if key is not None:
                store_screen(cache_folder(env), key, "".join(tee.parts))


# --- titles ----------------------------------------------------------------------------------


class Titles:
    """Playbook titles, and the titles of each playbook's questions by id, so that listing
    (`--help`, completion) and naming steps (`journal stats`) never parse YAML or build models
    for unchanged playbooks. Keyed by the file's name and content (its id must match its name,
    so a copy under another name may be invalid) and by coach's code. A playbook that does not
    load is known as None."""

    def __init__(self, cache: object | None) -> None:
        self.file = os.path.join(os.fspath(cache), TITLES) if cache is not None else None  # type: ignore[arg-type]
        self._known: dict[str, Any] | None = None

    @staticmethod
    def key(path: object) -> str | None:
        """The key of the playbook file at `path`; None if it cannot be read (or is larger
        than a playbook may be: it has no title, and is not read to say so)."""
        digest = file_digest(path)
        if digest is None:
            return None
        return f"{os.path.basename(os.fspath(path))}\n{digest}"  # type: ignore[arg-type]

    def get(self, key: str) -> tuple[bool, tuple[str, dict[str, str]] | None]:
        """(whether the playbook is known, its title and its questions' titles: None for a
        playbook that does not load)."""
        known = self._read()
        found = known.get(key)
        if found is None:
            return key in known, None
        return True, (found[0], found[1])

    def put(self, key: str, titles: tuple[str, dict[str, str]] | None) -> None:
        known = self._read()
        known[key] = None if titles is None else [titles[0], titles[1]]
        if self.file is not None:
            import json

            _store(self.file, json.dumps({"coach": code_stamp(), "titles": known}))

    def _read(self) -> dict[str, Any]:
        """The stored titles, read once (what is not in the form `put` writes is left out)."""
        if self._known is None:
            self._known = {}
            if self.file is not None:
                import json

                try:
                    with open(self.file, encoding="utf-8") as handle:
                        data = json.load(handle)
                    if data.get("coach") == code_stamp() and isinstance(data.get("titles"), dict):
                        self._known = {
                            key: value
                            for key, value in data["titles"].items()
                            if value is None or _titles_record(value)
                        }
                except (OSError, ValueError, AttributeError):
                    pass
        return self._known


def _titles_record(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value[1].items())
    )
