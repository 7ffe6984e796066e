"""Answers: what a person typed, or an answers file holds, as the answer to one question.

One conversion per kind of question, for both sources (`from_typed`, `from_file`); the
closing questions are questions like any other (outcome a choice, rating a scale), except tags,
which are slugged. Every rejection is an `AnswerError` whose sentence says what would have been
accepted. Here too: how an answer reads back as text, and a hint of what an answer looks like.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from servicecoach.errors import AnswerError

if TYPE_CHECKING:
    from servicecoach.playbooks.model import Answer, Question

YES = {"y", "yes", "true", "1"}
NO = {"n", "no", "false", "0"}
TAGS = "tags"
"""The closing question whose answer is a list of tags (a reserved id: no step can take it)."""
MAX_ANSWER = 100_000
"""The longest answer, in characters (about 15,000 words)."""
MAX_ANSWERS = 1_000_000
"""All the answers of one session together, in characters. A reflection holds each answer
twice (front matter and body), at most four bytes a character each time, so with this every
reflection coach writes stays within what the journal reads back (journal.entry)."""


def from_typed(question: Question, text: str) -> Answer:
    """The answer in one typed line; empty text is no answer (None)."""
    text = text.strip()
    if not text:
        return None
    if question.id == TAGS:
        return parse_tags(text) or None
    if question.kind == "note":
        return check_length(text)
    if question.kind == "scale":
        return parse_rating(text)
    if question.kind == "yesno":
        lowered = text.lower()
        if lowered in YES:
            return True
        if lowered in NO:
            return False
        raise AnswerError(f"'{text}' is not yes or no; type y or n.")
    options = question.options or []
    if question.kind == "choice":
        return _pick(options, text)
    picked = [_pick(options, part) for part in re.split(r"[,;]", text) if part.strip()]
    return list(dict.fromkeys(picked))


def due_from_typed(text: str, now: datetime, past: bool = False) -> str | None:
    """When a promise is due, as typed (`tomorrow 10am`, `friday`, `in 2 hours`), counted from
    `now` (and may be before the present moment with `past`): the local time in ISO form, to
    the minute; empty text is no time."""
    from servicecoach.dates import parse_due

    text = text.strip()
    if not text:
        return None
    return parse_due(text, now, past=past).isoformat(timespec="minutes")


def from_file(question: Question, value: Any) -> Answer:
    """A value from an answers file (YAML already parsed), checked against the question."""
    if value is None:
        return None
    if question.id == TAGS:
        text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        return parse_tags(text) or None
    kind = question.kind
    if kind == "note":
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return check_length(str(value))
        raise AnswerError("a note takes text")
    if kind == "scale":
        return check_rating(value)
    if kind == "yesno":
        if not isinstance(value, bool):
            raise AnswerError(f"{value!r} is not yes or no (write true or false)")
        return value
    options = question.options or []
    if kind == "choice":
        if value not in options:
            raise AnswerError(f"{value!r} is not one of: {', '.join(options)}")
        return str(value)
    items = value if isinstance(value, list) else [value]
    wrong = [item for item in items if item not in options]
    if wrong:
        raise AnswerError(f"{wrong[0]!r} is not one of: {', '.join(options)}")
    return list(dict.fromkeys(str(item) for item in items))


def check_length(text: str) -> str:
    if len(text) > MAX_ANSWER:
        raise AnswerError(
            f"That answer is {len(text):,} characters long; an answer holds up to "
            f"{MAX_ANSWER:,} (about 15,000 words). Shorten it, or keep the long text in a file "
            "and note where it is."
        )
    return text


def parse_rating(text: str) -> int:
    """A typed rating: a whole number from 1 to 5."""
    text = text.strip()
    if is_rating(_number(text)):
        return int(text)
    raise AnswerError(f"'{text}' is not a rating; type a whole number from 1 to 5.")


def check_rating(value: Any) -> int:
    """A rating from a file: a whole number from 1 to 5."""
    if not is_rating(value):
        raise AnswerError(f"{value!r} is not a rating from 1 to 5")
    return value  # type: ignore[no-any-return]


def is_rating(value: Any) -> bool:
    """A whole number on the format's scale (and not a boolean, which YAML would also call a
    number)."""
    from servicecoach.playbooks.model import SCALE  # not needed to read answers back

    return isinstance(value, int) and not isinstance(value, bool) and value in SCALE


def _number(text: str) -> int | None:
    """The value of plain ASCII digits, else None (`²` and `٣` are digits to str.isdigit)."""
    return int(text) if text.isascii() and text.isdecimal() else None


def _pick(options: list[str], text: str) -> str:
    """An option by its number (1-based), its exact text or an unambiguous start of it."""
    text = text.strip()
    number = _number(text)
    if number is not None and 1 <= number <= len(options):
        return options[number - 1]
    lowered = text.lower()
    exact = [o for o in options if o.lower() == lowered]
    if exact:
        return exact[0]
    starts = [o for o in options if o.lower().startswith(lowered)]
    if len(starts) == 1:
        return starts[0]
    numbered = ", ".join(f"{i}) {o}" for i, o in enumerate(options, start=1))
    raise AnswerError(f"'{text}' is not one of the options; type a number or a name: {numbered}.")


def parse_tags(text: str) -> list[str]:
    """`Refund, VIP customer` -> ['refund', 'vip-customer']. A tag needs a letter: Obsidian
    and other Markdown tools do not take a tag of digits only as a tag."""
    tags = []
    for part in re.split(r"[,;]", text):
        slug = re.sub(r"[^\w]+", "-", part.strip().lower()).strip("-_")
        if slug and not any(c.isalpha() for c in slug):
            raise AnswerError(
                f"'{part.strip()}' is not a tag: a tag needs a letter (Markdown tools such as "
                f"Obsidian ignore tags of digits only); try 'y{slug}'."
            )
        if slug:
            tags.append(slug[:40])
    return list(dict.fromkeys(tags))


def answer_text(answer: Any) -> str:
    """An answer as text: yes/no, a list joined by commas, nothing for no answer."""
    if answer is None:
        return ""
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    if isinstance(answer, list):
        return ", ".join(str(a) for a in answer)
    return str(answer)


def answer_hint(question: Question) -> str:
    """What an answer looks like, for listings: `free text`, `1-5`, `one of: a, b`."""
    optional = ", optional" if question.optional else ""
    if question.kind == "note":
        return f"free text{optional}"
    if question.kind == "scale":
        return f"1-5{optional}"
    if question.kind == "yesno":
        return f"y/n{optional}"
    options = ", ".join(question.options or [])
    many = "one or more of" if question.kind == "checklist" else "one of"
    return f"{many}: {options}{optional}"


def typing_hint(question: Question) -> str:
    """What to type, beside a prompt (the options themselves are listed above it)."""
    if question.kind == "note":
        return ""
    if question.kind == "checklist":
        return "numbers or names, comma-separated"
    if question.kind == "choice":
        return "a number or a name"
    return answer_hint(question)


def read_answers_file(path: Path) -> dict[str, Any]:
    """An answers file: step id -> answer (or {answer, rating, skipped}); every problem one
    sentence with its line."""
    from servicecoach.errors import PlaybookInvalid
    from servicecoach.places import MAX_YAML_BYTES, read_at_most
    from servicecoach.yamldata import read_yaml

    try:
        raw = read_at_most(path, MAX_YAML_BYTES, pipes=True)  # <(...) gives a pipe
    except OSError as error:
        raise AnswerError(f"Cannot read the answers file {path}: {error.strerror}.") from None
    try:
        data, located = read_yaml(raw, str(path), "answers file")
    except PlaybookInvalid as error:
        raise AnswerError(str(error)) from None
    if located.problems:
        (line, column), _loc, message = located.problems[0]
        raise AnswerError(f"{path}:{line}:{column}: {message}")
    if not isinstance(data, dict):
        raise AnswerError(f"{path}: an answers file maps step ids to answers (id: answer).")
    return data
