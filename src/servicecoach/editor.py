"""Long answers in the person's own editor ($VISUAL, else $EDITOR)."""

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


def open_in_editor(path: Path) -> None:
    """Let the person edit `path`; CoachError if there is no editor or it fails."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise CoachError("Set $VISUAL or $EDITOR to the editor to use (e.g. EDITOR=nano).")
    # Ctrl-C belongs to the editor while it runs (vim users press it to leave insert mode):
    # coach ignores it meanwhile, as git does, instead of stopping and killing the editor.
    ignored = [sig for sig in ("SIGINT", "SIGQUIT") if hasattr(signal, sig)]
    previous = {sig: signal.signal(getattr(signal, sig), signal.SIG_IGN) for sig in ignored}
    try:
        status = subprocess.call(
            [*shlex.split(editor), str(path)],
            preexec_fn=_default_signals if os.name == "posix" else None,
        )
    except OSError as error:
        raise CoachError(f"Cannot start the editor '{editor}': {error.strerror}.") from None
    finally:
        for sig, handler in previous.items():
            signal.signal(getattr(signal, sig), handler)
    if status != 0:
        raise CoachError(f"The editor exited with status {status}; check {path}.")


def edit_text(initial: str) -> str:
    """Open the editor on `initial`; return the saved text (without a final newline)."""
    fd, name = tempfile.mkstemp(prefix="coach-answer-", suffix=".md")  # private: 0600
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(initial + ("\n" if initial else ""))
        open_in_editor(path)
        return path.read_text(encoding="utf-8", errors="replace").rstrip("\n")
    finally:
        path.unlink(missing_ok=True)
