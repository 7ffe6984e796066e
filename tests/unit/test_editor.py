"""The person's editor for long answers: what was written is never lost, whatever the editor
does, and a setting that cannot be read is a sentence."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from servicecoach.editor import edit_text
from servicecoach.errors import CoachError


def editor(tmp_path: Path, body: str) -> str:
    script = tmp_path / "editor.py"
    script.write_text("import pathlib, sys\npath = pathlib.Path(sys.argv[-1])\n" + body)
    return f"{sys.executable} {script}"


def kept_file(error: CoachError) -> Path:
    return Path(str(error).rsplit(" kept in ", 1)[1].rstrip("."))


def test_the_saved_text_comes_back_and_no_file_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", editor(tmp_path, "path.write_text(path.read_text() + 'more\\n')"))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    assert edit_text("typed first") == "typed first\nmore"
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize("status", [1, 2])
def test_an_editor_that_exits_with_an_error_keeps_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    """vim's :cq, or an editor that warns and exits 1: the text typed before /e and what was
    written in the editor stay in the file, and the sentence names it."""
    body = f"path.write_text(path.read_text() + 'written in the editor\\n'); sys.exit({status})"
    monkeypatch.setenv("VISUAL", editor(tmp_path, body))
    with pytest.raises(CoachError, match=f"exited with status {status}; your text is kept in"):
        edit_text("typed before /e")
    with pytest.raises(CoachError) as caught:
        edit_text("typed before /e")
    kept = kept_file(caught.value)
    assert kept.read_text() == "typed before /e\nwritten in the editor\n"
    assert kept.stat().st_mode & 0o777 == 0o600


def test_an_editor_that_cannot_start_keeps_the_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", str(tmp_path / "no-such-editor"))
    with pytest.raises(CoachError, match="Cannot start the editor") as caught:
        edit_text("typed before /e")
    assert kept_file(caught.value).read_text() == "typed before /e\n"


@pytest.mark.parametrize("setting", ["vim '-c", 'code "--wait', "   "])
def test_an_editor_setting_that_cannot_be_read_is_a_sentence(
    monkeypatch: pytest.MonkeyPatch, setting: str, tmp_path: Path
) -> None:
    monkeypatch.setenv("EDITOR", setting)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    with pytest.raises(CoachError, match=r"e\.g\. EDITOR=nano"):
        edit_text("typed before /e")
    assert list(tmp_path.iterdir()) == []  # no editor: nothing was made to keep


def test_a_text_longer_than_an_answer_may_be_is_kept_in_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", editor(tmp_path, "path.write_text('x' * 50)"))
    with pytest.raises(CoachError, match="50 characters long; an answer holds up to 10") as caught:
        edit_text("", limit=10)
    assert kept_file(caught.value).read_text() == "x" * 50
