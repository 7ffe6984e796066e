"""The coaching engine: walks a playbook in a mode, applies conditions, records answers.

It never prints and never touches files. A front end shows each `Prompt` and returns the line
the person typed; `drive` interprets that line (an answer, or one of the `KEYS`) and moves the
`Session` on. After every change the caller's `on_change` gets the state, to save as a draft.
`replay` answers a whole session from an answers file instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from servicecoach.dates import local
from servicecoach.engine.answers import (
    MAX_ANSWERS,
    check_rating,
    due_from_typed,
    from_file,
    from_typed,
    parse_rating,
)
from servicecoach.errors import AnswerError, CoachError, DateError
from servicecoach.playbooks.model import (
    Answer,
    Audience,
    Condition,
    Mode,
    Playbook,
    Question,
    Step,
    WrapUp,
)

OUTCOMES = ("resolved", "follow-up", "escalated")

KEYS: tuple[tuple[str, str], ...] = (
    ("Enter", "next (an empty answer still counts as done)"),
    ("/s", "skip this step"),
    ("/b", "back one step"),
    ("/c", "the whole playbook at a glance"),
    ("/e", "write this answer in your editor ($VISUAL or $EDITOR); text before /e goes with it"),
    ("/q", "save a draft and quit (continue later with: coach resume)"),
    ("/?", "this help"),
)
KEY_HINT = "Enter next · /s skip · /b back · /c card · /q quit · /? help"
"""The keys in one line of 60 columns, shown once at the start (the draft is kept on /q)."""
FOLLOW_UP_HINT = "k kept · d drop · s WHEN snooze · Enter: later"
"""What to type for a follow-up reviewed before the daily reflection."""

Section = Literal["step", "follow_up", "wrap_up", "closing"]
Status = Literal["done", "skipped"]


class Record(BaseModel):
    """What became of one question."""

    model_config = ConfigDict(extra="forbid")

    status: Status
    answer: Answer = None
    rating: int | None = None


class SessionState(BaseModel):
    """Everything needed to continue a session later: this is what a draft holds."""

    model_config = ConfigDict(extra="forbid")

    format: Literal[1] = 1
    draft_id: str
    playbook: str
    playbook_version: int
    playbook_hash: str
    mode: Mode
    audience: Audience
    started: datetime
    at: datetime | None = None
    """When the interaction happened, if the person said (--at); else it is `started`."""
    finished: datetime | None = None
    journal: str | None = None
    """The --journal folder the run was started with, so `coach resume` saves there too."""
    rotating: list[str] = Field(default_factory=list)
    """The rotating questions chosen when the run started (kept if it is resumed later)."""
    position: int = 0
    history: list[int] = Field(default_factory=list)
    records: dict[str, Record] = Field(default_factory=dict)
    unfinished: dict[str, str] = Field(default_factory=dict)
    """The line being typed when the session was interrupted, by the item it was typed for:
    offered back when that item is asked again."""

    @field_validator("started", "at", "finished")
    @classmethod
    def _local_when_no_zone(cls, moment: datetime | None) -> datetime | None:
        """A time without a zone (a hand-edited draft) is local time, so drafts compare."""
        if moment is not None and moment.tzinfo is None:
            return local(moment)
        return moment


@dataclass(frozen=True)
class Item:
    """One thing to ask: a step, a playbook wrap-up question, or a closing question."""

    key: str
    question: Question
    section: Section


def closing_questions(playbook: Playbook) -> list[WrapUp]:
    """Outcome (for interactions), a self-rating and tags: asked at the end of every run."""
    questions = []
    if playbook.outcome:
        questions.append(
            WrapUp(
                id="outcome",
                ask="How did it end?",
                kind="choice",
                options=list(OUTCOMES),
                optional=True,
            )
        )
    rate = "How did you handle it overall?" if playbook.outcome else "How did it go overall?"
    questions.append(WrapUp(id="rating", ask=rate, kind="scale", optional=True))
    questions.append(
        WrapUp(id="tags", ask="Tags, comma-separated (e.g. refund, billing)", optional=True)
    )
    return questions


DUE = ".due"
"""The key of the question after a follow-up step: `notify.due` records when it is due."""


def due_question(step: Step) -> WrapUp:
    """By when a promise is due: asked after a follow-up step, when a promise was noted."""
    later = step.follow_up == "if-dated"  # a promise only if it is to be kept later
    enter = "Enter: done then, nothing to follow up" if later else "Enter: no time said"
    return WrapUp(
        id=f"{step.id}-due",
        ask=f"By when{', if it comes later' if later else ''}? "
        f"(e.g. tomorrow 10am, friday, in 2 hours; {enter})",
        optional=True,
        when=Condition(step=step.id, answered=True),
    )


def build_items(playbook: Playbook, mode: Mode, rotating: list[str] = ()) -> list[Item]:
    """The questions of a run, in order; `rotating`: the ids chosen from the pool today."""
    items = []
    for step in playbook.steps:
        items.append(Item(step.id, step, "step"))
        if step.follow_up:
            items.append(Item(step.id + DUE, due_question(step), "follow_up"))
    if mode == "recall":
        if playbook.rotating is not None:
            pool = playbook.rotating.questions
            items += [Item(q.id, q, "wrap_up") for q in pool if q.id in rotating]
        items += [Item(q.id, q, "wrap_up") for q in playbook.wrap_up]
    items += [Item(q.id, q, "closing") for q in closing_questions(playbook)]
    return items


@dataclass(frozen=True)
class Prompt:
    """What a front end shows for the current item."""

    item: Item
    number: int
    total: int
    mode: Mode
    audience: Audience
    elapsed_s: float
    previous: Record | None
    wants_answer: bool
    unfinished: str | None = None
    """What was being typed here when the session was interrupted, to offer back."""

    @property
    def step(self) -> Step | None:
        return self.item.question if isinstance(self.item.question, Step) else None

    @property
    def question(self) -> str:
        """What to ask, as a prompt: the ' › ' a front end adds makes a trailing colon
        redundant."""
        text = self.item.question.question_text(self.audience, self.mode == "recall")
        return text.rstrip().removesuffix(":")


class Session:
    def __init__(self, playbook: Playbook, state: SessionState) -> None:
        self.playbook = playbook
        self.state = state
        self.items = build_items(playbook, state.mode, state.rotating)

    @classmethod
    def start(
        cls,
        playbook: Playbook,
        mode: Mode,
        audience: Audience,
        now: datetime,
        draft_id: str,
        at: datetime | None = None,
    ) -> Session:
        """A new session; `at` is when the interaction happened, if earlier (--at)."""
        if mode not in playbook.modes:
            raise CoachError(
                f"The '{playbook.id}' playbook has no {mode} mode; "
                + ("run it with --recall." if mode == "live" else "run it without --recall.")
            )
        if audience not in playbook.audiences:
            raise CoachError(
                f"The '{playbook.id}' playbook is not written for a {audience}; "
                f"choose one of: {', '.join(playbook.audiences)}."
            )
        state = SessionState(
            draft_id=draft_id,
            playbook=playbook.id,
            playbook_version=playbook.version,
            playbook_hash=playbook.digest,
            mode=mode,
            audience=audience,
            started=now,
            at=at,
        )
        if playbook.rotating is not None:  # the questions of the day it is about
            state.rotating = [q.id for q in playbook.rotating.chosen((at or now).date())]
        return cls(playbook, state)

    def answer_of(self, key: str) -> Answer:
        record = self.state.records.get(key)
        return record.answer if record is not None and record.status == "done" else None

    def applies(self, item: Item) -> bool:
        when = item.question.when
        return when is None or when.holds(self.answer_of(when.step))

    def current(self) -> Item | None:
        """The next item to ask, passing over those whose condition does not hold."""
        while self.state.position < len(self.items):
            item = self.items[self.state.position]
            if self.applies(item):
                return item
            self.state.position += 1
        return None

    def prompt(self, item: Item, now: datetime) -> Prompt:
        if item.section == "step":
            ahead = {other.key for other in self.items[self.state.position :]}
            steps = [i for i in self.items if i.section == "step"]
            counted = [i.key for i in steps if self._counted(i, ahead)]
            number, total = counted.index(item.key) + 1, len(counted)
        else:
            number, total = 0, 0
        wants = self.state.mode == "recall" and item.section != "closing"
        return Prompt(
            item=item,
            number=number,
            total=total,
            mode=self.state.mode,
            audience=self.state.audience,
            elapsed_s=max(0.0, (now - self.state.started).total_seconds()),
            previous=self.state.records.get(item.key),
            wants_answer=wants and not item.question.optional,
            unfinished=self.state.unfinished.get(item.key),
        )

    def due_reference(self, now: datetime) -> tuple[datetime, bool]:
        """What a due time people type is counted from, and whether it may have passed: in
        recall, from the interaction itself (`tomorrow` after a call of last week is a past
        day, now overdue); live, from now."""
        if self.state.mode == "recall":
            return self.state.at or self.state.started, True
        return now, False

    def _counted(self, item: Item, ahead: set[str]) -> bool:
        """Whether a step counts in a card's `n/total`: it applies, or its condition is not
        decided yet (the step it looks at is still `ahead`). A step passed over so shortens
        the total; the number never jumps."""
        when = item.question.when
        return when is None or when.step in ahead or self.applies(item)

    def rates(self, item: Item) -> bool:
        """Whether a recall step is followed by a 1-5 rating of how it went."""
        return (
            self.state.mode == "recall"
            and self.playbook.rate_steps
            and item.section == "step"
            and item.question.kind != "scale"
        )

    def record(self, answer: Answer, rating: int | None = None) -> None:
        item = self._require_current()
        self.state.records[item.key] = Record(status="done", answer=answer, rating=rating)
        self._advance(item)

    def check_room(self, answer: Answer) -> None:
        """AnswerError when `answer`, for the current item, would take the session's answers
        past what one reflection holds."""
        item = self._require_current()
        others = sum(
            len(record.answer)
            for key, record in self.state.records.items()
            if key != item.key and isinstance(record.answer, str)
        )
        if isinstance(answer, str) and others + len(answer) > MAX_ANSWERS:
            raise AnswerError(
                f"With this answer the session's answers come to more than {MAX_ANSWERS:,} "
                "characters, more than one reflection holds: shorten it, or keep the long text "
                "in a file and note where it is."
            )

    def rate(self, key: str, rating: int) -> None:
        """Set the rating of an already recorded step."""
        record = self.state.records[key]
        self.state.records[key] = record.model_copy(update={"rating": rating})

    def skip(self) -> None:
        item = self._require_current()
        self.state.records[item.key] = Record(status="skipped")
        self._advance(item)

    def back(self) -> bool:
        """Return to the previously asked item; False when there is none."""
        if not self.state.history:
            return False
        self.state.position = self.state.history.pop()
        return True

    def realign(self) -> None:
        """Point a restored session at its first unanswered item (positions may have shifted
        if the playbook changed under its draft)."""
        state = self.state
        state.history = [i for i, item in enumerate(self.items) if item.key in state.records]
        state.position = 0
        while (item := self.current()) is not None and item.key in state.records:
            state.position += 1

    def orphans(self) -> dict[str, Record]:
        """Records of questions the playbook no longer has (it changed before a resume)."""
        keys = {item.key for item in self.items}
        return {key: record for key, record in self.state.records.items() if key not in keys}

    def finish(self, now: datetime) -> None:
        self.state.finished = now

    @property
    def done(self) -> bool:
        return self.current() is None

    def outcome(self) -> list[tuple[Item, Record | None]]:
        """Every item with its final record; None where the item's condition does not hold."""
        return [
            (item, self.state.records.get(item.key) if self.applies(item) else None)
            for item in self.items
        ]

    def _require_current(self) -> Item:
        item = self.current()
        if item is None:
            raise RuntimeError("the session is already complete")
        return item

    def _advance(self, item: Item) -> None:
        self.state.unfinished.pop(item.key, None)  # answered or skipped: nothing left to offer
        self.state.history.append(self.state.position)
        self.state.position += 1


