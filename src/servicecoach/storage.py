"""Safe file writes: atomic (temp file + rename), private (0600 / 0700), never overwriting.

Every OSError leaves here as a `JournalError` with a sentence that names the path and the reason.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from servicecoach.errors import JournalError

FILE_MODE = 0o600
DIR_MODE = 0o700

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EEXIST: "it exists and is not a folder",
}


def reason(error: OSError) -> str:
    return _REASONS.get(error.errno or 0, error.strerror or str(error))


def ensure_private_dir(folder: Path) -> None:
    """Create `folder` and any missing parents readable by the owner only (existing folders
    are left as they are); OSError if that cannot be done."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for part in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another coach made it just now
            part.mkdir(mode=DIR_MODE)
    if missing and not missing[0].is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(missing[0]))


def ensure_dir(folder: Path) -> None:
    try:
        ensure_private_dir(folder)
    except OSError as error:
        raise JournalError(f"Cannot create the folder {folder}: {reason(error)}.") from None
    if not folder.is_dir():
        raise JournalError(f"Cannot use {folder} as a folder: it is a file.")


def private_cache(cache: Path) -> None:
    """A SQLite cache file exists and is readable by its owner only, before SQLite opens it
    (SQLite gives its -wal and -shm files the same mode)."""
    ensure_private_dir(cache.parent)
    cache.touch(mode=0o600)
    os.chmod(cache, 0o600)


def remove_cache(cache: Path) -> None:
    """A SQLite cache file gone, with its -wal and -shm files."""
    for path in (cache, cache.with_name(cache.name + "-wal"), cache.with_name(cache.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _write_temp(folder: Path, data: bytes | Iterable[bytes]) -> Path:
    """Write `data` (or each of its pieces) to a new private temporary file in `folder` and
    flush it to disk."""
    for attempt in range(1000):
        temp = folder / f".tmp-{os.getpid()}-{attempt}"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as handle:
                for piece in [data] if isinstance(data, bytes) else data:
                    handle.write(piece)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        return temp
    raise JournalError(f"Cannot create a temporary file in {folder}.")


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Replace `path` with `data` in one step: a reader sees the old or the new file, never half."""
    ensure_dir(path.parent)
    try:
        temp = _write_temp(path.parent, data)
        try:
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
    except OSError as error:
        raise JournalError(f"Cannot write {path}: {reason(error)}.") from None


def write_output(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write a file the person named for output (`export -o`): a regular file (or none yet)
    atomically; through a link, to what it links to; into a pipe or a terminal-like device
    (a FIFO, /dev/stdout) as a stream. Nothing that is not a regular file is ever replaced."""
    try:
        target = path.resolve(strict=True) if path.is_symlink() else path
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        if path.is_symlink():
            raise JournalError(f"Cannot write {path}: it is a link to nothing.") from None
        target, mode = path, None
    except (OSError, RuntimeError) as error:  # RuntimeError: a loop of links
        why = reason(error) if isinstance(error, OSError) else "a loop of links"
        raise JournalError(f"Cannot write {path}: {why}.") from None
    if mode is None or stat.S_ISREG(mode):
        write_atomic(target, data)
    elif stat.S_ISDIR(mode):
        raise JournalError(f"Cannot write {path}: it is a folder.")
    elif stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        try:
            with open(target, "wb") as stream:
                for piece in [data] if isinstance(data, bytes) else data:
                    stream.write(piece)
        except OSError as error:
            raise JournalError(f"Cannot write {path}: {reason(error)}.") from None
    else:
        raise JournalError(f"Cannot write {path}: it is not a file coach can write to.")


def create_new(folder: Path, stem: str, suffix: str, data: bytes) -> Path:
    """Write `data` to `folder/stem+suffix`, or `stem-2`, `stem-3`, ... if taken; never overwrite.

    The file appears complete or not at all: it is written to a temporary name and then
    hard-linked to the final name, which fails (instead of replacing) when the name is taken.
    """
    ensure_dir(folder)
    try:
        temp = _write_temp(folder, data)
    except OSError as error:
        raise JournalError(f"Cannot write in {folder}: {reason(error)}.") from None
    try:
        for number in range(1, 10_000):
            path = folder / (f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}")
            try:
                _claim(temp, path)
            except FileExistsError:
                continue
            return path
        raise JournalError(f"Cannot find a free file name for {stem} in {folder}.")
    except OSError as error:
        raise JournalError(f"Cannot write in {folder}: {reason(error)}.") from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def write_exclusive(path: Path, data: bytes) -> None:
    """Write a new file at `path`, complete or not at all; FileExistsError if it exists."""
    ensure_dir(path.parent)
    try:
        temp = _write_temp(path.parent, data)
    except OSError as error:
        raise JournalError(f"Cannot write in {path.parent}: {reason(error)}.") from None
    try:
        _claim(temp, path)
    except FileExistsError:
        raise
    except OSError as error:
        raise JournalError(f"Cannot write {path}: {reason(error)}.") from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def _claim(temp: Path, path: Path) -> None:
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:
        # No hard links here (some network or FAT file systems): reserve the name exclusively,
        # then move the complete file over the empty reservation.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        os.close(fd)
        os.replace(temp, path)
