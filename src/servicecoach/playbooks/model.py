"""The playbook format: pydantic models of what a team lead writes and a rep follows.

Single-field rules live on the models (pydantic reports all of them in one pass); rules that
relate several fields or steps live in `cross_check`, which works on the raw YAML data so that it
can report its problems in the same run as the structural ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, field_validator

Audience = Literal["customer", "coworker", "supervisor"]
Mode = Literal["live", "recall"]
Kind = Literal["note", "choice", "scale", "checklist", "yesno"]

AUDIENCES: tuple[Audience, ...] = ("customer", "coworker", "supervisor")
MODES: tuple[Mode, ...] = ("live", "recall")
KINDS: tuple[Kind, ...] = ("note", "choice", "scale", "checklist", "yesno")
SCALE = range(1, 6)
RESERVED_IDS = ("outcome", "rating", "tags")
"""Ids of the closing questions every session asks; answers files use them as keys."""

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,39}$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
# `pattern` says in the JSON Schema what stripping then `min_length` say here: not only spaces
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=r"\S")
]
Option = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"\S")
]

Answer = str | int | bool | list[str] | None
"""What one step's answer holds, by kind: note/choice str, scale int, yesno bool, checklist list."""


def is_slug(text: str) -> bool:
    return re.fullmatch(SLUG_PATTERN, text) is not None


def check_audience(audience: str) -> Audience:
    """`audience` as one of the three, or a sentence naming them."""
    if audience not in AUDIENCES:
        from servicecoach.errors import CoachError

        raise CoachError(f"Unknown audience '{audience}'; choose one of: {', '.join(AUDIENCES)}.")
    return audience  # type: ignore[return-value]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _one_or_many(value: Any) -> Any:
    """`say:` may be one phrase or a list of phrases."""
    return [value] if isinstance(value, str) else value


class Wording(_Strict):
    """Audience-specific wording that replaces a step's default wording for that audience."""

    say: list[Text] | None = Field(None, description="Phrases to say to this audience.")
    do: Text | None = Field(None, description="What to do with this audience.")
    tip: Text | None = Field(None, description="A tip for this audience.")
    ask: Text | None = Field(None, description="The live question for this audience.")
    recall: Text | None = Field(None, description="The recall question for this audience.")

    _say_one_or_many = field_validator("say", mode="before")(_one_or_many)

    def cue_lines(self) -> list[tuple[str, list[str]]]:
        """How a cue reads, wherever it is shown (a card, plain text, a reflection): each
        label with its lines, in order, empty ones left out; phrases to say in quotes."""
        lines = [("Say", [f"“{phrase}”" for phrase in self.say or []])]
        lines += [("Do", [self.do] if self.do else []), ("Tip", [self.tip] if self.tip else [])]
        return [(label, texts) for label, texts in lines if texts]

    def reminder_lines(self) -> list[tuple[str, list[str]]]:
        """What recall mode shows under a step's title, looking back: what the step asked of
        you, and its tip (the idea behind the step); not the phrases, which are for the call."""
        return [(label, texts) for label, texts in self.cue_lines() if label != "Say"]

    def headline(self) -> str:
        """The cue in one line, for the whole playbook at a glance: the first phrase to say,
        else what to do."""
        return f"“{self.say[0]}”" if self.say else (self.do or "")