class Frontend(Protocol):
    """What the engine needs from a terminal (or a test script)."""

    def begin(self, heading: str, detail: str) -> None: ...

    def ask(self, prompt: Prompt) -> str: ...

    def ask_rating(self, prompt: Prompt) -> str: ...

    def ask_follow_up(self, promise: str) -> str:
        """What became of a promise (`promise`: it, and when it was due), as typed."""
        ...

    def notice(self, text: str) -> None: ...

    def show_help(self) -> None: ...

    def show_glance(self, playbook: Playbook, audience: Audience) -> None: ...

    def edit(self, text: str) -> str:
        """The text after the person edited it in their editor (CoachError if none is set)."""
        ...

    def interrupted(self) -> None: ...

    def unfinished(self) -> str:
        """The line being typed when an interrupt came, where the front end can tell."""
        ...

    def say(self, text: str, style: str = "") -> None:
        """A line of news (`Saved: ...`), in `style` where the front end has styles."""
        ...

    def show_reflection(self, markdown: str) -> None:
        """The reflection itself, as it would be saved (a dry run, or a disk that says no)."""
        ...


class QuitRequested(Exception):
    """The person asked to save a draft and stop."""


_QUIT = ("/q", "/quit")
_HELP = ("/?", "?", "/h", "/help")
_BACK = ("/b", "/back")
_SKIP = ("/s", "/skip")
_CARD = ("/c", "/card")
_KNOWN = frozenset((*_QUIT, *_HELP, *_BACK, *_SKIP, *_CARD, "/e"))
_UNKNOWN_KEY = re.compile(r"/[^\s/]{0,12}")
"""A slash and one short word that is no key: a mistyped key, never saved as the answer."""


