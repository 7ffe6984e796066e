"""Reading a reflection file back: its front matter as an `Entry`, lenient with hand edits.

A person may edit, move or delete reflection files; anything that still has front matter with a
`playbook` and a `started` time is an entry. Everything else is reported as a problem (the
journal skips it and `coach journal check` names it), never a crash.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from servicecoach.engine.answers import answer_text


def minute(moment: dt.datetime) -> str:
    """`2026-11-26 14:30`: a moment to the minute, years before 1000 padded too (strftime's %Y
    does not pad them everywhere)."""
    return f"{moment.date().isoformat()} {moment:%H:%M}"


def reflections(count: int) -> str:
    """`1 reflection`, `7 reflections`."""
    return f"{count} reflection" + ("" if count == 1 else "s")


MAX_FILE_BYTES = 16 * 1024 * 1024
"""The largest reflection file the journal reads, and so the largest coach writes."""


class NotAReflection(ValueError):
    """The file is not a reflection (or its front matter is broken); the message says why."""


class Entry(BaseModel):
    """One reflection, as the journal commands see it."""

    model_config = ConfigDict(extra="ignore")

    path: str = ""
    playbook: str
    title: str | None = None
    mode: str | None = None
    audience: str | None = None
    started: dt.datetime
    at: dt.datetime | None = None
    finished: dt.datetime | None = None
    duration_s: int | None = None
    outcome: str | None = None
    rating: int | None = Field(None, ge=1, le=5)
    tags: list[str] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list)
    steps: dict[str, dict[str, Any]] = Field(default_factory=dict)
    wrap_up: dict[str, dict[str, Any]] = Field(default_factory=dict)
    playbook_version: int | None = None
    playbook_hash: str | None = None
    session: str | None = None

    @field_validator("started", "at", "finished", mode="before")
    @classmethod
    def _dates_are_midnight(cls, value: Any) -> Any:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return dt.datetime.combine(value, dt.time())
        return value

    @field_validator("tags", "skipped", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        if value is None:
            return []
        return [value] if isinstance(value, str) else value

    @field_validator("steps", "wrap_up", mode="before")
    @classmethod
    def _answers_are_mappings(cls, value: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, dict):
            return {str(k): (v if isinstance(v, dict) else {"answer": v}) for k, v in value.items()}
        return value

    @property
    def when(self) -> dt.datetime:
        """When the interaction happened (`at`, for a backdated recall), else when the
        reflection started: what the journal sorts and filters by."""
        return self.at or self.started

    def answers(self) -> list[tuple[str, str]]:
        """(step id, answer as text) for every answered step and wrap-up question."""
        found = []
        for section in (self.steps, self.wrap_up):
            for key, record in section.items():
                text = answer_text(record.get("answer"))
                if text:
                    found.append((key, text))
        return found

    def summary(self, *, with_date: bool = False) -> str:
        """`recall · supervisor · outcome: resolved · self-rating 4/5 · tags: billing`."""
        facts = [self.mode or "", self.audience or ""]
        if with_date:
            facts.append(minute(self.when))
        if self.outcome:
            facts.append(f"outcome: {self.outcome}")
        if self.rating:
            facts.append(f"self-rating {self.rating}/5")
        if self.tags:
            facts.append("tags: " + ", ".join(self.tags))
        return " · ".join(fact for fact in facts if fact)

    def notes(self) -> str:
        return "\n".join(text for _, text in self.answers())


# An answer's lines in the body must not turn into a heading, a quote, a fence or a rule: the
# writer puts a backslash before such a start (and before a backslash the person typed there),
# and readers take it away again.
_BLOCK_START = re.compile(r"^(\s{0,3})(\\|#|>|<|```|~~~|---|\*\*\*|___|===|\+\+\+)")
_ESCAPED_START = re.compile(r"^(\s{0,3})\\(\\|#|>|<|```|~~~|---|\*\*\*|___|===|\+\+\+)")


def block_safe(line: str) -> str:
    """A line of someone's answer, safe to put in the body."""
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line)


def as_typed(line: str) -> str:
    """A line of the body as the person typed it: `block_safe` undone."""
    return _ESCAPED_START.sub(lambda m: m.group(1) + m.group(2), line)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The front matter (as data) and the body; NotAReflection if there is none."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.startswith("---\n"):
        raise NotAReflection("no front matter (the file does not start with a --- line)")
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise NotAReflection("the front matter is not closed by a --- line")
    import yaml  # not needed when the journal's cache is up to date

    from servicecoach.yamldata import load_data

    try:
        data = load_data(text[4 : end + 1])
    except ValueError as error:  # too many values, or nested too deep
        raise NotAReflection(f"the front matter cannot be read: {error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise NotAReflection(f"the front matter is not valid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise NotAReflection("the front matter is not a mapping of keys")
    return data, text[end + 5 :]


def parse_entry(text: str, path: str = "") -> Entry:
    data, _ = split_front_matter(text)
    try:
        return Entry.model_validate({**data, "path": path})
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        if first["type"] == "missing":
            raise NotAReflection(f"the front matter has no '{where}'") from None
        raise NotAReflection(f"front matter '{where}': {first['msg']}") from None
