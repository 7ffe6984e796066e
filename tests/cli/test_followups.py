"""`coach followups` in-process: promises made in reflections listed (overdue first, across a
change of the clocks), marked done, dropped or snoozed by rewriting only their own lines."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import pytest

from ..conftest import coach
from ..journal_fixture import at, write


def listed(*options: str) -> list[dict]:
    result = coach("followups", "--json", *options)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


PROMISE = {
    "listen": "x",
    "notify": True,
    "follow-up": {"answer": "Call back with the refund number", "due": "tomorrow 10am"},
}


def test_a_promise_is_listed_kept_and_gone_with_only_its_lines_changed(coach_home: Path) -> None:
    saved = write(coach_home / "journal", "learn", at("2026-11-20", "09:30"), PROMISE)
    (promise,) = listed()
    assert promise["what"] == "Call back with the refund number"
    local_ten = dt.datetime(2026, 11, 21, 10, 0).astimezone()  # the local zone at that moment
    assert promise["due"] == local_ten.isoformat(timespec="minutes")
    assert promise["overdue"] is True
    assert promise["ref"] == saved.stem and promise["title"] == "LEARN"
    before = saved.read_text(encoding="utf-8")
    done = coach("followups", "done", saved.stem, "--note", "called: it's sorted")
    assert done.returncode == 0, done.stderr
    assert "Kept: Call back with the refund number" in done.stdout
    after = saved.read_text(encoding="utf-8")
    assert len(before.splitlines()) == len(after.splitlines())
    pairs = zip(before.splitlines(), after.splitlines(), strict=True)
    changed = [(a, b) for a, b in pairs if a != b]
    assert [a.split(":")[0] for a, _ in changed] == ["  status", "  done", "  note"]
    assert changed[0][1] == "  status: done" and changed[2][1] == "  note: 'called: it''s sorted'"
    assert listed() == []
    (kept,) = listed("--all")
    assert kept["status"] == "done" and kept["note"] == "called: it's sorted"
    assert len(coach("journal", "list", "--json").stdout.splitlines()) == 1  # still an entry
    assert coach("journal", "show", saved.stem).returncode == 0  # it still reads


def test_snooze_drop_and_which_of_two(coach_home: Path) -> None:
    saved = write(coach_home / "journal", "learn", at("2026-11-20", "09:30"), PROMISE)
    text = saved.read_text(encoding="utf-8")
    second = "- step: extra\n  what: Send the form\n  due: '2026-11-22T17:00:00+01:00'\n"
    saved.write_text(text.replace("  note: null\n---", f"  note: null\n{second}---"))
    refs = [p["ref"] for p in listed()]
    assert refs == [f"{saved.stem}#1", f"{saved.stem}#2"]
    ambiguous = coach("followups", "done", saved.stem)
    assert ambiguous.returncode == 1 and "holds 2 follow-ups; name one" in ambiguous.stderr
    assert coach("followups", "snooze", f"{saved.stem}#1", "2099-01-02 09:00").returncode == 0
    assert coach("followups", "drop", f"{saved.stem}#2").returncode == 0  # no done line: added
    after = saved.read_text(encoding="utf-8")
    assert "due: '2099-01-02T09:00:00+01:00'" in after or "due: '2099-01-02T09:00:00" in after
    assert "  status: dropped\n" in after and after.count("done: '") == 1
    (left,) = listed()
    assert left["due"].startswith("2099-01-02T09:00") and left["overdue"] is False
    wrong = coach("followups", "done", f"{saved.stem}#3")
    assert wrong.returncode == 1 and "follow-ups #1 to #2" in wrong.stderr


def test_overdue_first_then_by_due_across_a_change_of_the_clocks(
    coach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On 25 October 2026 Berlin's clocks went from 03:00 back to 02:00: 02:30 summer time
    comes before 02:15 winter time. Order is by the moment, not by the clock's text."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        journal = coach_home / "journal"
        paths = {}
        for name, due in [("later", "2026-10-25T02:15:00+01:00"), ("none", None),
                          ("future", "2099-06-01T12:00:00+02:00"),
                          ("earlier", "2026-10-25T02:30:00+02:00")]:  # fmt: skip
            saved = write(journal, "learn", at("2026-10-24", "10:00"), PROMISE)
            text = saved.read_text(encoding="utf-8")
            due_line = "null" if due is None else f"'{due}'"
            text = re.sub(r"  due: '[^']*'", f"  due: {due_line}", text)
            text = text.replace("Call back with the refund number", name)
            paths[name] = saved
            saved.write_text(text)
            time.sleep(0.01)  # distinct file names
        found = listed()
        assert [p["what"] for p in found] == ["earlier", "later", "future", "none"]
        assert [p["overdue"] for p in found] == [True, True, False, False]
        shown = coach("followups", env={"COLUMNS": "200"}).stdout
        assert shown.index("overdue by") < shown.index("due 2099") < shown.index("no time set")
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_promise_needs_a_time_coach_understands(coach_home: Path) -> None:
    answers = coach_home.parent / "answers.yaml"
    answers.write_text("notify: true\nfollow-up: {answer: call back, due: someday}\n")
    refused = coach("learn", "--answers", str(answers))
    assert refused.returncode == 1
    assert "follow-up: due: 'someday' is not a time" in refused.stderr


def test_a_calendar_any_calendar_reads_updates_rather_than_duplicates(
    coach_home: Path, tmp_path: Path
) -> None:
    icalendar = pytest.importorskip("icalendar")
    long_promise = "Send the signed form; then, call back — ünïcode and all " * 3
    timed = {**PROMISE, "follow-up": {"answer": long_promise, "due": "2099-01-02 09:30"}}
    write(coach_home / "journal", "learn", at("2026-11-20", "09:30"), timed)
    untimed = {**PROMISE, "follow-up": {"answer": "Whenever"}}
    write(coach_home / "journal", "learn", at("2026-11-21", "09:30"), untimed)
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    wrote = coach("followups", "--ics", str(first))
    assert wrote.returncode == 0, wrote.stderr
    assert "Wrote 1 follow-up" in wrote.stderr and "1 with no time set left out" in wrote.stderr
    assert coach("followups", "--ics", str(second)).returncode == 0
    raw = first.read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded, in octets
    calendars = [icalendar.Calendar.from_ical(p.read_bytes()) for p in (first, second)]
    events = [list(c.walk("VEVENT")) for c in calendars]
    assert [len(e) for e in events] == [1, 1]
    event = events[0][0]
    assert str(event["SUMMARY"]) == "Follow up: " + long_promise
    due = dt.datetime(2099, 1, 2, 9, 30).astimezone()
    assert event.decoded("DTSTART") == due
    assert str(event["UID"]) == str(events[1][0]["UID"])  # a re-import updates it


def test_the_daily_reflection_starts_with_the_follow_ups_due(coach_home: Path) -> None:
    """Due today or overdue: each asked about (kept, snoozed, dropped, or left with Enter);
    one due later is not asked about yet."""
    journal = coach_home / "journal"
    today = dt.datetime.now().astimezone()
    made = today - dt.timedelta(days=3)
    for what, due in [("Overdue call", "in 1 day"), ("Later call", "in 9 days"),
                      ("Snoozed call", "in 2 days"), ("Left call", "in 1 day")]:  # fmt: skip
        write(journal, "learn", made, {**PROMISE, "follow-up": {"answer": what, "due": due}})
        made += dt.timedelta(minutes=1)
    lines = ["maybe", "k", "", "s tomorrow 9am"]  # overdue first: Overdue, Left, Snoozed
    ran = coach("daily", input="\n".join(lines) + "\n")
    assert ran.returncode == 130, ran.stderr  # the input ends at the reflection's first step
    assert "Type k, d, s and a time" in ran.stdout  # 'maybe' is asked again
    assert "Who did you serve" in ran.stdout  # then the reflection itself
    assert "overdue by" in ran.stdout and "Later call" not in ran.stdout
    states = {p["what"]: p for p in listed("--all")}
    assert states["Overdue call"]["status"] == "done"
    assert states["Snoozed call"]["due"].startswith(
        (today + dt.timedelta(days=1)).date().isoformat() + "T09:00"
    )
    assert states["Left call"]["status"] == "open" and states["Later call"]["status"] == "open"
