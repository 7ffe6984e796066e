"""Promises kept: the follow-ups reflections hold, when each is due in words, and marking one
done, dropped or snoozed by rewriting only its lines of the front matter.

A follow-up lives in its reflection's front matter (`follow_ups:`, see docs/reflection-format.md);
the journal's cache indexes them, and hand edits stay the truth. Changing one replaces the few
characters of its values in the file, found by their positions in the YAML, so that every
other byte of the reflection stays as it was; the file is replaced atomically.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from servicecoach.errors import CoachError
from servicecoach.journal.entry import MAX_FILE_BYTES, Entry, minute
from servicecoach.places import read_whole
from servicecoach.storage import write_atomic
from servicecoach.text import visible

STATUSES = ("open", "done", "dropped")


@dataclass(frozen=True)
class Promise:
    """One follow-up, with the reflection it was made in."""

    entry: Entry
    number: int
    """Its place among the reflection's follow-ups, from 0."""

    @property
    def fields(self) -> dict[str, Any]:
        return self.entry.follow_ups[self.number]

    @property
    def what(self) -> str:
        return str(self.fields.get("what") or "")

    @property
    def status(self) -> str:
        return str(self.fields.get("status") or "open")

    @property
    def due(self) -> dt.datetime | None:
        return _moment(self.fields.get("due"))

    @property
    def done(self) -> dt.datetime | None:
        return _moment(self.fields.get("done"))

    @property
    def ref(self) -> str:
        """What `coach followups done` takes: the reflection's name, `#N` where it holds more
        than one follow-up."""
        stem = Path(self.entry.path).stem
        return stem if len(self.entry.follow_ups) == 1 else f"{stem}#{self.number + 1}"

    def record(self, now: dt.datetime) -> dict[str, Any]:
        """`coach followups --json`: one follow-up."""
        due = self.due
        return {
            "ref": self.ref,
            "path": self.entry.path,
            "what": self.what,
            "due": due.isoformat(timespec="minutes") if due else None,
            "status": self.status,
            "overdue": bool(self.status == "open" and due is not None and due < now),
            "done": self.done.isoformat(timespec="minutes") if self.done else None,
            "note": self.fields.get("note"),
            "playbook": self.entry.playbook,
            "title": self.entry.title,
            "audience": self.entry.audience,
            "tags": self.entry.tags,
            "made": self.entry.when.isoformat(timespec="minutes"),
        }


