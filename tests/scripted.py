"""A front end that types from a script, for driving the engine without a terminal."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from servicecoach.engine.session import Prompt

START = datetime(2026, 11, 26, 14, 30, 0, tzinfo=timezone(timedelta(hours=1)))


class Clock:
    """A fixed clock that moves forward by `step` seconds each time it is read."""

    def __init__(self, start: datetime = START, step: float = 10) -> None:
        self.now = start
        self.step = timedelta(seconds=step)

    def __call__(self) -> datetime:
        moment = self.now
        self.now += self.step
        return moment


class Script:
    def __init__(self, lines: Iterable[str], ratings: Iterable[str] = ()) -> None:
        self.lines = list(lines)
        self.ratings = list(ratings)
        self.asked: list[str] = []
        self.notices: list[str] = []
        self.helped = 0

    def ask(self, prompt: Prompt) -> str:
        self.asked.append(prompt.item.key)
        if not self.lines:
            raise EOFError
        return self.lines.pop(0)

    def ask_rating(self, prompt: Prompt) -> str:
        if not self.ratings:
            raise EOFError
        return self.ratings.pop(0)

    def ask_follow_up(self, promise: str) -> str:
        return ""  # left for later

    def notice(self, text: str) -> None:
        self.notices.append(text)

    def show_help(self) -> None:
        self.helped += 1

    def interrupted(self) -> None:
        pass

    left_typed = ""
    """What a person was typing when the script stops (an interrupt at a prompt)."""

    def unfinished(self) -> str:
        return self.left_typed

    def edit(self, text: str) -> str:
        self.edited = text
        return self.editor_result

    editor_result = ""

    def say(self, text: str, style: str = "") -> None:
        self.said = [*getattr(self, "said", []), text]

    def show_glance(self, playbook, audience) -> None:  # type: ignore[no-untyped-def]
        self.glanced = getattr(self, "glanced", 0) + 1