def drive(
    session: Session,
    frontend: Frontend,
    clock: Callable[[], datetime],
    on_change: Callable[[SessionState], None],
) -> None:
    """Ask until every item is answered or skipped; raise QuitRequested on /q.

    Each answer is recorded (and `on_change` called) as soon as it is typed; a recall step's
    rating is asked afterwards and recorded as a second change, so an interruption at the
    rating prompt keeps the answer.
    """
    while (item := session.current()) is not None:
        prompt = session.prompt(item, clock())
        try:
            typed = frontend.ask(prompt)
        except (KeyboardInterrupt, EOFError) as stop:
            left = _valid_text(frontend.unfinished())
            if isinstance(stop, EOFError) and item.section == "closing" and not left.strip():
                _leave_closing_unanswered(session)  # the input ended where all is optional
                on_change(session.state)
                return
            if left.strip():  # half a sentence typed when Ctrl-C, SIGTERM or SIGHUP came
                session.state.unfinished[item.key] = left
            raise
        line = _valid_text(typed)
        command = line.strip().lower()
        if command.startswith("//"):  # an answer that starts with a slash, not a key
            line, command = line.lstrip()[1:], ""
        if command in _QUIT:
            raise QuitRequested
        if command in _HELP:
            frontend.show_help()
            continue
        if command in _CARD:
            frontend.show_glance(session.playbook, session.state.audience)
            continue
        if command not in _KNOWN and _UNKNOWN_KEY.fullmatch(command):
            frontend.notice(
                f"There is no {command} key: {KEY_HINT}. "
                f"To answer with a slash, type //{command[1:]}."
            )
            continue
        if command == "/e" or command.endswith(" /e"):
            before = line.strip()[:-2].strip()
            try:
                line = _edited(frontend, prompt, before)
            except (KeyboardInterrupt, EOFError):  # a hang-up while the editor is open
                if before:
                    session.state.unfinished[item.key] = before
                raise
            if line is None:
                continue
        if command in _BACK:
            if not session.back():
                frontend.notice("This is the first step; there is nothing to go back to.")
            continue
        if command in _SKIP:
            session.skip()
            on_change(session.state)
            continue
        try:
            if item.section == "follow_up":
                answer = due_from_typed(line, *session.due_reference(clock()))
            else:
                answer = from_typed(prompt.item.question, line)
            session.check_room(answer)
        except (AnswerError, DateError) as error:
            frontend.notice(str(error))
            continue
        previous = prompt.previous
        if answer is None and previous is not None and previous.status == "done":
            answer = previous.answer  # back to a step and Enter: keep what was there
        if answer is None and prompt.wants_answer:
            frontend.notice("This one needs an answer; type it, or /s to skip.")
            continue
        keep = previous.rating if previous is not None else None
        session.record(answer, keep)
        on_change(session.state)
        if session.rates(item):
            rating = _ask_rating(frontend, prompt)
            if rating is _BACK_TO_STEP:
                session.back()
            elif rating is not None:
                session.rate(item.key, rating)  # type: ignore[arg-type]
                on_change(session.state)