def calendar(found: list[Promise], now: dt.datetime) -> str:
    """The open follow-ups with a due time as an iCalendar file (RFC 5545): one event each, at
    its due time, with a reminder; its UID is the reflection's path and the follow-up's number,
    so importing the file again updates the events instead of adding them twice."""
    import hashlib

    stamp = _utc(now)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//servicecoach//coach followups//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]  # fmt: skip
    for promise in found:
        due = promise.due
        if promise.status != "open" or due is None:
            continue
        key = f"{promise.entry.path}#{promise.number}".encode()
        entry = promise.entry
        whom = " · ".join(p for p in (entry.title or entry.playbook, entry.audience or "") if p)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{hashlib.sha256(key).hexdigest()[:32]}@servicecoach",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(due)}",
            "DURATION:PT15M",
            f"SUMMARY:{_text('Follow up: ' + promise.what)}",
            f"DESCRIPTION:{_text(f'{whom}. Mark it kept: coach followups done {promise.ref}')}",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{_text(promise.what)}",
            "TRIGGER:-PT15M",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_folded(line) + "\r\n" for line in lines)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line breaks as
    \\n, other control characters shown as text."""
    value = visible(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n")


def _folded(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (75 if not parts else 74):
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _moment(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.astimezone()


def promises(found: list[tuple[int, Entry]]) -> list[Promise]:
    return [Promise(entry, number) for number, entry in found]


def due_in_words(promise: Promise, now: dt.datetime) -> str:
    """`overdue by 2 h`, `due today 15:00`, `due tomorrow 10:00`, `due Fri 15:00`, `due
    2026-12-24 15:00`, `no time set`; `done 2026-11-29 09:12` once kept."""
    if promise.status != "open":
        when = promise.done
        return f"{promise.status} {minute(when.astimezone(now.tzinfo))}" if when else promise.status
    due = promise.due
    if due is None:
        return "no time set"
    due = due.astimezone(now.tzinfo)
    if due < now:
        return f"overdue by {_span(now - due)}"
    days = (due.date() - now.date()).days
    clock = f"{due:%H:%M}"
    if days == 0:
        return f"due today {clock}"
    if days == 1:
        return f"due tomorrow {clock}"
    if days < 7:
        return f"due {due:%a} {clock}"
    return f"due {minute(due)}"


def _span(gap: dt.timedelta) -> str:
    minutes = int(gap.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // 1440} d"


def pick(found: list[Promise], ref: str) -> Promise:
    """The follow-up `ref` names among those of one reflection (`NAME#2`, or `NAME` when it
    holds one); a sentence when that is not one."""
    _, _, number = ref.partition("#")
    if not found:
        raise CoachError(f"The reflection '{ref.partition('#')[0]}' holds no follow-up.")
    if number:
        if not (number.isdecimal() and number.isascii() and 1 <= int(number) <= len(found)):
            raise CoachError(f"'{ref}': the reflection holds follow-ups #1 to #{len(found)}.")
        return found[int(number) - 1]
    open_ones = [promise for promise in found if promise.status == "open"]
    if len(found) == 1:
        return found[0]
    if len(open_ones) == 1:
        return open_ones[0]
    refs = ", ".join(promise.ref for promise in found)
    raise CoachError(f"The reflection holds {len(found)} follow-ups; name one: {refs}.")


def change(path: Path, number: int, values: dict[str, str | None]) -> None:
    """Set `values` (status, done, due, note) of the `number`th follow-up in the reflection at
    `path`, rewriting only those values' characters; the file is replaced atomically."""
    try:
        raw = read_whole(path, MAX_FILE_BYTES)
    except OSError as error:
        raise CoachError(f"Cannot read {path}: {error.strerror or error}.") from None
    text = raw.decode("utf-8")
    start = 4 if text.startswith("---\n") else -1
    end = text.find("\n---\n", 3)
    if start < 0 or end < 0 or "\r" in text[:end]:
        raise CoachError(f"{path}: the front matter is not in the form coach writes; edit it.")
    front = text[start : end + 1]
    edits = _edits(front, number, values, path)
    for at, until, new in sorted(edits, reverse=True):
        front = front[:at] + new + front[until:]
    write_atomic(path, (text[:start] + front + text[end + 1 :]).encode("utf-8"))


def _edits(
    front: str, number: int, values: dict[str, str | None], path: Path
) -> list[tuple[int, int, str]]:
    import yaml

    try:
        root = yaml.compose(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        raise CoachError(f"{path}: the front matter is not valid YAML; edit it.") from None
    items = _value_of(root, "follow_ups")
    if not isinstance(items, yaml.SequenceNode) or not 0 <= number < len(items.value):
        raise CoachError(f"{path}: there is no follow-up #{number + 1} in it.")
    mapping = items.value[number]
    if not isinstance(mapping, yaml.MappingNode) or mapping.flow_style:
        raise CoachError(f"{path}: follow-up #{number + 1} is not written as coach writes it.")
    edits = []
    indent = mapping.value[0][0].start_mark.column if mapping.value else 0
    last_end = mapping.value[-1][1].end_mark.index if mapping.value else mapping.end_mark.index
    for key, value in values.items():
        written = _scalar(value)
        node = _value_of(mapping, key)
        if isinstance(node, yaml.ScalarNode):
            edits.append((node.start_mark.index, node.end_mark.index, written))
        elif node is None:  # a hand edit left the key out: a line of its own after the item
            edits.append((last_end, last_end, f"\n{' ' * indent}{key}: {written}"))
        else:
            raise CoachError(f"{path}: follow-up #{number + 1}'s {key} is not a value.")
    return edits


def _value_of(mapping: Any, key: str) -> Any:
    import yaml

    if not isinstance(mapping, yaml.MappingNode):
        return None
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None


def _scalar(value: str | None) -> str:
    """A value as YAML writes it on one line: null, a plain word, or single-quoted text."""
    if value is None:
        return "null"
    if value in STATUSES:
        return value
    return "'" + visible(value).replace("\n", " ").replace("\t", " ").replace("'", "''") + "'"
