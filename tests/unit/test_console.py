"""The console seam: untrusted text made visible, and fitted to what the stream can show."""

from __future__ import annotations

import io
import sys

import pytest

from servicecoach.ui import console


def stream(encoding: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(), encoding=encoding)


def written(target: io.TextIOWrapper) -> bytes:
    target.flush()
    return target.buffer.getvalue()  # type: ignore[attr-defined]


def test_lines_are_made_visible_and_fit_the_streams_encoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    latin, utf8 = stream("latin-1"), stream("utf-8")
    monkeypatch.setattr(sys, "stdout", latin)
    console.line("Say: “Sorry” \x1b[2J café")
    assert written(latin) == b"Say: ?Sorry? \\x1b[2J caf\xe9\n"
    monkeypatch.setattr(sys, "stderr", utf8)
    console.warn("“Sorry”\x07")
    assert written(utf8) == "“Sorry”\\x07\n".encode()


def test_data_goes_out_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    target = stream("utf-8")
    monkeypatch.setattr(sys, "stdout", target)
    console.data('{"answer": "\\u001b"}\n')
    assert written(target) == b'{"answer": "\\u001b"}\n'