def _leave_closing_unanswered(session: Session) -> None:
    """The closing questions left as Enter leaves them: the reflection is complete."""
    while (item := session.current()) is not None and item.section == "closing":
        session.record(None)


def _valid_text(typed: str) -> str:
    """A byte that is not UTF-8 (decoded as a lone surrogate) must not break saving."""
    return typed.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _edited(frontend: Frontend, prompt: Prompt, typed: str) -> str | None:
    """The answer written in the editor, or None (and a notice) when nothing changed."""
    if prompt.item.question.kind != "note" or prompt.item.key == "tags":
        frontend.notice("The editor is for free-text answers; type this one.")
        return None
    previous = prompt.previous
    if not typed and previous is not None and isinstance(previous.answer, str):
        typed = previous.answer
    try:
        text = frontend.edit(typed)
    except CoachError as error:
        frontend.notice(str(error))
        return None
    if not text.strip() or text == typed:
        frontend.notice("Nothing changed in the editor; type the answer, or /e again.")
        return None
    return text


_BACK_TO_STEP = object()


def _ask_rating(frontend: Frontend, prompt: Prompt) -> object:
    """A rating 1-5, None (Enter or /s), or _BACK_TO_STEP (/b)."""
    while True:
        line = frontend.ask_rating(prompt).strip().lower()
        if line in _QUIT:
            raise QuitRequested
        if line in _HELP:
            frontend.show_help()
            continue
        if line in _BACK:
            return _BACK_TO_STEP
        if not line or line in _SKIP:
            return None
        try:
            return parse_rating(line)
        except AnswerError as error:
            frontend.notice(str(error))


