"""Front ends: the Rich one for a person at a terminal, and a plain one for piped stdin.

Both show what the engine hands them and return the line typed; neither decides what comes next.
`open_frontend` picks one for a run; `choose_draft` asks which draft to resume.
"""

from __future__ import annotations

import contextlib
import re
import sys
import time
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from servicecoach.engine.answers import MAX_ANSWER, answer_text, typing_hint
from servicecoach.engine.session import FOLLOW_UP_HINT, KEY_HINT, KEYS, Frontend, Prompt
from servicecoach.errors import CoachError, Interrupted
from servicecoach.text import plain, visible
from servicecoach.ui.cards import cue_card, elapsed, glance
from servicecoach.ui.console import data, drawn, line, out

if TYPE_CHECKING:
    from servicecoach.engine.session import SessionState
    from servicecoach.playbooks.model import Audience, Playbook, Step
    from servicecoach.startup.cache import FirstScreen

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_RULES = {"wrap_up": "Wrap-up", "closing": "Wrapping up"}


def open_frontend(title: str, first_screen: FirstScreen | None = None) -> Frontend:
    """The Rich front end for a person at a terminal, else the plain one."""
    if sys.stdin.isatty():
        return RichFrontend(title=title, first_screen=first_screen)
    return PlainFrontend()


def _choices(prompt: Prompt) -> list[str]:
    question = prompt.item.question
    if question.kind in ("choice", "checklist") and question.options:
        return [f"{i}) {option}" for i, option in enumerate(question.options, start=1)]
    return []


def _hints(prompt: Prompt) -> list[str]:
    """What to type, and what Enter keeps when the step was answered before."""
    hints = [typing_hint(prompt.item.question)]
    record = prompt.previous
    if prompt.wants_answer and (record is None or record.status != "done"):
        hints.append("needs an answer, or /s")  # Enter alone does not move on: say so here
    if record is not None and record.status == "skipped":
        hints.append("skipped before")
    elif record is not None and record.status == "done" and answer_text(record.answer):
        hints.append(f"Enter keeps: {answer_text(record.answer)}")
    return [hint for hint in hints if hint]


