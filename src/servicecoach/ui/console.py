"""The one console seam: what coach prints after start-up goes through here.

Drawn output goes through a Rich console (`out`, `show`), whose renderables build untrusted text
with `text.plain`; lines of text go through `line` and `warn`, which make them visible
(`text.visible`); data for
other programs (JSON, CSV, a schema, a reflection) goes out as it is through `data`, except onto
a terminal, where it is made visible too. A write that fails (a full disk, a closed stream) is
an `OutputError`, one sentence and exit 1, never a quiet success. (What a stream's encoding
cannot carry becomes `?`: the entry point sets that up, `startup/launch.py`.) Consoles
are made when they are used, so they write to the `sys.stdout` and `sys.stderr` of that moment:
that is what lets tests run commands in-process. (Before the full program starts, the fast path
in `startup/launch.py` writes the screens it kept, as they were drawn here.)
"""

from __future__ import annotations

import contextlib
import errno
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

from servicecoach.errors import OutputError
from servicecoach.text import visible

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


def out() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def show(*renderables: RenderableType, **options: Any) -> None:
    """Draw renderables on standard output."""
    console = out()
    with writing("standard output"):
        for renderable in renderables:
            console.print(renderable, **options)


def line(text: str, end: str = "\n") -> None:
    """One line of text on standard output, control characters made visible."""
    _write(sys.stdout, visible(text) + end, "standard output")


def warn(text: str) -> None:
    """One line on standard error (warnings, errors, notes beside data on stdout)."""
    _write(sys.stderr, visible(text) + "\n", "standard error")


def data(text: str) -> None:
    """Output for another program, exactly as given (it is escaped by its own format); onto a
    terminal, where escape sequences would act, made visible."""
    with writing("standard output"):
        sys.stdout.write(visible(text) if sys.stdout.isatty() else text)
        sys.stdout.flush()


def drawn(text: str) -> None:
    """What a Rich console drew and we captured (the first screen): its escape codes are
    its own styles, and the untrusted text in it went through `text.plain`."""
    _write(sys.stdout, text, "standard output")


def _write(stream: TextIO, text: str, name: str) -> None:
    with writing(name):
        stream.write(text)
        stream.flush()


@contextlib.contextmanager
def writing(name: str) -> Iterator[None]:
    """Turn a failed write to `name` into one sentence."""
    try:
        yield
    except OSError as error:
        if error.errno == errno.EPIPE:  # the reader left (`| head`): stop quietly, as tools do
            raise
        raise OutputError(f"Cannot write to {name}: {output_reason(error)}.") from None


def output_reason(error: OSError) -> str:
    from servicecoach.storage import reason

    if error.errno == errno.EBADF:
        return "it is closed"
    return reason(error)
