"""Dates and times as people type them: day ranges for filters, moments for --at."""

from __future__ import annotations

import datetime as dt

import pytest

from servicecoach.dates import parse_day_range, parse_moment, until_day
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


def test_moments_people_type() -> None:
    zone = dt.timezone(dt.timedelta(hours=1))
    now = dt.datetime(2026, 11, 26, 14, 0, tzinfo=zone)
    cases = {
        "yesterday 15:10": dt.datetime(2026, 11, 25, 15, 10, tzinfo=zone),
        "9:05": dt.datetime(2026, 11, 26, 9, 5, tzinfo=zone),
        "2h ago": dt.datetime(2026, 11, 26, 12, 0, tzinfo=zone),
        "30m ago": dt.datetime(2026, 11, 26, 13, 30, tzinfo=zone),
        "2026-11-25 15:10": dt.datetime(2026, 11, 25, 15, 10, tzinfo=zone),
        "2026-11-25T08:30": dt.datetime(2026, 11, 25, 8, 30, tzinfo=zone),
    }
    for text, expected in cases.items():
        assert parse_moment(text, now) == expected, text
    for bad in ("15:10", "tomorrow", "25:00", "soon"):  # 15:10 is later today: the future
        with pytest.raises(DateError):
            parse_moment(bad, now)
