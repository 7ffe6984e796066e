"""Turning what a person typed (or wrote in an answers file) into a typed answer for a question.

Every rejection is an `AnswerError` whose sentence says what would have been accepted.
"""

from __future__ import annotations

import re
from typing import Any

from servicecoach.errors import AnswerError
from servicecoach.playbook import SCALE, Answer, Question

YES = {"y", "yes", "true", "1"}
NO = {"n", "no", "false", "0"}


def parse_typed(question: Question, text: str) -> Answer:
    """Parse one typed line for `question`; empty text is no answer (None)."""
    text = text.strip()
    if not text:
        return None
    if question.kind == "note":
        return text
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


def parse_rating(text: str) -> int:
    text = text.strip()
    if is_rating(_number(text)):
        return int(text)
    raise AnswerError(f"'{text}' is not a rating; type a whole number from 1 to 5.")


def is_rating(value: Any) -> bool:
    """A whole number from 1 to 5 (and not a boolean, which YAML would also call a number)."""
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


def coerce_given(question: Question, value: Any) -> Answer:
    """Check a value from an answers file (YAML already parsed) against the question's kind."""
    if value is None:
        return None
    kind = question.kind
    if kind == "note":
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
        raise AnswerError("a note takes text")
    if kind == "scale":
        if not is_rating(value):
            raise AnswerError(f"{value!r} is not a rating from 1 to 5")
        return value
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


def parse_tags(text: str) -> list[str]:
    """`Refund, VIP customer` -> ['refund', 'vip-customer']."""
    tags = []
    for part in re.split(r"[,;]", text):
        slug = re.sub(r"[^\w]+", "-", part.strip().lower()).strip("-_")
        if slug:
            tags.append(slug[:40])
    return list(dict.fromkeys(tags))