class RichFrontend:
    """Cue cards and prompts for a person at a terminal."""

    def __init__(
        self,
        console: Console | None = None,
        title: str = "",
        first_screen: FirstScreen | None = None,
    ) -> None:
        self.console = console or out()
        self.title = title
        self._section = ""
        self._first = first_screen
        self._pending: list[RenderableType] = []
        self._left = ""  # what was on the line when an interrupt ended input()
        self._on_screen = ""  # the item whose card or title was drawn last, still in view
        self._card: tuple[Step, Audience, int, int] | None = None  # the live card in view
        self._below: int | None = None  # rows drawn under that card since; None: not known
        self._since = 0.0  # when the session began, on the clock of `time.monotonic`
        self._readline = False
        if sys.stdin.isatty() and sys.stdout.isatty():  # else input() does not use readline
            with contextlib.suppress(ImportError):  # not on Windows
                import readline  # noqa: F401 - line editing and history for input()

                self._readline = True

    def _show(self, *renderables: RenderableType) -> None:
        """Print; but hold the first screen (up to the first prompt) to print it in one piece,
        skip it if launch.py already printed it, and keep it for launch.py's next time."""
        if self._first is None:
            for renderable in renderables:
                self.console.print(renderable)
        else:
            self._pending.extend(renderables)

    def _flush_first_screen(self) -> None:
        if self._first is None:
            return
        first, self._first = self._first, None
        with self.console.capture() as capture:
            for renderable in self._pending:
                self.console.print(renderable)
        self._pending = []
        text = capture.get()
        if not first.shown:
            first.store(text)  # before printing: a quick Ctrl-C keeps it too
            drawn(text)

    def begin(self, heading: str, detail: str) -> None:
        self._show(
            Text.assemble(plain(heading, "bold"), ("  " + visible(detail), "dim")),
            Text(KEY_HINT, style="dim"),
        )

    def ask(self, prompt: Prompt) -> str:
        item = prompt.item
        if item.section in _RULES and item.section != self._section:
            self._card = None
            self._show(Rule(Text(_RULES[item.section], style="bold"), align="left"))
        self._section = item.section
        step = prompt.step
        if item.key == self._on_screen:  # asked again after a notice: the card is in view
            step = None
        elif (step is None and item.section != "follow_up") or prompt.mode != "live":
            self._card = None  # no live card for this question: no clock
        self._on_screen = item.key
        if step is not None and prompt.mode == "live":
            self._card = (step, prompt.audience, prompt.number, prompt.total)
            self._since = time.monotonic() - prompt.elapsed_s  # when the session began
            self._below = 0
            self._show(cue_card(*self._card, prompt.elapsed_s))
        elif step is not None:
            title = Text.assemble(
                (f"{prompt.number}/{prompt.total} ", "dim"), plain(step.title, "bold cyan")
            )
            self._show(Text(""), title)
            for label, texts in step.cue(prompt.audience).reminder_lines():
                for text in texts:  # what the step asked of you, and why, as you look back
                    self._show(plain(text, "dim italic" if label == "Tip" else "dim"))
        for choice in _choices(prompt):
            self._show(self._under_card(plain(f"  {choice}")))
        self._flush_first_screen()
        label = plain(prompt.question, "bold")
        hints = _hints(prompt)
        if hints:
            label.append(f" ({'; '.join(visible(h) for h in hints)})", style="dim")
        label.append(" › ")
        if prompt.unfinished and not self._readline:  # no line to put it back on: show it
            self._show(plain(f"When it stopped you were typing: {prompt.unfinished}", "yellow"))
            self._flush_first_screen()
        return self._input(label, prompt.unfinished or "")

    def ask_rating(self, prompt: Prompt) -> str:
        return self._input(Text("Rate this step 1-5 (Enter to skip) › ", style="dim"))

    def ask_follow_up(self, promise: str) -> str:
        self._card = None
        self._flush_first_screen()
        self.console.print(plain(promise, "bold"))
        return self._input(Text(f"{FOLLOW_UP_HINT} › ", style="dim"))

    def _input(self, label: Text, typed: str = "") -> str:
        """Read a line with the prompt handed to input() itself: readline must know the prompt,
        or an empty answer leaves the next output on the prompt's line. `typed` is put back on
        the line, ready to finish (what was being typed when the session stopped). Under a live
        card, its time ticks meanwhile."""
        with self.console.capture() as capture:
            self.console.print(label, end="")
        prompt = capture.get()
        if not self._readline:
            return input(prompt)
        import readline

        shown = _ANSI.sub("", prompt)
        rows, cells = shown.count("\n"), cell_len(shown.rpartition("\n")[2])
        prompt = _ANSI.sub(lambda m: f"\x01{m.group()}\x02", prompt)  # zero-width for readline
        if typed:
            readline.set_startup_hook(lambda: readline.insert_text(typed))
        try:
            with self._clock(rows, cells):
                answer = input(prompt)
        except (KeyboardInterrupt, EOFError):
            self._left = readline.get_line_buffer()  # readline still holds the half line
            raise
        finally:
            readline.set_startup_hook()
        if self._below is not None:  # the prompt's rows, and the answer's, now under the card
            width = self.console.width
            end = cells + cell_len(answer)
            certain = (end < width or answer.isascii()) and end % width != 0
            self._below = self._below + rows + end // width + 1 if certain else None
        return answer

    def _clock(self, rows: int, cells: int) -> contextlib.AbstractContextManager[Any]:
        """The live card's time, ticking while the prompt waits, where the card is in view."""
        if self._card is None or self._below is None:
            return contextlib.nullcontext()
        from servicecoach.ui.clock import BorderClock

        card = self._card

        def border(seconds: int) -> str:
            with self.console.capture() as capture:
                self.console.print(cue_card(*card, seconds))
            return capture.get().rstrip("\n").rpartition("\n")[2]

        return BorderClock(border, self._since, self._below, rows, cells, self.console.width)

    def _under_card(self, renderable: RenderableType) -> RenderableType:
        """`renderable`, its rows counted among those under the live card."""
        if self._below is not None:
            self._below += len(self.console.render_lines(renderable, pad=False))
        return renderable

    def unfinished(self) -> str:
        left, self._left = self._left, ""
        return left

    def notice(self, text: str) -> None:
        self.console.print(self._under_card(plain(text, "yellow")))

    def show_help(self) -> None:
        self._on_screen = ""  # the help pushes the card up: draw it again after
        self._card = None
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for key, meaning in KEYS:
            table.add_row(key, meaning)
        self.console.print(table)

    def show_glance(self, playbook: Playbook, audience: Audience) -> None:
        self._on_screen = ""
        self._card = None
        self.console.print(glance(playbook, audience))

    def edit(self, text: str) -> str:
        from servicecoach.editor import edit_text

        self._card = None  # an editor may leave the screen otherwise than it found it
        return edit_text(text, MAX_ANSWER)

    def say(self, text: str, style: str = "") -> None:
        # soft wrap: a long path stays one line, so it can be copied whole
        self._card = None
        self.console.print(plain(text, style), soft_wrap=True)

    def show_reflection(self, markdown: str) -> None:
        data(markdown + "\n")

    def interrupted(self) -> None:
        self._card = None
        self.console.print()  # leave the prompt's line before the message


