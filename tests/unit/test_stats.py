"""Journal statistics from their parts: weekly buckets, rating trends, skipped steps, streaks,
with the edges a journal reaches over the years (year ends, gaps, time zones, few ratings)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from servicecoach.journal.index import Filters, JournalIndex
from servicecoach.journal.stats import compute, most_skipped, streak, trends, weekly

from ..journal_fixture import write

D = dt.date


def test_weeks_start_on_monday_and_cross_the_year_end() -> None:
    today = D(2027, 1, 1)  # a Friday; its week began on Monday 28 December 2026
    days = [("2026-12-27", 2), ("2026-12-28", 1), ("2026-12-31", 3), ("2027-01-01", 1)]
    weeks = weekly(days, today, weeks=3)
    assert [(w.start, w.count) for w in weeks] == [
        (D(2026, 12, 14), 0),
        (D(2026, 12, 21), 2),  # Sunday the 27th belongs to the week before
        (D(2026, 12, 28), 5),  # Monday to Friday, over New Year
    ]


def test_weeks_outside_the_window_are_not_counted_and_empty_weeks_are_shown() -> None:
    today = D(2026, 3, 4)
    weeks = weekly([("2025-01-01", 9), ("2026-03-02", 1)], today, weeks=12)
    assert len(weeks) == 12
    assert weeks[-1].start == D(2026, 3, 2)
    assert sum(w.count for w in weeks) == 1
    assert [w.start for w in weeks] == sorted(w.start for w in weeks)


def test_a_week_53_year() -> None:
    today = D(2021, 1, 3)  # Sunday of ISO week 53 of 2020
    (week,) = weekly([("2020-12-28", 1), ("2021-01-03", 1)], today, weeks=1)
    assert (week.start, week.count) == (D(2020, 12, 28), 2)


def test_a_trend_needs_ten_ratings_to_show_a_change() -> None:
    few = trends([("learn", 3, 3.3333)], {"learn": [2, 4, 4]})
    assert few[0].change is None
    assert few[0].average == 3.33
    assert few[0].recent == [2, 4, 4]
    ten = list(range(1, 6)) + [5] * 5  # 1,2,3,4,5 then 5,5,5,5,5
    (trend,) = trends([("learn", 10, 4.0)], {"learn": ten})
    assert trend.change == 2.0  # the last five average 5, the five before 3
    assert trends([("daily", 2, 4.5)], {})[0].recent == []  # rated, but none recent


def test_the_most_skipped_step_per_playbook() -> None:
    recent = {
        "learn": ["notify|respond", "notify", None, "", "respond|notify"],
        "apology": ["b|a", "a|b"],  # a tie: the later name wins, the same each time
        "daily": [None, None],
    }
    skips = {s.playbook: s for s in most_skipped(recent)}  # type: ignore[arg-type]
    assert (skips["learn"].step, skips["learn"].skipped, skips["learn"].of_last) == (
        "notify",
        3,
        5,
    )
    assert skips["apology"].step == "b" and skips["apology"].skipped == 2
    assert "daily" not in skips
    order = [s.playbook for s in most_skipped(recent)]  # type: ignore[arg-type]
    assert order == ["apology", "learn"]  # 2 of 2 before 3 of 5


def test_a_streak_runs_to_today_or_yesterday_and_survives_gaps_in_the_past() -> None:
    days = ["2026-11-01", "2026-11-02", "2026-11-03", "2026-11-05", "2026-11-06"]
    assert dataclasses.asdict(streak(days, D(2026, 11, 6))) == {
        "current": 2,
        "longest": 3,
        "last_day": D(2026, 11, 6),
    }
    assert streak(days, D(2026, 11, 7)).current == 2  # today's may not be written yet
    assert streak(days, D(2026, 11, 8)).current == 0  # a day missed: the run is over
    assert streak(days + days, D(2026, 11, 6)).longest == 3  # two on a day count once
    assert dataclasses.asdict(streak([], D(2026, 11, 6))) == {
        "current": 0,
        "longest": 0,
        "last_day": None,
    }


def test_a_streak_follows_the_days_as_they_were_lived_in_each_time_zone(tmp_path: Path) -> None:
    """A daily at 23:30 in Lisbon and the next at 00:30 in Tokyo are two days running, even
    though the second happened earlier in UTC; nor do two in one local evening make two."""
    journal = tmp_path / "journal"
    lisbon, tokyo = dt.timezone(dt.timedelta(hours=0)), dt.timezone(dt.timedelta(hours=9))
    lived = [
        dt.datetime(2026, 11, 20, 23, 30, tzinfo=lisbon),
        dt.datetime(2026, 11, 21, 0, 30, tzinfo=tokyo),  # 20 Nov 15:30 UTC
        dt.datetime(2026, 11, 22, 22, 0, tzinfo=tokyo),
        dt.datetime(2026, 11, 22, 23, 59, tzinfo=tokyo),
    ]
    for moment in lived:
        write(journal, "daily", moment, {"went-well": "yes"})
    index = JournalIndex(journal, None)
    index.sync()
    stats = compute(index, Filters(), D(2026, 11, 23))
    assert dataclasses.asdict(stats.daily_streak) == {
        "current": 3,
        "longest": 3,
        "last_day": D(2026, 11, 22),
    }
    assert stats.total == 4
    assert sum(week.count for week in stats.weeks) == 4


def test_promises_kept_on_time_late_open_and_dropped() -> None:
    import datetime as dt_

    from servicecoach.journal.stats import Kept, kept

    def ts(day: int, hour: int = 12) -> float:
        return dt_.datetime(2026, 11, day, hour).timestamp()

    facts = [
        ("learn", ts(10), "done", ts(9)),  # kept before it was due
        ("learn", ts(10), "done", ts(11)),  # kept a day late
        ("learn", ts(12), "open", None),  # overdue by now
        ("pointers", ts(20), "open", None),  # not due yet
        ("pointers", None, "dropped", ts(13)),
        ("pointers", None, "open", None),  # no time said
    ]
    weeks = [dt_.date(2026, 11, 9), dt_.date(2026, 11, 16)]
    total, by_playbook, by_week = kept(facts, ts(15), weeks)
    assert total == Kept(on_time=1, late=1, open=3, overdue=1, dropped=1)
    assert by_playbook["learn"] == Kept(on_time=1, late=1, open=1, overdue=1)
    assert by_playbook["pointers"] == Kept(open=2, dropped=1)
    assert [(w.start, w.kept) for w in by_week] == [
        (weeks[0], Kept(on_time=1, late=1, open=1, overdue=1)),
        (weeks[1], Kept(open=1)),
    ]
