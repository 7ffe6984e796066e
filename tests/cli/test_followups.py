"""`coach followups` in-process: promises made in reflections listed (overdue first, across a
change of the clocks), marked done, dropped or snoozed by rewriting only their own lines."""

from __future__ import annotations

import dataclasses
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
    assert (
        "Wrote 1 open follow-up" in wrote.stderr and "1 with no time set left out" in wrote.stderr
    )
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
    assert "Type k kept · d drop · s WHEN snooze" in ran.stdout  # 'maybe' is asked again
    assert "Who did you serve" in ran.stdout  # then the reflection itself
    assert "overdue by" in ran.stdout and "Later call" not in ran.stdout
    states = {p["what"]: p for p in listed("--all")}
    assert states["Overdue call"]["status"] == "done"
    assert states["Snoozed call"]["due"].startswith(
        (today + dt.timedelta(days=1)).date().isoformat() + "T09:00"
    )
    assert states["Left call"]["status"] == "open" and states["Later call"]["status"] == "open"


HAND_EDITS = {
    "empty values": ("  done: null\n  note: null\n", "  done:\n  note:\n"),
    "a block note": ("  note: null\n", "  note: |\n    line one\n    line two\n"),
    "a nested last value": ("  note: null\n", "  note: null\n  extra:\n  - a\n  - b\n"),
    "keys left out": ("  status: open\n  done: null\n  note: null\n", ""),
}


@pytest.mark.parametrize("edit", list(HAND_EDITS), ids=list(HAND_EDITS))
def test_a_hand_edited_follow_up_is_changed_safely_or_not_at_all(
    coach_home: Path, edit: str
) -> None:
    saved = write(coach_home / "journal", "learn", at("2026-11-20", "09:30"), PROMISE)
    old, new = HAND_EDITS[edit]
    text = saved.read_text(encoding="utf-8")
    assert old in text
    second = "- step: extra\n  what: Second one\n  status: open\n"
    saved.write_text(text.replace(old, new).replace("\n---\n", f"\n{second}---\n", 1)[::1])
    before = saved.read_bytes()
    ran = coach("followups", "done", f"{saved.stem}#1", "--note", "it's\u2028--- done")
    if ran.returncode != 0:  # refused: one sentence, nothing changed
        assert "edit it by hand" in ran.stderr and saved.read_bytes() == before
        return
    assert coach("journal", "check").returncode == 0  # still a reflection
    states = {p["what"]: p for p in listed("--all")}
    assert states["Call back with the refund number"]["status"] == "done"
    assert states["Call back with the refund number"]["note"] == "it's --- done"
    assert states["Second one"]["status"] == "open"


@pytest.mark.parametrize("form", ["crlf", "bom"])
def test_windows_line_ends_and_a_byte_order_mark_are_kept(coach_home: Path, form: str) -> None:
    saved = write(coach_home / "journal", "learn", at("2026-11-20", "09:30"), PROMISE)
    text = saved.read_text(encoding="utf-8")
    saved.write_bytes(
        (text.replace("\n", "\r\n") if form == "crlf" else "\ufeff" + text).encode("utf-8")
    )
    before = saved.read_bytes()
    assert coach("followups", "done", saved.stem).returncode == 0
    after = saved.read_bytes()
    assert after.count(b"\r\n") == before.count(b"\r\n")
    assert after.startswith(b"\xef\xbb\xbf") == before.startswith(b"\xef\xbb\xbf")
    assert listed() == []


def test_odd_follow_ups_never_hide_their_reflection(coach_home: Path) -> None:
    saved = write(coach_home / "journal", "learn", at("2026-11-20", "09:30"), PROMISE)
    text = saved.read_text(encoding="utf-8")
    odd = "- step: x\n  what: 10:30\n  status: Done\n- just text\n- due: 0001-01-01\n"
    saved.write_text(text.replace("\n---\n", f"\n{odd}---\n", 1))
    assert coach("journal", "check").returncode == 0
    assert len(coach("journal", "list", "--json").stdout.splitlines()) == 1
    found = {p["what"]: p["status"] for p in listed("--all")}
    assert found["630"] == "done" and found["just text"] == "unreadable" and found[""] == "open"
    assert coach("journal", "stats").returncode == 0


