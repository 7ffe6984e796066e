"""The one console seam: what coach prints after start-up goes through here.

Drawn output goes through a Rich console (`out`, `show`), whose renderables build untrusted text
with `text.plain`; lines of text go through `line` and `warn`, which make them visible
(`text.visible`) and fit them to the stream's encoding (`?` for what it cannot show); data for
other programs (JSON, CSV, a schema, a reflection) goes out as it is through `data`. Consoles
are made when they are used, so they write to the `sys.stdout` and `sys.stderr` of that moment:
that is what lets tests run commands in-process. (Before the full program starts, the fast path
in `startup/launch.py` writes the screens it kept, as they were drawn here.)
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TextIO

from servicecoach.text import visible

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


def out() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def show(*renderables: RenderableType, **options: Any) -> None:
    """Draw renderables on standard output."""
    console = out()
    for renderable in renderables:
        console.print(renderable, **options)


def line(text: str, end: str = "\n") -> None:
    """One line of text on standard output, control characters made visible."""
    _write(sys.stdout, visible(text) + end)


def warn(text: str) -> None:
    """One line on standard error (warnings, errors, notes beside data on stdout)."""
    _write(sys.stderr, visible(text) + "\n")


def data(text: str) -> None:
    """Output for another program, exactly as given (it is escaped by its own format)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def _write(stream: TextIO, text: str) -> None:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    if encoding.lower().replace("-", "").replace("_", "") != "utf8":
        text = text.encode(encoding, "replace").decode(encoding)
    stream.write(text)
    stream.flush()
