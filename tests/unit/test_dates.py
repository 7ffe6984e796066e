"""Dates and times as people type them: day ranges for filters, moments for --at."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from servicecoach.dates import parse_day_range, parse_due, parse_moment, until_day
from servicecoach.errors import DateError


def test_date_words() -> None:
    today = dt.date(2026, 3, 31)
    assert parse_day_range("yesterday", today) == (dt.date(2026, 3, 30),) * 2
    assert parse_day_range("7d", today)[0] == dt.date(2026, 3, 25)  # today and 6 days before
    assert until_day("7d", today) == dt.date(2026, 3, 24)  # the rest, older
    assert until_day("2026-02", today) == dt.date(2026, 2, 28)
    assert parse_day_range("2w", today)[0] == dt.date(2026, 3, 18)
    assert parse_day_range("1m", today)[0] == dt.date(2026, 2, 28)
    assert parse_day_range("1y", today)[0] == dt.date(2025, 3, 31)
    assert parse_day_range("2026-02", today) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert parse_day_range("2025", today) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    for bad in ("2026-13", "99999999d", "9999999m", "soon"):
        with pytest.raises(DateError):
            parse_day_range(bad, today)


def test_moments_people_type(time_zone: Callable[[str], None]) -> None:
    time_zone("Etc/GMT-1")  # one hour east of Greenwich all year (POSIX turns the sign round)
    zone = dt.timezone(dt.timedelta(hours=1))
    now = dt.datetime(2026, 11, 26, 14, 0, tzinfo=zone)
    cases = {
        "yesterday 15:10": dt.datetime(2026, 11, 25, 15, 10, tzinfo=zone),
        "9:05": dt.datetime(2026, 11, 26, 9, 5, tzinfo=zone),
        "2h ago": dt.datetime(2026, 11, 26, 12, 0, tzinfo=zone),
        "30m ago": dt.datetime(2026, 11, 26, 13, 30, tzinfo=zone),
        "2026-11-25 15:10": dt.datetime(2026, 11, 25, 15, 10, tzinfo=zone),
        "2026-11-25T08:30": dt.datetime(2026, 11, 25, 8, 30, tzinfo=zone),
        # as people say it (26 November 2026 is a Thursday)
        "2 hours ago": dt.datetime(2026, 11, 26, 12, 0, tzinfo=zone),
        "45 min ago": dt.datetime(2026, 11, 26, 13, 15, tzinfo=zone),
        "3 days ago": dt.datetime(2026, 11, 23, 14, 0, tzinfo=zone),
        "1 week ago": dt.datetime(2026, 11, 19, 14, 0, tzinfo=zone),
        "10am": dt.datetime(2026, 11, 26, 10, 0, tzinfo=zone),
        "9:30 AM": dt.datetime(2026, 11, 26, 9, 30, tzinfo=zone),
        "12am": dt.datetime(2026, 11, 26, 0, 0, tzinfo=zone),
        "noon": dt.datetime(2026, 11, 26, 12, 0, tzinfo=zone),
        "yesterday 3pm": dt.datetime(2026, 11, 25, 15, 0, tzinfo=zone),
        "Yesterday 3 pm": dt.datetime(2026, 11, 25, 15, 0, tzinfo=zone),
        "monday 10:00": dt.datetime(2026, 11, 23, 10, 0, tzinfo=zone),
        "last fri 5pm": dt.datetime(2026, 11, 20, 17, 0, tzinfo=zone),
        "thursday 9:00": dt.datetime(2026, 11, 26, 9, 0, tzinfo=zone),  # today, earlier
        "thursday 15:00": dt.datetime(2026, 11, 19, 15, 0, tzinfo=zone),  # later: a week ago
    }
    for text, expected in cases.items():
        assert parse_moment(text, now) == expected, text
    for bad in ("15:10", "3pm", "tomorrow", "25:00", "13pm", "0am", "10", "2 eons ago", "soon"):
        with pytest.raises(DateError):
            parse_moment(bad, now)


BERLIN_NOW = "2026-11-26T14:00:00+01:00"


def test_a_moment_has_the_offset_in_force_then(time_zone: Callable[[str], None]) -> None:
    time_zone("Europe/Berlin")
    now = dt.datetime.fromisoformat(BERLIN_NOW)
    summer = parse_moment("2026-07-01 15:10", now)
    assert summer.isoformat() == "2026-07-01T15:10:00+02:00"
    assert parse_moment("2026-01-15 15:10", now).isoformat() == "2026-01-15T15:10:00+01:00"
    months_ago = parse_moment("150d ago", now)  # counted back in time, shown in summer time
    assert months_ago.isoformat() == "2026-06-29T15:00:00+02:00"
    assert parse_moment("2026-10-25 02:30+01:00", now).isoformat() == "2026-10-25T02:30:00+01:00"


def test_a_time_the_clocks_skipped_or_showed_twice_is_explained(
    time_zone: Callable[[str], None],
) -> None:
    time_zone("Europe/Berlin")
    now = dt.datetime.fromisoformat(BERLIN_NOW)
    with pytest.raises(DateError, match=r"jumped over 02:30 on 2026-03-29"):
        parse_moment("2026-03-29 02:30", now)
    with pytest.raises(DateError) as twice:
        parse_moment("2026-10-25 02:30", now)
    assert str(twice.value) == (
        "'2026-10-25 02:30': the clocks here showed 02:30 on 2026-10-25 twice; say which with "
        "its offset, '2026-10-25 02:30+02:00' or '2026-10-25 02:30+01:00'."
    )


@pytest.mark.parametrize("zone", ["UTC+99999", "<+9999>-9999"])
def test_a_time_zone_python_cannot_use_is_one_sentence(
    time_zone: Callable[[str], None], zone: str
) -> None:
    from servicecoach.dates import local_now

    time_zone(zone)
    with pytest.raises(DateError, match=r"The time zone in \$TZ \('.*'\) cannot be used"):
        local_now()


def test_a_number_too_long_to_mean_anything_is_a_sentence() -> None:
    now = dt.datetime(2026, 11, 26, 14, 0, tzinfo=dt.UTC)
    for text in ("1" * 5000 + "d", "1" * 5000 + " min ago"):
        with pytest.raises(DateError):
            parse_day_range(text, now.date()) if text.endswith("d") else parse_moment(text, now)


def test_when_a_promise_is_due_as_people_say_it(time_zone: Callable[[str], None]) -> None:
    time_zone("Etc/GMT-1")
    zone = dt.timezone(dt.timedelta(hours=1))
    now = dt.datetime(2026, 11, 26, 14, 0, tzinfo=zone)  # a Thursday

    def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(2026, 11, day, hour, minute, tzinfo=zone)

    cases = {
        "tomorrow 10am": at(27, 10),
        "friday": at(27, 23, 59),  # by the end of that day
        "friday 3pm": at(27, 15),
        "by Monday 9:00": at(30, 9),
        "thursday": at(26, 23, 59),  # today, later
        "thursday 9:00": dt.datetime(2026, 12, 3, 9, 0, tzinfo=zone),  # earlier: next week
        "15:00": at(26, 15),
        "13:00": at(27, 13),  # passed today: tomorrow
        "in 2 hours": at(26, 16),
        "2h": at(26, 16),
        "2d": at(28, 14),
        "in 3 days": at(29, 14),
        "2026-11-30 10:00": at(30, 10),
        "2026-11-30": at(30, 23, 59),
        "tonight": at(26, 23, 59),
    }
    for text, expected in cases.items():
        assert parse_due(text, now) == expected, text
    for bad in ("yesterday", "2026-11-01", "10", "soon", "2 eons"):
        with pytest.raises(DateError):
            parse_due(bad, now)


def test_a_due_time_has_the_offset_in_force_then(time_zone: Callable[[str], None]) -> None:
    time_zone("Europe/Berlin")
    now = dt.datetime.fromisoformat("2026-10-24T14:00:00+02:00")  # the day before the change
    assert parse_due("tomorrow 10am", now).isoformat() == "2026-10-25T10:00:00+01:00"
    assert parse_due("in 24 hours", now).isoformat() == "2026-10-25T13:00:00+01:00"
    with pytest.raises(DateError, match="showed 02:30 on 2026-10-25 twice"):
        parse_due("tomorrow 2:30", now)