class PlainFrontend:
    """Line-by-line questions and answers without colour, for piped stdin and scripts."""

    def __init__(self) -> None:
        self.echo = not sys.stdin.isatty()  # show piped answers, so the transcript reads well
        self._section = ""

    def _write(self, text: str) -> None:
        line(text)

    def _read(self, label: str) -> str:
        line(label, end=" > ")
        typed = sys.stdin.readline()
        if not typed:
            line("", end="\n")
            raise EOFError
        typed = typed.rstrip("\n")
        if self.echo:
            line(typed)
        return typed

    def begin(self, heading: str, detail: str) -> None:
        self._write(f"{heading} ({detail})")

    def ask(self, prompt: Prompt) -> str:
        step = prompt.step
        section = prompt.item.section
        if section in _RULES and section != self._section:
            self._write(f"-- {_RULES[section]} --")
        self._section = section
        if step is not None:
            self._write(f"[{prompt.number}/{prompt.total}] {step.title}")
            cue = step.cue(prompt.audience)
            live = prompt.mode == "live"
            for label, texts in cue.cue_lines() if live else cue.reminder_lines():
                for text in texts:
                    self._write(f"  {label}: {text}")
            if live:
                self._write(f"  Elapsed: {elapsed(prompt.elapsed_s)}")
        for choice in _choices(prompt):
            self._write(f"  {choice}")
        if prompt.unfinished:
            self._write(f"  When it stopped you were typing: {prompt.unfinished}")
        hints = _hints(prompt)
        return self._read(prompt.question + (f" ({'; '.join(hints)})" if hints else ""))

    def ask_rating(self, prompt: Prompt) -> str:
        return self._read("Rate this step 1-5 (Enter to skip)")

    def ask_follow_up(self, promise: str) -> str:
        self._write(promise)
        return self._read(FOLLOW_UP_HINT)

    def notice(self, text: str) -> None:
        self._write(text)

    def show_help(self) -> None:
        for key, meaning in KEYS:
            self._write(f"  {key}: {meaning}")

    def edit(self, text: str) -> str:
        from servicecoach.editor import edit_text

        self._card = None  # an editor may leave the screen otherwise than it found it
        return edit_text(text, MAX_ANSWER)

    def show_glance(self, playbook: Playbook, audience: Audience) -> None:
        self._write(f"-- {playbook.title} at a glance --")
        for number, step in enumerate(playbook.steps, start=1):
            self._write(f"  {number}. {step.title}: {step.cue(audience).headline()}")

    def say(self, text: str, style: str = "") -> None:
        self._write(text)

    def show_reflection(self, markdown: str) -> None:
        data(markdown + "\n")

    def interrupted(self) -> None:
        pass  # end of input already ended the line

    def unfinished(self) -> str:
        return ""  # a line read from a pipe is read whole


def choose_draft(found: list[SessionState]) -> str:
    """With several drafts: list them and ask which (Enter: the newest)."""
    from servicecoach.ui.tables import show_drafts

    if not sys.stdin.isatty():
        names = ", ".join(state.draft_id for state in found)
        raise CoachError(f"There are {len(found)} drafts; name the one to resume: {names}.")
    show_drafts(found, numbered=True)
    with contextlib.suppress(ImportError):  # line editing, as at every other prompt
        import readline  # noqa: F401
    while True:
        try:
            answer = input(f"Which draft? 1-{len(found)} (Enter: 1) › ").strip() or "1"
        except (KeyboardInterrupt, EOFError):
            raise Interrupted("Nothing resumed.") from None
        if answer.isascii() and answer.isdecimal() and 1 <= int(answer) <= len(found):
            return found[int(answer) - 1].draft_id
        line(f"Type a number from 1 to {len(found)}.")
