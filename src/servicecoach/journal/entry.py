"""A reflection as the journal commands see it (`Entry`), and reading a file's front matter.

A person may edit, move or delete reflection files; anything that still has front matter with a
`playbook` and a `started` time is an entry. Everything else is reported as a problem (the
journal skips it and `coach journal check` names it), never a crash.

An `Entry` is plain data, so that reading the journal's cache needs neither pydantic nor YAML:
the front matter of a file is validated once, when the cache takes it in
(`front_matter.parse_entry`), and the cache keeps the entry as its `record`, the JSON that
pydantic gives for it (`tests/unit/test_entry.py` holds the two to the same bytes).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

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


class DamagedRecord(ValueError):
    """A record in the journal's cache that is not what the cache writes."""


def iso(moment: dt.datetime | dt.date) -> str:
    """A moment as JSON gives it (pydantic's form): ISO 8601, `Z` for UTC."""
    text = moment.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


_MOMENTS = ("started", "at", "finished")
_TEXTS = ("title", "mode", "audience", "outcome", "playbook_hash", "session")
_NUMBERS = ("duration_s", "rating", "playbook_version")
_TEXT_TYPES = {str, type(None)}
_NUMBER_TYPES = {int, type(None)}
_DICT_TYPE = {dict}


@dataclass(frozen=True, slots=True, kw_only=True)
class Entry:
    """One reflection, as the journal commands see it. Answers hold JSON values (a date a
    person typed into the front matter is its ISO text)."""

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
    rating: int | None = None
    tags: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    wrap_up: dict[str, dict[str, Any]] = field(default_factory=dict)
    playbook_version: int | None = None
    playbook_hash: str | None = None
    session: str | None = None
    follow_ups: list[dict[str, Any]] = field(default_factory=list)
    """Promises made, as the front matter keeps them (step, what, due, status, done, note;
    times as ISO text)."""

    @classmethod
    def from_json(cls, raw: Any) -> Entry:
        """The entry from the JSON of its `record` (as the journal's cache keeps it);
        DamagedRecord if that is not what the cache writes."""
        try:
            record = json.loads(raw)
        except (TypeError, ValueError):
            raise DamagedRecord("not JSON") from None
        return cls.from_record(record)

    @classmethod
    def from_record(cls, record: Any) -> Entry:
        """The entry from its `record`; DamagedRecord if it is not one."""
        try:
            values = dict(record)
            values["started"] = dt.datetime.fromisoformat(values["started"])
            for name in ("at", "finished"):
                if values.get(name) is not None:
                    values[name] = dt.datetime.fromisoformat(values[name])
            entry = cls(**values)
        except (KeyError, TypeError, ValueError) as error:
            raise DamagedRecord(f"not an entry: {error}") from None
        entry._check()
        return entry

    def _check(self) -> None:
        """Each value of the type it must have (a record the cache did not write is damage)."""
        # The whole journal passes through here on an export: checks that run in C (a join
        # takes strings only; a set of types) keep it a small part of the time.
        try:
            ok = (
                type(self.path) is str
                and type(self.playbook) is str
                and {type(getattr(self, name)) for name in _TEXTS} <= _TEXT_TYPES
                and {type(getattr(self, name)) for name in _NUMBERS} <= _NUMBER_TYPES
                and type(self.tags) is list
                and type(self.skipped) is list
                and type(self.steps) is dict
                and type(self.wrap_up) is dict
                and set(map(type, self.steps.values())) <= _DICT_TYPE
                and set(map(type, self.wrap_up.values())) <= _DICT_TYPE
                and type(self.follow_ups) is list
                and set(map(type, self.follow_ups)) <= _DICT_TYPE
            )
            "".join(self.tags)
            "".join(self.skipped)
        except TypeError:
            ok = False
        if not ok:
            raise DamagedRecord("not an entry: a value of the wrong type")

    def record(self) -> dict[str, Any]:
        """Every field as JSON values, in order: what `journal export --format json` prints
        for it, and what the cache keeps."""
        values: dict[str, Any] = {}
        for name in self.__slots__:  # type: ignore[attr-defined]
            value = getattr(self, name)
            values[name] = iso(value) if name in _MOMENTS and value is not None else value
        return values

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
                answer = record.get("answer")
                text = answer if type(answer) is str else answer_text(answer)
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


# An answer's lines in the body must read as written in any Markdown reader: not turn into a
# heading, a quote, a fence or a rule (the writer puts a backslash before such a start, and
# before a backslash the person typed there), and not carry HTML (every `<` is written `\<`, a
# Markdown escape, with the backslashes typed just before it doubled). Readers take both away.
_BLOCK_START = re.compile(r"^(\s{0,3})((?:\\(?!\\*<))|#|>|```|~~~|---|\*\*\*|___|===|\+\+\+)")
_ESCAPED_START = re.compile(r"^(\s{0,3})\\((?:\\(?!\\*<))|#|>|```|~~~|---|\*\*\*|___|===|\+\+\+)")
_LESS_THAN = re.compile(r"(\\*)<")
_ESCAPED_LESS_THAN = re.compile(r"(\\+)<")


def html_safe(text: str) -> str:
    """`text` for a Markdown line: no `<` that a reader could take for HTML."""
    return _LESS_THAN.sub(lambda m: "\\" * (2 * len(m.group(1)) + 1) + "<", text)


def block_safe(line: str) -> str:
    """A line of someone's answer, safe to put in the body."""
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), html_safe(line))


def as_typed(line: str) -> str:
    """A line of the body as the person typed it: `block_safe` undone."""
    line = _ESCAPED_START.sub(lambda m: m.group(1) + m.group(2), line)
    return _ESCAPED_LESS_THAN.sub(lambda m: "\\" * (len(m.group(1)) // 2) + "<", line)


def split_text(text: str) -> tuple[str, str]:
    """The front matter's text (between the --- lines, with its last newline) and the body,
    without reading the YAML; NotAReflection if there is none."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    if not text.startswith("---\n"):
        raise NotAReflection("no front matter (the file does not start with a --- line)")
    end = text.find("\n---\n", 3)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise NotAReflection("the front matter is not closed by a --- line")
    return text[4 : end + 1], text[end + 5 :]


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """The front matter (as data) and the body; NotAReflection if there is none."""
    front, body = split_text(text)
    import yaml  # not needed when the journal's cache is up to date

    from servicecoach.yamldata import load_data

    try:
        data = load_data(front)
    except ValueError as error:  # too many values, or nested too deep
        raise NotAReflection(f"the front matter cannot be read: {error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise NotAReflection(f"the front matter is not valid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise NotAReflection("the front matter is not a mapping of keys")
    return data, body
