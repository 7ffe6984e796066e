"""Front ends: the Rich one for a person at a terminal, and a plain one for piped stdin.

Both show what the engine hands them and return the line typed; neither decides what comes next.
"""

from __future__ import annotations

import contextlib
import re
import sys
from typing import TYPE_CHECKING, TextIO

from rich.console import Console, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from servicecoach.cards import (
    answer_hint,
    cue_card,
    elapsed,
    plain,
    prompt_label,
    question_text,
)
from servicecoach.sanitize import visible
from servicecoach.session import KEY_HINT, KEYS, Prompt

if TYPE_CHECKING:
    from servicecoach.coaching import FirstScreen
    from servicecoach.playbook import Audience, Playbook

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_RULES = {"wrap_up": "Wrap-up", "closing": "Wrapping up"}


def _choices(prompt: Prompt) -> list[str]:
    question = prompt.item.question
    if question.kind in ("choice", "checklist") and question.options:
        return [f"{i}) {option}" for i, option in enumerate(question.options, start=1)]
    return []


def _kind_hint(prompt: Prompt) -> str:
    question = prompt.item.question
    if question.kind == "note":
        return ""
    if question.kind == "checklist":
        return "numbers or names, comma-separated"
    if question.kind == "choice":
        return "a number or a name"
    return answer_hint(question)


def _previous(prompt: Prompt) -> str:
    record = prompt.previous
    if record is not None and record.status == "skipped":
        return "skipped before"
    if record is None or record.status != "done" or record.answer in (None, "", []):
        return ""
    answer = record.answer
    if isinstance(answer, bool):
        shown = "yes" if answer else "no"
    elif isinstance(answer, list):
        shown = ", ".join(answer)
    else:
        shown = str(answer)
    return f"Enter keeps: {shown}"


class RichFrontend:
    """Cue cards and prompts for a person at a terminal."""

    def __init__(
        self,
        console: Console | None = None,
        title: str = "",
        first_screen: FirstScreen | None = None,
    ) -> None:
        self.console = console or Console(highlight=False)
        self.title = title
        self._section = ""
        self._first = first_screen
        self._pending: list[RenderableType] = []
        self._readline = False
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
            if sys.stdout.isatty() and self.console.is_terminal:  # as launch.py will show it
                first.store(self.console.width, text)  # first: a quick Ctrl-C keeps it too
            sys.stdout.write(text)
            sys.stdout.flush()

    def begin(self, heading: str, detail: str) -> None:
        self._show(
            Text.assemble(plain(heading, "bold"), ("  " + visible(detail), "dim")),
            Text(KEY_HINT, style="dim"),
        )

    def ask(self, prompt: Prompt) -> str:
        item = prompt.item
        if item.section != "step" and item.section != self._section:
            self._show(Rule(Text(_RULES[item.section], style="bold"), align="left"))
        self._section = item.section
        step = prompt.step
        if step is not None and prompt.mode == "live":
            self._show(
                cue_card(step, prompt.audience, prompt.number, prompt.total, prompt.elapsed_s)
            )
        elif step is not None:
            title = Text.assemble(
                (f"{prompt.number}/{prompt.total} ", "dim"), plain(step.title, "bold cyan")
            )
            self._show(Text(""), title)
            cue = step.cue(prompt.audience)
            if cue.do:  # what the step asked of you, as a reminder while you look back
                self._show(plain(cue.do, "dim"))
        for line in _choices(prompt):
            self._show(plain(f"  {line}"))
        self._flush_first_screen()
        question = question_text(item.question, prompt.audience, prompt.mode == "recall")
        hints = [h for h in (_kind_hint(prompt), _previous(prompt)) if h]
        label = plain(prompt_label(question), "bold")
        if hints:
            label.append(f" ({'; '.join(visible(h) for h in hints)})", style="dim")
        label.append(" › ")
        return self._input(label)

    def ask_rating(self, prompt: Prompt) -> str:
        return self._input(Text("Rate this step 1-5 (Enter to skip) › ", style="dim"))

    def _input(self, label: Text) -> str:
        """Read a line with the prompt handed to input() itself: readline must know the prompt,
        or an empty answer leaves the next output on the prompt's line."""
        with self.console.capture() as capture:
            self.console.print(label, end="")
        prompt = capture.get()
        if self._readline:  # mark colour codes as zero-width for readline's cursor maths
            prompt = _ANSI.sub(lambda m: f"\x01{m.group()}\x02", prompt)
        return input(prompt)

    def notice(self, text: str) -> None:
        self.console.print(plain(text, "yellow"))

    def show_help(self) -> None:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for key, meaning in KEYS:
            table.add_row(key, meaning)
        self.console.print(table)

    def show_glance(self, playbook: Playbook, audience: Audience) -> None:
        from servicecoach.cards import glance

        self.console.print(glance(playbook, audience))

    def edit(self, text: str) -> str:
        from servicecoach.editor import edit_text

        return edit_text(text)

    def say(self, text: str, style: str = "") -> None:
        # soft wrap: a long path stays one line, so it can be copied whole
        self.console.print(plain(text, style), soft_wrap=True)

    def interrupted(self) -> None:
        self.console.print()  # leave the prompt's line before the message


