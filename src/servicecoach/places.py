"""Names and places: coach's own command names, playbook file names, where coach's folders are,
from the environment, and how a file coach reads is read (regular, bounded).

Standard library only (platformdirs is imported only where `COACH_HOME` does not say where to
go): the start-up fast path finds playbooks with these functions before anything else is
imported, and the full program (`config.resolve_paths`) with the same ones, so the two can
never disagree about a folder.
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False  # typing itself costs the fast path more than this whole module
if TYPE_CHECKING:
    from collections.abc import Mapping

APP = "servicecoach"

COMMAND_NAMES = (
    "resume", "help", "completion", "share", "playbooks", "journal", "followups", "team",
    "config",
)  # fmt: skip
"""coach's own commands, in the order `coach --help` and completion list them: a playbook with
one of these ids cannot be run as `coach <id>`."""

SUFFIXES = (".yaml", ".yml")

MAX_YAML_BYTES = 1024 * 1024
"""The largest YAML file coach reads (a playbook, the config file, an answers file)."""

PACKAGE = os.path.dirname(os.path.abspath(__file__))


def builtin_folder_path() -> str:
    """The built-in playbooks: inside the package when installed from a wheel, else the
    repository's top-level `playbooks/` folder (source checkout or editable install)."""
    packaged = os.path.join(PACKAGE, "playbooks", "builtin")
    if os.path.isdir(packaged):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(PACKAGE))), "playbooks")


def read_at_most(path: object, limit: int, *, pipes: bool = False) -> bytes:
    """A file's bytes, but never more than `limit` + 1 of them: the caller says what a longer
    one is. Only a regular file, unless `pipes` (an answers file from `<(...)`): a named pipe
    would wait for a writer, a device such as /dev/zero never end. OSError otherwise."""
    flags = os.O_RDONLY | (0 if pipes else os.O_NONBLOCK)  # a pipe opens at once, then fails
    fd = os.open(os.fspath(path), flags)  # type: ignore[arg-type]
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode):
            return _read_regular(fd, min(info.st_size, limit) + 1, limit + 1)
        if not (pipes and (stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode))):
            raise OSError(errno.EINVAL, "not a regular file", os.fspath(path))  # type: ignore[arg-type]
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limit + 1)
    finally:
        os.close(fd)


def _read_regular(fd: int, wanted: int, most: int) -> bytes:
    """Up to `wanted` bytes (one more than the file held when asked: its end shows at once),
    then on up to `most` if it grew meanwhile. Asking for no more than the file holds spares
    an allocation of `most` bytes, which is most of the cost of reading a small file."""
    parts, total = [], 0
    while total < wanted:
        part = os.read(fd, wanted - total)
        if not part:
            break
        parts.append(part)
        total += len(part)
        if total == wanted < most:  # it grew while it was read: on to the limit
            wanted = most
    return b"".join(parts)


def read_whole(path: object, limit: int) -> bytes:
    """A regular file's bytes; ValueError, saying so, when it is larger than `limit`."""
    data = read_at_most(path, limit)
    if len(data) > limit:
        size = f"{limit // 2**20} MiB" if limit >= 2**20 else f"{limit // 2**10} KiB"
        raise ValueError(f"larger than {size}")
    return data


def can_be_typed(name: str) -> bool:
    """Whether a playbook's file name can be a command: no control characters (which a shell
    cannot complete and a terminal would act on)."""
    return name.isprintable()


def folder(value: str, base: str = "") -> str:
    """A folder as a person writes it in a setting: `~` expanded, relative to `base` (the
    config file's folder), normalised. ValueError, with the reason, where it names no folder
    (`~name` of a user there is none of, a NUL character)."""
    if "\x00" in value:
        raise ValueError("it contains a NUL character")
    expanded = os.path.expanduser(value)
    if expanded.startswith("~"):  # expanduser leaves `~name` alone when there is no such user
        name = expanded[1:].replace(os.sep, "/").split("/", 1)[0]
        raise ValueError(f"there is no user called '{name}'" if name else "there is no home")
    return os.path.normpath(os.path.join(base, expanded))


def home_folders(env: Mapping[str, str]) -> tuple[str, str, str, str]:
    """(data folder, config folder, cache folder, where they came from): `$COACH_HOME` for all
    three, else the platform's own folders."""
    home = env.get("COACH_HOME")
    if home:
        root = folder(home)
        return root, root, os.path.join(root, "cache"), "$COACH_HOME"
    import platformdirs

    return (
        platformdirs.user_data_dir(APP, appauthor=False),
        platformdirs.user_config_dir(APP, appauthor=False),
        platformdirs.user_cache_dir(APP, appauthor=False),
        "platform default",
    )


def state_folder(env: Mapping[str, str]) -> str:
    """Where coach keeps what is neither data nor settings (drafts): `$COACH_HOME`, else the
    platform's state folder (`$XDG_STATE_HOME/servicecoach` on Linux)."""
    home = env.get("COACH_HOME")
    if home:
        return folder(home)
    import platformdirs

    return platformdirs.user_state_dir(APP, appauthor=False)


def team_folders(env: Mapping[str, str]) -> list[str]:
    """The folders `$COACH_PLAYBOOKS` names, in its order."""
    return [folder(p) for p in env.get("COACH_PLAYBOOKS", "").split(os.pathsep) if p]


def config_file(env: Mapping[str, str], config_dir: str) -> str:
    """`$COACH_CONFIG`, else `config.yaml` in the config folder."""
    named = env.get("COACH_CONFIG")
    return folder(named) if named else os.path.join(config_dir, "config.yaml")