def test_a_promise_taken_back_is_no_follow_up(coach_home: Path) -> None:
    typed = "l\ne\na\nr\ny\ncall back\nfriday\n/b\n/b\n/b\nn\n\n\n\n"
    ran = coach("learn", "--dry-run", input=typed)
    front = ran.stdout.split("---")[1]
    assert "follow_ups" not in front and "status: not-applicable" in front


def test_closed_follow_ups_are_not_closed_twice_and_snooze_reopens(coach_home: Path) -> None:
    saved = write(coach_home / "journal", "learn", at("2026-11-20", "09:30"), PROMISE)
    assert coach("followups", "done", saved.stem).returncode == 0
    twice = coach("followups", "done", saved.stem)
    assert twice.returncode == 1 and "is done already on" in twice.stderr
    assert coach("followups", "snooze", saved.stem, "in 2 days").returncode == 0
    (again,) = listed()
    assert again["status"] == "open" and again["done"] is None


def test_a_promise_written_up_later_counts_from_the_call(coach_home: Path) -> None:
    answers = coach_home.parent / "answers.yaml"
    answers.write_text("notify: true\nfollow-up: {answer: call back, due: tomorrow 10am}\n")
    ran = coach("learn", "--recall", "--at", "2026-11-02 15:00", "--answers", str(answers))
    assert ran.returncode == 0, ran.stderr
    (promise,) = listed()
    assert promise["due"].startswith("2026-11-03T10:00") and promise["overdue"] is True


def test_the_daily_review_ends_as_a_session_would(coach_home: Path) -> None:
    made = dt.datetime.now().astimezone() - dt.timedelta(days=3)
    write(coach_home / "journal", "learn", made, {**PROMISE, "follow-up": {
        "answer": "Overdue call", "due": "in 1 day"}})  # fmt: skip
    ended = coach("daily", input="")
    assert ended.returncode == 130
    assert "Stopped before any answer; nothing to keep." in ended.stderr
    assert not list((coach_home / "drafts").glob("*.json"))
    quit_ = coach("daily", input="/q\n")
    assert quit_.returncode == 0 and "Stopped before any answer" in quit_.stdout + quit_.stderr
    assert not list((coach_home / "drafts").glob("*.json"))


def test_a_due_time_shows_the_clock_of_its_own_day(
    coach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from servicecoach.journal.followups import Promise, due_in_words

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        entry = write(coach_home / "journal", "learn", at("2027-03-26", "09:30"), PROMISE)
        del entry
        (promise,) = coach_home.joinpath("journal").rglob("*.md")
        from servicecoach.journal.front_matter import parse_entry

        parsed = parse_entry(promise.read_text(encoding="utf-8"))
        fields = {**parsed.follow_ups[0], "due": "2027-03-29T10:00:00+02:00"}
        changed = Promise(dataclasses.replace(parsed, follow_ups=[fields]), 0)
        now = dt.datetime.fromisoformat("2027-03-27T12:00:00+01:00")  # before the change
        assert due_in_words(changed, now) == "due Mon 10:00"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_restitution_is_a_follow_up_only_when_it_comes_later(coach_home: Path) -> None:
    journal = coach_home / "journal"
    write(journal, "apology", at("2026-11-20", "09:30"), {"restitution": "Refunded there"})
    later = {"restitution": {"answer": "Replacement by courier", "due": "2d"}}
    write(journal, "apology", at("2026-11-21", "09:30"), later)
    (promise,) = listed()
    assert promise["what"] == "Replacement by courier" and promise["playbook"] == "apology"