def replay(
    session: Session, data: dict[str, Any], source: str, now: datetime | None = None
) -> None:
    """Answer every item from an answers file's `data` (step id -> answer, or {answer,
    rating, skipped}); items it does not name are recorded as skipped. Answers to rotating
    questions that are not asked today are left out (an answers file serves every day)."""
    known = {item.key: item for item in session.items}
    pool = session.playbook.rotating.questions if session.playbook.rotating else []
    not_today = {q.id for q in pool} - set(known)  # rotating questions not asked today
    recall_only = {q.id for q in session.playbook.wrap_up} - set(known)
    for key in data:
        if key in recall_only:
            raise AnswerError(
                f"{source}: '{key}' is a wrap-up question, asked only with --recall; "
                "leave it out, or run with --recall."
            )
        if key not in known and key not in not_today:
            ids = ", ".join(known)
            raise AnswerError(
                f"{source}: '{key}' is not a step of '{session.playbook.id}' ({ids})."
            )
    while (item := session.current()) is not None:
        if item.section == "follow_up":  # `step: {answer: ..., due: tomorrow 10am}`
            given = data.get(item.key.removesuffix(DUE))
            due = given.get("due") if isinstance(given, dict) else None
            try:
                reference, past = session.due_reference(now or local(datetime.now()))
                session.record(due_from_typed(str(due or ""), reference, past))
            except DateError as error:
                raise AnswerError(f"{source}: {item.key.removesuffix(DUE)}: due: {error}") from None
            continue
        if item.key not in data:
            session.skip()
            continue
        value, rating = data[item.key], None
        try:
            if isinstance(value, dict):
                known_keys = {"answer", "rating", "skipped"}
                if getattr(item.question, "follow_up", False):
                    known_keys.add("due")
                unknown = set(value) - known_keys
                if unknown:
                    raise AnswerError(
                        f"unknown key '{sorted(unknown)[0]}' ({', '.join(sorted(known_keys))})"
                    )
                if value.get("skipped") is True:
                    session.skip()
                    continue
                rating = value.get("rating")
                if rating is not None:
                    try:
                        check_rating(rating)
                    except AnswerError as error:
                        raise AnswerError(f"rating: {error}") from None
                value = value.get("answer")
            answer = from_file(item.question, value)
            session.check_room(answer)
        except AnswerError as error:
            raise AnswerError(f"{source}: {item.key}: {error}.") from None
        session.record(answer, rating if session.state.mode == "recall" else None)
