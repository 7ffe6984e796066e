"""The elapsed time on a live cue card, ticking while the rep types.

While the prompt waits for a line, a thread draws the card's bottom border again each second,
with the new time: it saves the cursor, moves up to the border, draws it, and puts the cursor
back, so that readline's line and what is being typed stay exactly as they were. It draws only
when it knows how far up the border is: the terminal has kept its width, the border is still
on the screen, and the cursor's row within the typed line is certain (readline's own cursor
position where the readline library shows it; else only while the line has not wrapped).
Otherwise that second is skipped.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable

from rich.cells import cell_len

from servicecoach.ui.console import overwrite_above


class BorderClock:
    """Ticks the border `rows_below` rows above the prompt's first row (the card's last line),
    drawn by `border(seconds)` for the seconds since `since` (`time.monotonic`), while a prompt
    of `prompt_rows` full rows and a last row `prompt_cells` wide waits in a terminal `width`
    columns wide."""

    def __init__(
        self,
        border: Callable[[int], str],
        since: float,
        rows_below: int,
        prompt_rows: int,
        prompt_cells: int,
        width: int,
    ) -> None:
        self._border = border
        self._started = since
        self._rows = rows_below + prompt_rows
        self._cells = prompt_cells
        self._width = width
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="coach-clock", daemon=True)
        self._shown = int(time.monotonic() - since)
        self._point: Callable[[], int | None] | None = None

    def __enter__(self) -> BorderClock:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            now = time.monotonic() - self._started
            if self._stop.wait(timeout=int(now) + 1 - now):
                return
            seconds = int(time.monotonic() - self._started)
            if seconds != self._shown and self._draw(seconds):
                self._shown = seconds

    def _draw(self, seconds: int) -> bool:
        up = self._rows_up()
        if up is None:
            return False
        try:
            size = os.get_terminal_size(sys.stdout.fileno())
            if size.columns != self._width or up >= size.lines:
                return False
            overwrite_above(up, self._border(seconds))
        except OSError:  # the terminal is gone: the prompt will find out
            self._stop.set()
            return False
        return True

    def _rows_up(self) -> int | None:
        """From the cursor's row up to the border, if it is certain."""
        import readline

        if self._point is None:
            self._point = _cursor_in_line()
        line = readline.get_line_buffer()
        point = self._point()
        before = line if point is None else line.encode()[:point].decode("utf-8", "ignore")
        total = self._cells + cell_len(line)
        if total >= self._width and (point is None or not line.isascii()):
            return None  # wrapped: where the cursor is, or where wide characters broke a row
        cells = self._cells + cell_len(before)
        if cells and cells % self._width == 0:
            return None  # at a row's very end: the terminal may or may not have moved down
        return self._rows + cells // self._width + 1


def _cursor_in_line() -> Callable[[], int | None]:
    """How to read readline's cursor position in its line (a byte offset), where the library
    shows it (GNU readline does; Python's module does not pass it on)."""
    try:
        import ctypes
        import readline

        point = ctypes.c_int.in_dll(ctypes.CDLL(readline.__file__), "rl_point")
    except (ImportError, OSError, ValueError, AttributeError):
        return lambda: None
    return lambda: point.value
