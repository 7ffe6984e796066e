"""The console seam: untrusted text made visible, data as it is except onto a terminal, and a
write that fails is a sentence, not a quiet success."""

from __future__ import annotations

import errno
import io
import sys

import pytest

from servicecoach.errors import OutputError
from servicecoach.ui import console

HOSTILE = "Say \x1b[2J\x9b31m\x07 “sorry”\n"


class Stream(io.StringIO):
    def __init__(self, *, tty: bool = False, fails: int | None = None) -> None:
        super().__init__()
        self.tty = tty
        self.fails = fails

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        if self.fails is not None:
            raise OSError(self.fails, "nope")
        return super().write(text)


def test_lines_are_made_visible(monkeypatch: pytest.MonkeyPatch) -> None:
    out, err = Stream(), Stream()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    console.line(HOSTILE.rstrip("\n"))
    console.warn(HOSTILE.rstrip("\n"))
    for stream in (out, err):
        assert stream.getvalue() == "Say \\x1b[2J\\x9b31m\\x07 “sorry”\n"


def test_data_goes_out_as_it_is_except_onto_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    piped, terminal = Stream(), Stream(tty=True)
    monkeypatch.setattr(sys, "stdout", piped)
    console.data(HOSTILE)
    assert piped.getvalue() == HOSTILE
    monkeypatch.setattr(sys, "stdout", terminal)
    console.data(HOSTILE)
    assert terminal.getvalue() == "Say \\x1b[2J\\x9b31m\\x07 “sorry”\n"


def test_data_into_a_pipe_keeps_every_character_whatever_the_locale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    latin = io.TextIOWrapper(io.BytesIO(), encoding="latin-1", errors="replace")
    monkeypatch.setattr(sys, "stdout", latin)
    console.data('{"said": "“sorry” 🙂"}\n')
    latin.flush()
    assert latin.buffer.getvalue() == '{"said": "“sorry” 🙂"}\n'.encode()


@pytest.mark.parametrize(
    ("code", "sentence"),
    [
        (errno.ENOSPC, "Cannot write to standard output: the disk is full."),
        (errno.EBADF, "Cannot write to standard output: it is closed."),
        (errno.EIO, "Cannot write to standard output: nope."),
    ],
)
def test_a_write_that_fails_is_one_sentence(
    monkeypatch: pytest.MonkeyPatch, code: int, sentence: str
) -> None:
    monkeypatch.setattr(sys, "stdout", console.Guarded(Stream(fails=code)))
    for write in (console.line, console.data, lambda text: console.show(text)):
        with pytest.raises(OutputError) as caught:
            write("anything")
        assert str(caught.value) == sentence


def test_a_reader_that_left_is_not_an_error_to_report(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", console.Guarded(Stream(fails=errno.EPIPE)))
    with pytest.raises(BrokenPipeError):
        console.data("more")
