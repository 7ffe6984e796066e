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

from servicecoach.dates import local
from servicecoach.errors import CoachError
from servicecoach.journal.entry import MAX_FILE_BYTES, Entry, NotAReflection, minute, split_text
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
    """The follow-ups with a due time as an iCalendar file (RFC 5545): one event each, at its
    due time, with a reminder; its UID is the reflection's path and the follow-up's number, so
    importing the file again updates the events instead of adding them twice, and one kept or
    dropped since is cancelled."""
    import hashlib

    stamp = _utc(now)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//servicecoach//coach followups//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]  # fmt: skip
    for promise in found:
        due = promise.due
        if due is None:
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
            f"STATUS:{'CONFIRMED' if promise.status == 'open' else 'CANCELLED'}",
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
    """A time the front matter holds (a time without a zone is local); None where there is
    none, or none this machine can show."""
    if not isinstance(value, str):
        return None
    try:
        return local(dt.datetime.fromisoformat(value))
    except (ValueError, OverflowError, CoachError):
        return None


def promises(found: list[tuple[int, Entry]]) -> list[Promise]:
    return [Promise(entry, number) for number, entry in found]


def due_in_words(promise: Promise, now: dt.datetime) -> str:
    """`overdue by 2 h`, `due today 15:00`, `due tomorrow 10:00`, `due Fri 15:00`, `due
    2026-12-24 15:00`, `no time set`; `done 2026-11-29 09:12` once kept."""
    if promise.status != "open":
        when = promise.done
        return f"{promise.status} {minute(local(when))}" if when else promise.status
    due = promise.due
    if due is None:
        return "no time set"
    due = local(due)  # the offset in force then, not now's: a change of the clocks between
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


def change(
    path: Path, number: int, values: dict[str, str | None], *, what: str | None = None
) -> None:
    """Set `values` (status, done, due, note) of the `number`th follow-up in the reflection at
    `path` (which must still promise `what`, when given), rewriting only those values'
    characters; the result is read back and must differ in those values alone before the
    file is replaced, atomically. Any line ending and a byte-order mark are kept."""
    try:
        text = read_whole(path, MAX_FILE_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CoachError(f"Cannot read {path}: {error}.") from None
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    crlf = "\r\n" in text
    work = text.removeprefix(bom).replace("\r\n", "\n") if crlf else text.removeprefix(bom)
    try:
        front, body = split_text(work)
    except NotAReflection as why:
        raise CoachError(f"{path}: {why}.") from None
    before = _loaded(front, path)
    items = before.get("follow_ups") if isinstance(before, dict) else None
    if not isinstance(items, list) or not 0 <= number < len(items):
        raise CoachError(f"{path}: there is no follow-up #{number + 1} in it.")
    if what is not None and (not isinstance(items[number], dict) or
                             str(items[number].get("what") or "") != what):  # fmt: skip
        raise CoachError(
            f"{path} changed since it was read: follow-up #{number + 1} is no longer "
            f"'{what}'. Run coach followups again."
        )
    edited = front
    for at, until, new in sorted(_edits(front, number, values, path), reverse=True):
        edited = edited[:at] + new + edited[until:]
    after = _loaded(edited, path)
    expected = {**before, "follow_ups": list(items)}
    expected["follow_ups"][number] = {**items[number], **values}
    if after != expected:
        raise CoachError(
            f"{path}: follow-up #{number + 1} is written in a form coach cannot change "
            "safely; edit it by hand."
        )
    out = f"---\n{edited}---\n{body}" if body or work.endswith("\n---\n") else f"---\n{edited}---"
    if crlf:
        out = out.replace("\n", "\r\n")
    write_atomic(path, (bom + out).encode("utf-8"))


def _loaded(front: str, path: Path) -> Any:
    import yaml

    from servicecoach.yamldata import load_data

    try:
        return load_data(front)
    except (yaml.YAMLError, ValueError):
        raise CoachError(f"{path}: the front matter is not valid YAML; edit it.") from None


def settle(
    promise: Promise, path: Path, status: str, moment: dt.datetime, note: str | None
) -> None:
    """Mark a follow-up kept (`done`) or `dropped` at `moment`, with an optional note; one that
    is not open any more is left as it is, with a sentence saying so."""
    if promise.status != "open":
        when = f" on {minute(promise.done)}" if promise.done else ""
        raise CoachError(f"'{promise.what}' is {promise.status} already{when}.")
    values: dict[str, str | None] = {"status": status, "done": moment.isoformat(timespec="seconds")}
    if note is not None:
        values["note"] = " ".join(visible(note).split())
    change(path, promise.number, values, what=promise.what)


def snooze(promise: Promise, path: Path, due: dt.datetime) -> None:
    """Move a follow-up's due time; one kept or dropped is open again."""
    values: dict[str, str | None] = {"due": due.isoformat(timespec="seconds")}
    if promise.status != "open":
        values |= {"status": "open", "done": None}
    change(path, promise.number, values, what=promise.what)


def _edits(
    front: str, number: int, values: dict[str, str | None], path: Path
) -> list[tuple[int, int, str]]:
    import yaml

    from servicecoach.journal.reflection import yaml_scalar

    root = yaml.compose(front, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    mapping = _value_of(root, "follow_ups").value[number]
    if not isinstance(mapping, yaml.MappingNode) or mapping.flow_style:
        raise CoachError(f"{path}: follow-up #{number + 1} is not written as coach writes it.")
    edits = []
    indent = mapping.value[0][0].start_mark.column if mapping.value else 0
    last_end = mapping.value[-1][1].end_mark.index if mapping.value else mapping.end_mark.index
    for key, value in values.items():
        written = yaml_scalar(value)
        node = _value_of(mapping, key)
        if node is None:  # a hand edit left the key out: a line of its own in the item
            at = last_end
            line = f"{' ' * indent}{key}: {written}"
            edits.append((at, at, f"{line}\n" if front[at - 1 : at] == "\n" else f"\n{line}"))
        elif isinstance(node, yaml.ScalarNode) and node.style in (None, "", "'", '"'):
            at, until = node.start_mark.index, node.end_mark.index
            edits.append((at, until, written if until > at else f" {written}"))  # `key:` alone
        else:
            raise CoachError(
                f"{path}: follow-up #{number + 1}'s {key} is not written as coach writes it "
                "(a block or a list); edit it by hand."
            )
    return edits


def _value_of(mapping: Any, key: str) -> Any:
    import yaml

    if not isinstance(mapping, yaml.MappingNode):
        return None
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None
