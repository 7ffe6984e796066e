"""The one console seam: everything coach prints goes through here.

Drawn output goes through a Rich console (`out`, `err`, `show`), whose renderables build
untrusted text with `text.plain`; lines of text go through `line` and `warn`, which make them
visible (`text.visible`); data for other programs (JSON, CSV, a schema, a reflection) goes out
as it is through `data`. Consoles are made when they are used, so they write to the
`sys.stdout` and `sys.stderr` of that moment: that is what lets tests run commands in-process.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from servicecoach.text import visible

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


def out() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def show(*renderables: RenderableType, **options: Any) -> None:
    """Draw renderables on standard output."""
    console = out()
    for renderable in renderables:
        console.print(renderable, **options)


def line(text: str, end: str = "\n") -> None:
    """One line of text on standard output, control characters made visible."""
    sys.stdout.write(visible(text) + end)
    sys.stdout.flush()


def warn(text: str) -> None:
    """One line on standard error (warnings, errors, notes beside data on stdout)."""
    sys.stderr.write(visible(text) + "\n")
    sys.stderr.flush()


def data(text: str) -> None:
    """Output for another program, exactly as given (it is escaped by its own format)."""
    sys.stdout.write(text)
    sys.stdout.flush()