class Condition(_Strict):
    """Ask a step only when an earlier answer passes exactly one test."""

    step: Slug = Field(description="The id of an earlier step (or wrap-up question).")
    equals: str | int | bool | None = Field(None, description="The answer is exactly this.")
    not_equals: str | int | bool | None = Field(None, description="The answer is not this.")
    one_of: list[str | int] | None = Field(None, description="The answer is one of these.")
    includes: str | None = Field(None, description="A checklist answer has this item ticked.")
    at_least: int | None = Field(None, description="A scale answer is at least this.")
    at_most: int | None = Field(None, description="A scale answer is at most this.")
    answered: bool | None = Field(None, description="The step was (true) or was not answered.")

    TESTS: ClassVar[tuple[str, ...]] = (
        "equals",
        "not_equals",
        "one_of",
        "includes",
        "at_least",
        "at_most",
        "answered",
    )

    def test(self) -> tuple[str, Any]:
        """The one test this condition makes, as (name, value)."""
        for name in self.TESTS:
            value = getattr(self, name)
            if value is not None:
                return name, value
        raise ValueError("a condition needs a test")  # cross_check rules this out

    def holds(self, answer: Answer) -> bool:
        name, value = self.test()
        if name == "answered":
            return (answer not in (None, "", [])) is value
        if answer is None:
            return False
        if name == "equals":
            return answer == value and type(answer) is type(value)
        if name == "not_equals":
            return not (answer == value and type(answer) is type(value))
        if name == "one_of":
            return answer in value
        if name == "includes":
            return isinstance(answer, list) and value in answer
        if isinstance(answer, bool) or not isinstance(answer, int):
            return False
        return answer >= value if name == "at_least" else answer <= value

    def describe(self) -> str:
        """`promised equals true`, `calm at most 2`: the condition as the YAML says it."""
        name, value = self.test()
        return f"{self.step} {name.replace('_', ' ')} {_yaml_value(value)}"


def _yaml_value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    return f"'{value}'" if isinstance(value, str) else str(value)


class Question(_Strict):
    """Something asked of the person, with a kind that decides what an answer may be."""

    id: Slug = Field(description="Unique within the playbook; answers and conditions use it.")
    kind: Kind = Field("note", description="note, choice, scale (1-5), checklist or yesno.")
    options: list[Option] | None = Field(
        None, description="The choices of a choice or checklist step (required there, only there)."
    )
    optional: bool = Field(False, description="May be left empty without counting as skipped.")
    when: Condition | None = Field(None, description="Ask only when an earlier answer passes.")

    def question_text(self, audience: Audience, recall: bool) -> str:
        """What to ask, for this audience, in live or recall mode."""
        raise NotImplementedError


class Step(Question):
    """One step of the interaction: a cue card in live mode, a question in recall mode."""

    title: Text = Field(description="Short name of the step, shown as the card's heading.")
    say: list[Text] = Field(default_factory=list, description="Phrases to say (one or a list).")
    do: Text | None = Field(None, description="What to do during this step.")
    tip: Text | None = Field(None, description="One short tip.")
    ask: Text | None = Field(None, description="The live question: what to note during the call.")
    recall: Text | None = Field(None, description="The past-tense question asked in recall mode.")
    wording: dict[Audience, Wording] = Field(
        default_factory=dict, description="Wording that replaces the default for an audience."
    )
    follow_up: bool | Literal["if-dated"] = Field(
        False,
        description="The answer is a promise made (a note): coach then asks by when, and keeps "
        "it as a follow-up until it is done (coach followups); if-dated: only when a time is "
        "given (a restitution done on the spot is no promise).",
    )

    _say_one_or_many = field_validator("say", mode="before")(_one_or_many)

    def cue(self, audience: Audience) -> Wording:
        """The step's wording for `audience`: the override where given, else the default."""
        own = self.wording.get(audience)
        default = Wording(
            say=self.say or None, do=self.do, tip=self.tip, ask=self.ask, recall=self.recall
        )
        if own is None:
            return default
        merged = default.model_dump() | own.model_dump(exclude_none=True)
        return Wording(**merged)

    def question_text(self, audience: Audience, recall: bool) -> str:
        cue = self.cue(audience)
        if recall:
            return cue.recall or f"How did “{self.title}” go?"
        return cue.ask or "Note"


class WrapUp(Question):
    """A closing question, asked after the steps in recall mode."""

    ask: Text = Field(description="The question.")

    def question_text(self, audience: Audience, recall: bool) -> str:
        return self.ask


class Rotating(_Strict):
    """A pool of closing questions of which a few, chosen by the date, are asked each time: the
    page is never blank and rarely the same two days running (for the daily reflection)."""

    pick: int = Field(2, ge=1, description="How many of the questions to ask each time.")
    questions: list[WrapUp] = Field(min_length=1, description="The pool.")

    def chosen(self, day: date) -> list[WrapUp]:
        """The questions for `day`, the same all that day, in the pool's order."""
        import random

        count = min(self.pick, len(self.questions))
        picked = set(random.Random(day.toordinal()).sample(range(len(self.questions)), count))
        return [q for i, q in enumerate(self.questions) if i in picked]