class PlainFrontend:
    """Line-by-line questions and answers without colour, for piped stdin and scripts."""

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.echo = not self.stdin.isatty()  # show piped answers, so the transcript reads well
        self._section = ""

    def _write(self, text: str) -> None:
        self.stdout.write(visible(text) + "\n")
        self.stdout.flush()

    def _read(self, label: str) -> str:
        self.stdout.write(visible(label) + " > ")
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            raise EOFError
        line = line.rstrip("\n")
        if self.echo:
            self.stdout.write(visible(line) + "\n")
        return line

    def begin(self, heading: str, detail: str) -> None:
        self._write(f"{heading} ({detail})")

    def ask(self, prompt: Prompt) -> str:
        step = prompt.step
        section = prompt.item.section
        if section != "step" and section != self._section:
            self._write(f"-- {_RULES[section]} --")
        self._section = section
        if step is not None:
            self._write(f"[{prompt.number}/{prompt.total}] {step.title}")
            if prompt.mode == "live":
                cue = step.cue(prompt.audience)
                for phrase in cue.say or []:
                    self._write(f"  Say: {phrase}")
                if cue.do:
                    self._write(f"  Do: {cue.do}")
                if cue.tip:
                    self._write(f"  Tip: {cue.tip}")
                self._write(f"  Elapsed: {elapsed(prompt.elapsed_s)}")
        for line in _choices(prompt):
            self._write(f"  {line}")
        question = question_text(prompt.item.question, prompt.audience, prompt.mode == "recall")
        hints = [h for h in (_kind_hint(prompt), _previous(prompt)) if h]
        label = prompt_label(question)
        return self._read(label + (f" ({'; '.join(hints)})" if hints else ""))

    def ask_rating(self, prompt: Prompt) -> str:
        return self._read("Rate this step 1-5 (Enter to skip)")

    def notice(self, text: str) -> None:
        self._write(text)

    def show_help(self) -> None:
        for key, meaning in KEYS:
            self._write(f"  {key}: {meaning}")

    def edit(self, text: str) -> str:
        from servicecoach.editor import edit_text

        return edit_text(text)

    def show_glance(self, playbook: Playbook, audience: Audience) -> None:
        self._write(f"-- {playbook.title} at a glance --")
        for number, step in enumerate(playbook.steps, start=1):
            cue = step.cue(audience)
            line = cue.say[0] if cue.say else (cue.do or "")
            self._write(f"  {number}. {step.title}: {line}")

    def say(self, text: str, style: str = "") -> None:
        self._write(text)

    def interrupted(self) -> None:
        pass  # end of input already ended the line
