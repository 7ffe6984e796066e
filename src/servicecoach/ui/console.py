"""The one console seam: what coach prints after start-up goes through here.

Drawn output goes through a Rich console (`out`, `show`), whose renderables build untrusted text
with `text.plain`; lines of text go through `line` and `warn`, which make them visible
(`text.visible`); data for other programs (JSON, CSV, a schema, a reflection) goes out as it is
through `data`, in UTF-8, except onto a terminal, where it is made visible too. While the full
program runs, standard output is `Guarded`: a write that fails (a full disk, a closed stream) is
an `OutputError`, one sentence and exit 1, never a quiet success. Text a terminal's encoding
cannot carry becomes `?` (the entry point sets that up, `startup/launch.py`). Consoles are
made when they are used, so they write to the `sys.stdout` and `sys.stderr` of that moment:
that is what lets tests run commands in-process. (Before the full program starts, the fast path
in `startup/launch.py` writes the screens it kept, as they were drawn here.)
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

from servicecoach.errors import OutputError
from servicecoach.text import visible

if TYPE_CHECKING:
    from rich.console import Console, RenderableType


def out(width: int | None = None) -> Console:
    from rich.console import Console

    return Console(highlight=False, emoji=False, width=width)


UNLIMITED = 100_000
"""The width of a table into a pipe or a file: wide enough that nothing is cut."""


def table_width() -> int:
    """The width to lay a table out in: the terminal's; into a pipe or a file, COLUMNS if it
    is set, else no limit, so that what scripts and grep read is never cut at 80 columns."""
    import os

    console = out()
    if sys.stdout.isatty() or os.environ.get("COLUMNS", "").strip().isdecimal():
        return console.width
    return UNLIMITED


def show(*renderables: RenderableType, **options: Any) -> None:
    """Draw renderables on standard output."""
    console = out()
    for renderable in renderables:
        console.print(renderable, **options)


def show_table(table: RenderableType) -> None:
    """A table at `table_width` (as wide as its rows need, up to that)."""
    out(table_width()).print(table)


def page(renderable: RenderableType) -> None:
    """Draw `renderable`; in a terminal, when it is taller than the screen, through $PAGER
    (else `less`) as git does, with LESS=FRX unless LESS is set (colours kept, and less quits
    by itself when it all fits). Into a pipe, or without a pager to run, it is just printed."""
    import os
    import shlex
    import signal
    import subprocess

    console = out()
    if not sys.stdout.isatty():  # not Rich's is_terminal, which FORCE_COLOR makes true
        console.print(renderable)
        return
    with console.capture() as captured:
        console.print(renderable)
    text = captured.get()
    pager = os.environ.get("PAGER", "less").strip()
    if text.count("\n") < console.height or pager in ("", "cat"):
        drawn(text)
        return
    try:
        command = shlex.split(pager)
    except ValueError:
        command = []
    environment = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    try:
        paged = subprocess.Popen(command, stdin=subprocess.PIPE, env=environment)
    except (OSError, ValueError, IndexError):  # no such pager: the text itself
        drawn(text)
        return
    interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the pager's, as in git
    try:
        paged.communicate(text.encode(sys.stdout.encoding or "utf-8", "replace"))
    finally:
        signal.signal(signal.SIGINT, interrupt)


def line(text: str, end: str = "\n") -> None:
    """One line of text on standard output, control characters made visible."""
    sys.stdout.write(visible(text) + end)
    sys.stdout.flush()


def warn(text: str) -> None:
    """One line on standard error (warnings, errors, notes beside data on stdout)."""
    sys.stderr.write(visible(text) + "\n")
    sys.stderr.flush()


def drawn(text: str) -> None:
    """What a Rich console drew and we captured (the first screen): its escape codes are
    its own styles, and the untrusted text in it went through `text.plain`."""
    sys.stdout.write(text)
    sys.stdout.flush()


def overwrite_above(rows: int, drawing: str) -> None:
    """Draw `drawing` (one line a Rich console drew) over the row `rows` above the cursor, and
    put the cursor back where it was: for the card's clock, while the prompt waits."""
    encoding = sys.stdout.encoding or "utf-8"
    sequence = f"\x1b7\x1b[{rows}A\r{drawing}\x1b8"  # save, up, draw, restore
    os.write(sys.stdout.fileno(), sequence.encode(encoding, "replace"))


def data(text: str) -> None:
    """Output for another program, exactly as given (it is escaped by its own format) and in
    UTF-8 whatever the locale says, so that no character is lost; onto a terminal, where
    escape sequences would act, made visible."""
    stream = sys.stdout
    if stream.isatty():
        stream.write(visible(text))
    elif _utf8(stream) or getattr(stream, "buffer", None) is None:
        stream.write(text)
    else:
        stream.flush()
        stream.buffer.write(text.encode("utf-8"))
    stream.flush()


def _utf8(stream: TextIO) -> bool:
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("-", "")
    return encoding in ("utf8", "utf_8")


class Guarded:
    """Standard output as the full program sees it (`CoachGroup.main` puts it in place): a
    write or flush that fails, wherever it comes from (our views, Rich, Typer's help), is an
    `OutputError`, one sentence and exit 1, never a quiet success. A reader that left (`|
    head`, EPIPE) is not an error to report: that passes through as it is."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: Any) -> int:
        with _output():
            return self.stream.write(text)  # type: ignore[no-any-return]

    def flush(self) -> None:
        with _output():
            self.stream.flush()

    @property
    def buffer(self) -> Any:
        return Guarded(self.stream.buffer)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextlib.contextmanager
def _output() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(f"Cannot write to standard output: {_why(error)}.") from None


def _why(error: OSError) -> str:
    from servicecoach.storage import reason

    return "it is closed" if error.errno == errno.EBADF else reason(error)
