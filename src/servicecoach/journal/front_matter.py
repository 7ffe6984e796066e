"""A reflection file's front matter, validated: what makes a file an entry of the journal.

Lenient with hand edits (a date without a time, one tag instead of a list, an answer without
its record), strict where the journal relies on it (a `playbook` and a `started` time, a rating
from 1 to 5). Imported only when the journal's cache takes in a new or changed file, or a file
outside the journal is read: pydantic is not needed to read the cache.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from servicecoach.dates import END_OF_DAY
from servicecoach.journal.entry import Entry, NotAReflection, split_front_matter


class FollowUp(BaseModel):
    """A promise made in a session, as the front matter keeps it. Hand edits are the truth,
    and one odd follow-up must not hide its reflection: `what` is read as text whatever YAML
    made of it, an unknown status is kept (and listed under it), a time that cannot be read
    is no time. Never dropped: `coach followups` numbers them by place."""

    model_config = ConfigDict(extra="ignore")

    step: str | None = None
    what: str = ""
    due: dt.datetime | None = None
    status: str = "open"
    done: dt.datetime | None = None
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _a_mapping(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {"what": str(value), "status": "unreadable"}

    @field_validator("what", "step", "note", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return None if value is None else str(value)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        return "open" if value is None else str(value).strip().lower()

    @field_validator("due", "done", mode="before")
    @classmethod
    def _a_time_or_none(cls, value: Any) -> Any:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, END_OF_DAY)
        if isinstance(value, str):
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError:
                return None
        if not isinstance(value, dt.datetime) or not 1900 <= value.year <= 9998:
            return None
        return value


class FrontMatter(BaseModel):
    """The fields of a reflection's front matter that the journal reads (the rest is ignored)."""

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
    follow_ups: list[FollowUp] = Field(default_factory=list)

    @field_validator("started", "at", "finished", mode="before")
    @classmethod
    def _dates_are_midnight(cls, value: Any) -> Any:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return dt.datetime.combine(value, dt.time())
        return value

    @field_validator("follow_ups", mode="before")
    @classmethod
    def _a_list(cls, value: Any) -> Any:
        return value if isinstance(value, list) else []  # not a list: nothing coach can number

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


def parse_entry(text: str, path: str = "") -> Entry:
    """The entry a reflection file's text makes; NotAReflection, saying why, if it makes none."""
    return parse_record(text, path)[0]


def parse_record(text: str, path: str = "") -> tuple[Entry, str]:
    """The entry a reflection file's text makes, and its record as JSON (what the journal's
    cache keeps); NotAReflection, saying why, if it makes none."""
    data, _ = split_front_matter(text)
    return validated(data, path)


def validated(data: dict[str, Any], path: str) -> tuple[Entry, str]:
    """The entry front matter's `data` makes, and its record as JSON; NotAReflection, saying
    why, if it makes none."""
    try:
        front = FrontMatter.model_validate({**data, "path": path})
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        if first["type"] == "missing":
            raise NotAReflection(f"the front matter has no '{where}'") from None
        raise NotAReflection(f"front matter '{where}': {first['msg']}") from None
    record = front.model_dump_json()
    return Entry.from_record(json.loads(record)), record
