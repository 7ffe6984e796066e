"""Safe writes: atomic, private, never overwriting, one clear sentence when the disk says no."""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path

import pytest

from servicecoach import storage
from servicecoach.errors import JournalError
from servicecoach.journal.files import save_reflection
from servicecoach.storage import create_new, write_atomic

from ..scripted import START


def test_a_reflection_is_never_overwritten(tmp_path: Path) -> None:
    first = save_reflection(tmp_path, START, "apology", "one")
    second = save_reflection(tmp_path, START, "apology", "two")
    assert first == tmp_path / "2026" / "11" / "2026-11-26-143000-apology.md"
    assert second == tmp_path / "2026" / "11" / "2026-11-26-143000-apology-2.md"
    assert first.read_text() == "one"
    assert second.read_text() == "two"


def test_concurrent_saves_in_the_same_second_all_survive(tmp_path: Path) -> None:
    paths: list[Path] = []
    barrier = threading.Barrier(8)

    def save(n: int) -> None:
        barrier.wait()
        paths.append(save_reflection(tmp_path, START, "learn", f"reflection {n}"))

    threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(paths)) == 8
    assert sorted(p.read_text() for p in paths) == sorted(f"reflection {n}" for n in range(8))
    assert not list(tmp_path.rglob(".tmp-*"))


def test_files_are_private(tmp_path: Path) -> None:
    path = save_reflection(tmp_path / "journal", START, "apology", "secret")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    write_atomic(tmp_path / "drafts" / "d.json", b"{}")
    assert stat.S_IMODE((tmp_path / "drafts" / "d.json").stat().st_mode) == 0o600


def test_a_journal_path_that_is_a_file_is_one_sentence(tmp_path: Path) -> None:
    journal = tmp_path / "journal"
    journal.write_text("not a folder")
    with pytest.raises(JournalError) as caught:
        save_reflection(journal, START, "apology", "x")
    assert str(caught.value) == (
        f"Cannot create the folder {journal / '2026' / '11'}: "
        "a part of the path is a file, not a folder."
    )


@pytest.mark.parametrize(
    ("code", "sentence"),
    [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "the disk is read-only"),
     (errno.EDQUOT, "the disk quota is used up")],
)  # fmt: skip
def test_a_full_or_read_only_disk_is_one_sentence_and_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, sentence: str
) -> None:
    def refuse(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(storage.os, "fsync", refuse)
    with pytest.raises(JournalError, match=sentence):
        create_new(tmp_path, "x", ".md", b"data")
    with pytest.raises(JournalError, match=sentence):
        write_atomic(tmp_path / "draft.json", b"data")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores read-only permissions")
def test_a_read_only_folder_is_one_sentence(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(JournalError, match="permission denied"):
            create_new(tmp_path, "x", ".md", b"data")
    finally:
        tmp_path.chmod(0o700)


def test_without_hard_links_names_are_still_claimed_exclusively(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "links not supported")

    monkeypatch.setattr(storage.os, "link", no_links)
    first = create_new(tmp_path, "x", ".md", b"one")
    second = create_new(tmp_path, "x", ".md", b"two")
    assert (first.name, second.name) == ("x.md", "x-2.md")
    assert (first.read_bytes(), second.read_bytes()) == (b"one", b"two")


@pytest.mark.parametrize(
    ("size", "told", "limit", "expected"),
    [
        (10, 10, 100, 10),  # the size fstat told: read in one go, the end seen at once
        (10, 3, 100, 10),  # it grew after fstat: read on to the end
        (200, 3, 100, 101),  # it grew past the limit: one byte more than the limit, no more
        (200, 200, 100, 101),
        (0, 0, 100, 0),
        (5, 50, 100, 5),  # it shrank
    ],
)
def test_a_bounded_read_takes_the_whole_file_or_one_byte_more_than_the_limit(
    tmp_path: Path, size: int, told: int, limit: int, expected: int
) -> None:
    from servicecoach import places

    path = tmp_path / "file"
    path.write_bytes(bytes(range(256))[:size] if size <= 256 else b"x" * size)
    fd = os.open(path, os.O_RDONLY)
    try:
        data = places._read_regular(fd, min(told, limit) + 1, limit + 1)
    finally:
        os.close(fd)
    assert data == path.read_bytes()[:expected]
    assert places.read_at_most(path, limit) == path.read_bytes()[: min(size, limit + 1)]