class Playbook(_Strict):
    """A playbook: ordered steps and closing questions for one kind of interaction."""

    id: Slug = Field(description="Short name used on the command line; defaults to the file name.")
    title: Text = Field(description="Human title, shown in lists and at the top of a session.")
    version: int = Field(1, ge=1, description="Revision number; bump it when you change steps.")
    summary: Text = Field(description="One or two sentences: when to use this playbook.")
    source: Text | None = Field(None, description="Attribution of the model the playbook follows.")
    audiences: list[Audience] = Field(
        default_factory=lambda: list(AUDIENCES),
        min_length=1,
        description="Who the person may be serving: customer, coworker, supervisor.",
    )
    modes: list[Mode] = Field(
        default_factory=lambda: list(MODES),
        min_length=1,
        description="live (during the interaction) and/or recall (afterwards).",
    )
    outcome: bool = Field(
        True, description="Ask how the interaction ended (resolved, follow-up, escalated)."
    )
    rate_steps: bool = Field(
        True, description="In recall mode, offer a 1-5 rating after each step (not scale steps)."
    )
    follow_ups_first: bool = Field(
        False,
        description="Start by going through the follow-ups due today or overdue: kept, "
        "snoozed or dropped, each (for the end-of-day reflection).",
    )
    steps: list[Step] = Field(min_length=1, description="The steps, in order.")
    wrap_up: list[WrapUp] = Field(
        default_factory=list, description="Closing questions asked in recall mode."
    )
    rotating: Rotating | None = Field(
        None, description="A pool of closing questions of which a few rotate by date (recall)."
    )

    _digest: str = PrivateAttr("")

    @property
    def digest(self) -> str:
        """A short hash of the file the playbook was loaded from: which revision a rep used."""
        return self._digest

    def shows_audience(self, audience: Audience) -> bool:
        """Whether a session's header names the audience: when it changes the wording, or was
        chosen over the default; never for a playbook of one audience."""
        varies = any(step.wording for step in self.steps)
        return len(self.audiences) > 1 and (varies or audience != AUDIENCES[0])

    def mode_for(self, recall: bool) -> Mode:
        """`--recall` asks for recall; a playbook with a single mode (daily) always uses it."""
        if len(self.modes) == 1:
            return self.modes[0]
        return "recall" if recall else "live"

    def questions(self) -> Iterator[Question]:
        yield from self.steps
        yield from self.wrap_up
        if self.rotating is not None:
            yield from self.rotating.questions


Loc = tuple[str | int, ...]


