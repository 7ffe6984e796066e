"""Long answers in the person's own editor ($VISUAL, else $EDITOR).

What was written is never lost: when the editor cannot start or exits with an error (vim's
`:cq`, an editor that warns and exits 1), the file with the text stays where it is, and the
sentence says where.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import tempfile
from pathlib import Path

from servicecoach.errors import CoachError


def _default_signals() -> None:
    """In the editor's process: Ctrl-C and Ctrl-\\ behave as they normally do for it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


def editor_command() -> list[str]:
    """The editor to run, as words; a sentence when there is none or it cannot be read."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise CoachError("Set $VISUAL or $EDITOR to the editor to use (e.g. EDITOR=nano).")
    try:
        words = shlex.split(editor)
    except ValueError as error:
        raise CoachError(
            f"Cannot read the editor setting '{editor}' ({error}); set $VISUAL or $EDITOR to "
            "a command, e.g. EDITOR=nano."
        ) from None
    if not words:
        raise CoachError("Set $VISUAL or $EDITOR to the editor to use (e.g. EDITOR=nano).")
    return words


def open_in_editor(path: Path, command: list[str] | None = None) -> int:
    """Let the person edit `path`; the editor's exit status. CoachError if it cannot start."""
    words = command or editor_command()
    # Ctrl-C belongs to the editor while it runs (vim users press it to leave insert mode):
    # coach ignores it meanwhile, as git does, instead of stopping and killing the editor.
    ignored = [sig for sig in ("SIGINT", "SIGQUIT") if hasattr(signal, sig)]
    previous = {sig: signal.signal(getattr(signal, sig), signal.SIG_IGN) for sig in ignored}
    try:
        return subprocess.call(
            [*words, str(path)], preexec_fn=_default_signals if os.name == "posix" else None
        )
    except OSError as error:
        raise CoachError(f"Cannot start the editor '{words[0]}': {error.strerror}.") from None
    finally:
        for sig, handler in previous.items():
            signal.signal(getattr(signal, sig), handler)


def edit_text(initial: str, limit: int | None = None) -> str:
    """Open the editor on `initial`; return the saved text (without a final newline). When the
    editor fails, or the text is longer than `limit` characters, the file is kept and the
    CoachError names it."""
    command = editor_command()  # before any file: with no editor there is nothing to keep
    fd, name = tempfile.mkstemp(prefix="coach-answer-", suffix=".md")  # private: 0600
    path = Path(name)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(initial + ("\n" if initial else ""))
    try:
        status = open_in_editor(path, command)
    except CoachError as error:
        raise CoachError(f"{error} Your text is kept in {path}.") from None
    if status != 0:
        raise CoachError(f"The editor exited with status {status}; your text is kept in {path}.")
    text = path.read_text(encoding="utf-8", errors="replace").rstrip("\n")
    if limit is not None and len(text.strip()) > limit:
        raise CoachError(
            f"That text is {len(text):,} characters long; an answer holds up to {limit:,}. "
            f"It is kept in {path}."
        )
    path.unlink(missing_ok=True)
    return text