def format_loc(loc: Loc) -> str:
    """`("steps", 2, "kind")` -> `steps[2].kind`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def cross_check(data: Any, line_of: Callable[[Loc], int] | None = None) -> list[tuple[Loc, str]]:
    """Rules that relate fields or steps to each other, checked on raw (unvalidated) data;
    `line_of` gives the line of a place, for a problem that points back to another one.

    Tolerant of any shape: whatever is malformed here is reported by the models instead.
    """
    problems: list[tuple[Loc, str]] = []
    if not isinstance(data, dict):
        return problems
    audiences = data.get("audiences", list(AUDIENCES))
    seen: dict[str, Loc] = {}
    kinds: dict[str, tuple[Any, Any]] = {}
    rotating = data.get("rotating")
    pool = rotating.get("questions") if isinstance(rotating, dict) else None
    # in the order a session asks them: steps, the rotating pool, the wrap-up
    sections: list[tuple[Loc, Any]] = [(("steps",), data.get("steps"))]
    sections += [(("rotating", "questions"), pool), (("wrap_up",), data.get("wrap_up"))]
    if isinstance(rotating, dict) and isinstance(pool, list):
        pick = rotating.get("pick", 2)
        if isinstance(pick, int) and not isinstance(pick, bool) and pick > len(pool):
            problems.append((("rotating", "pick"), f"picks {pick} of only {len(pool)} questions"))
    for prefix, items in sections:
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            loc: Loc = (*prefix, index)
            problems += _check_kind(item, loc)
            if item.get("follow_up") in (True, "if-dated") and item.get("kind", "note") != "note":
                problems.append(
                    ((*loc, "follow_up"), "a follow-up step is a note: what was promised")
                )
            if isinstance(item.get("wording"), dict) and isinstance(audiences, list):
                for audience in item["wording"]:
                    if audience in AUDIENCES and audience not in audiences:
                        problems.append(
                            (
                                (*loc, "wording", audience),
                                f"wording for '{audience}', which is not in the playbook's "
                                "audiences",
                            )
                        )
            when = item.get("when")
            if isinstance(when, dict):
                problems += _check_when(when, (*loc, "when"), kinds)
            step_id = item.get("id")
            if step_id in RESERVED_IDS:
                problems.append(
                    ((*loc, "id"), f"'{step_id}' is reserved for the closing questions; rename it")
                )
            elif isinstance(step_id, str):
                if step_id in seen:
                    first = seen[step_id]
                    where = f"line {line_of(first)}" if line_of else format_loc(first)
                    problems.append(((*loc, "id"), f"duplicate id '{step_id}' (first: {where})"))
                else:
                    seen[step_id] = (*loc, "id")
                    kinds[step_id] = (item.get("kind", "note"), item.get("options"))
    return problems


def _check_kind(item: dict[str, Any], loc: Loc) -> list[tuple[Loc, str]]:
    kind = item.get("kind", "note")
    has_options = "options" in item
    if kind in ("choice", "checklist"):
        options = item.get("options")
        if not has_options or options in (None, []):
            return [((*loc, "kind"), f"a {kind} step needs a non-empty 'options' list")]
        if isinstance(options, list):
            folded = [o.strip().lower() for o in options if isinstance(o, str)]
            dupes = sorted({o for o in folded if folded.count(o) > 1})
            if dupes:
                return [((*loc, "options"), f"duplicate option '{dupes[0]}' (case is ignored)")]
    elif has_options and kind in KINDS:
        return [((*loc, "options"), f"a {kind} step takes no 'options'")]
    return []


def _check_when(
    when: dict[str, Any], loc: Loc, earlier: dict[str, tuple[Any, Any]]
) -> list[tuple[Loc, str]]:
    tests = [name for name in Condition.TESTS if when.get(name) is not None]
    if len(tests) != 1:
        names = ", ".join(Condition.TESTS)
        found = "none" if not tests else ", ".join(tests)
        return [(loc, f"a condition needs exactly one test of {names} (found {found})")]
    target = when.get("step")
    if not isinstance(target, str):
        return []
    if target not in earlier:
        return [
            ((*loc, "step"), f"'{target}' is not an earlier question; conditions look back only")
        ]
    kind, options = earlier[target]
    test, value = tests[0], when[tests[0]]
    if test == "answered":
        return []
    allowed: dict[str, tuple[str, ...]] = {
        "equals": ("note", "choice", "scale", "yesno"),
        "not_equals": ("note", "choice", "scale", "yesno"),
        "one_of": ("note", "choice", "scale"),
        "includes": ("checklist",),
        "at_least": ("scale",),
        "at_most": ("scale",),
    }
    if kind not in allowed[test]:
        return [((*loc, test), f"'{test}' cannot test a {kind} step ('{target}')")]
    values = value if isinstance(value, list) else [value]
    for each in values:
        if kind in ("choice", "checklist") and isinstance(options, list) and each not in options:
            return [((*loc, test), f"{_yaml_value(each)} is not one of the options of '{target}'")]
        if kind == "scale" and (isinstance(each, bool) or each not in SCALE):
            return [((*loc, test), f"{_yaml_value(each)} is not on the 1-5 scale of '{target}'")]
        if kind == "yesno" and not isinstance(each, bool):
            return [((*loc, test), f"'{target}' is yes/no: compare with true or false")]
    return []
