"""Dates as people type them: `today`, `yesterday`, `7d`, `2w`, `3m`, `2026-11`, `2026-11-26`."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re

from servicecoach.errors import DateError

_RELATIVE = re.compile(r"^(\d{1,9})\s*([dwmy])$")


def _shift_months(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def _ago(count: int, unit: str, today: dt.date) -> dt.date:
    """The first day of the last `count` days (`7d` is today and the six days before it),
    weeks, months or years."""
    try:
        if unit == "d":
            return today - dt.timedelta(days=max(count - 1, 0))
        if unit == "w":
            return today - dt.timedelta(days=max(7 * count - 1, 0))
        return _shift_months(today, count if unit == "m" else 12 * count)
    except (OverflowError, ValueError):
        raise DateError(f"'{count}{unit}' reaches before the year 1.") from None


def parse_day_range(text: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day that `text` names (a single day is both)."""
    word = text.strip().lower()
    if word == "today":
        return today, today
    if word == "yesterday":
        day = today - dt.timedelta(days=1)
        return day, day
    if word in ("week", "this week"):
        start = today - dt.timedelta(days=today.weekday())
        return start, today
    if word in ("month", "this month"):
        return today.replace(day=1), today
    relative = _RELATIVE.match(word)
    if relative:
        start = _ago(int(relative[1]), relative[2], today)
        return start, today
    try:
        if re.fullmatch(r"\d{4}", word):
            year = int(word)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if re.fullmatch(r"\d{4}-\d{1,2}", word):
            year, month = map(int, word.split("-"))
            return dt.date(year, month, 1), dt.date(
                year, month, calendar.monthrange(year, month)[1]
            )
        day = dt.date.fromisoformat(word)
        return day, day
    except ValueError:
        pass
    raise DateError(
        f"'{text}' is not a date; use e.g. 2026-11-26, 2026-11, 2026, today, yesterday, "
        "7d, 2w, 3m or 1y."
    )


def since_day(text: str, today: dt.date) -> dt.date:
    return parse_day_range(text, today)[0]


def until_day(text: str, today: dt.date) -> dt.date:
    """The last day `text` names; for `7d`, `2w`, ... the day before that period began, so
    that `--until 7d` and `--since 7d` split the journal between them."""
    first, last = parse_day_range(text, today)
    if _RELATIVE.match(text.strip().lower()):
        return first - dt.timedelta(days=1)
    return last


_AGO = re.compile(r"^(\d{1,9})\s*([a-z]+)\s+ago$")
_MINUTES = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 1),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 60),
    **dict.fromkeys(("d", "day", "days"), 1440),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 10080),
}
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$")
_WEEKDAYS = {
    name: number
    for number, day in enumerate(calendar.day_name)
    for name in (day.lower(), day.lower()[:3], day.lower()[:4])
}


def local(moment: dt.datetime) -> dt.datetime:
    """`moment` in the local time zone (a time without a zone is taken as local); a sentence
    when the zone in $TZ is one Python cannot use."""
    try:
        return moment.astimezone()
    except (ValueError, OverflowError, OSError):
        zone = os.environ.get("TZ")
        named = f"in $TZ ('{zone}') " if zone else ""
        raise DateError(
            f"The time zone {named}cannot be used; set TZ to one such as Europe/Berlin, "
            "or unset it."
        ) from None


def local_now() -> dt.datetime:
    return local(dt.datetime.now())


def wall_clock(naive: dt.datetime, text: str) -> dt.datetime:
    """A clock time here, with the offset in force at that moment (summer or winter time); a
    sentence for a time the clocks jumped over, or one they showed twice."""
    first, second = local(naive.replace(fold=0)), local(naive.replace(fold=1))
    shown = f"{naive:%H:%M} on {naive.date().isoformat()}"
    if naive not in (first.replace(tzinfo=None), second.replace(tzinfo=None)):
        raise DateError(
            f"'{text}': the clocks here jumped over {shown}; give a time outside the jump."
        )
    if first.utcoffset() != second.utcoffset():
        at = f"{naive.date().isoformat()} {naive:%H:%M}"
        raise DateError(
            f"'{text}': the clocks here showed {shown} twice; say which with its offset, "
            f"'{at}{_offset(first)}' or '{at}{_offset(second)}'."
        )
    return first


def _offset(moment: dt.datetime) -> str:
    return moment.isoformat()[-6:]


def _read(text: str) -> tuple[str, dt.datetime | None]:
    """Typed time words, one space apart, lower case, `3 pm` as `3pm`; and the ISO time the
    text is, if it is one."""
    word = re.sub(r"(\d)\s+(am|pm)\b", r"\1\2", " ".join(text.strip().lower().split()))
    try:
        return word, dt.datetime.fromisoformat(" ".join(text.split()))
    except ValueError:
        return word, None


def parse_moment(text: str, now: dt.datetime) -> dt.datetime:
    """When an interaction happened, as people say it: `yesterday 15:10`, `yesterday 3pm`,
    `15:10` or `10am` (today), `monday 10:00` (the last Monday), `2h ago`, `2 hours ago`,
    `30 min ago`, `3 days ago`, `2026-11-25 15:10`, `2026-11-25`, or with an offset
    `2026-10-25 02:30+01:00`. Local time, with the offset in force at that moment; not later
    than `now`."""
    word, iso = _read(text)
    moment: dt.datetime | None = None
    ago = _AGO.match(word)
    if iso is not None:
        moment = iso if iso.tzinfo is not None else wall_clock(iso, text)
    elif ago and ago[2] in _MINUTES:
        minutes = _MINUTES[ago[2]] * int(ago[1])
        try:
            moment = local(now - dt.timedelta(minutes=minutes))  # the offset in force then
        except OverflowError:
            raise DateError(f"'{text}' reaches before the year 1.") from None
    else:
        moment = _day_and_clock(word.removeprefix("last "), now, text)
    if moment is None:
        raise DateError(
            f"'{text}' is not a time; use e.g. 'yesterday 15:10', '10am', 'monday 9:30', "
            "'2 hours ago', '2026-11-25 15:10'."
        )
    if moment > now:
        raise DateError(f"'{text}' is in the future; --at says when the interaction happened.")
    return moment


_IN = re.compile(r"^(?:in\s+)?(\d{1,4})\s*([a-z]+)$")
END_OF_DAY = dt.time(23, 59)
"""The time of a promise due on a day without a time: by the end of that day."""


def parse_due(text: str, now: dt.datetime, *, past: bool = False) -> dt.datetime:
    """When a promise is due, as people say it: `tomorrow 10am`, `friday` (by the end of the
    next Friday), `friday 3pm`, `15:00` (today, or tomorrow if that has passed), `in 2 hours`,
    `2h`, `2d`, `in 3 days`, `2026-11-30 10:00`, `2026-11-30`. Local time, with the offset in
    force at that moment; not earlier than `now` (unless `past`: a promise written up later,
    counted from the interaction, may be due already)."""
    word, iso = _read(text)
    word = word.removeprefix("by ").removeprefix("next ").removeprefix("on ")
    moment: dt.datetime | None = None
    within = _IN.match(word)
    if iso is not None:
        if iso.tzinfo is not None:
            moment = iso
        elif len(text.strip()) == 10:  # a day alone: by the end of it
            moment = wall_clock(dt.datetime.combine(iso.date(), END_OF_DAY), text)
        else:
            moment = wall_clock(iso, text)
    elif within and within[2] in _MINUTES:
        minutes = _MINUTES[within[2]] * int(within[1])
        try:
            moment = local(now + dt.timedelta(minutes=minutes))  # the offset in force then
        except OverflowError:
            raise DateError(f"'{text}' reaches past the year 9999.") from None
    else:
        moment = _coming_day_and_clock(word, now, text)
    if moment is None:
        raise DateError(
            f"'{text}' is not a time; use e.g. 'tomorrow 10am', 'friday', 'friday 3pm', "
            "'in 2 hours', '2d', '2026-11-30 10:00'."
        )
    if moment < now and not past:
        raise DateError(f"'{text}' has passed already; a promise is due later than now.")
    if not 1900 <= moment.year <= 9998:
        raise DateError(f"'{text}' is too far off for a promise.")
    return moment


def _coming_day_and_clock(word: str, now: dt.datetime, text: str) -> dt.datetime | None:
    """`[today|tomorrow|WEEKDAY] [CLOCK]`, either part alone, looking ahead: a clock alone is
    today, or tomorrow once it has passed; a weekday is the next one whose moment is not
    earlier than `now`; a day without a clock ends at END_OF_DAY."""
    day_word, _, clock_word = word.partition(" ")
    if not clock_word and _clock(day_word) is not None:
        clock = _clock(day_word)
        assert clock is not None
        moment = wall_clock(dt.datetime.combine(now.date(), dt.time(*clock)), text)
        if moment < now:
            tomorrow = now.date() + dt.timedelta(days=1)
            moment = wall_clock(dt.datetime.combine(tomorrow, dt.time(*clock)), text)
        return moment
    clock = _clock(clock_word) if clock_word else (END_OF_DAY.hour, END_OF_DAY.minute)
    if clock is None:
        return None
    today = now.date()
    if day_word in ("today", "tomorrow", "tonight"):
        day = today + dt.timedelta(days=1 if day_word == "tomorrow" else 0)
        return wall_clock(dt.datetime.combine(day, dt.time(*clock)), text)
    if day_word in _WEEKDAYS:
        day = today + dt.timedelta(days=(_WEEKDAYS[day_word] - today.weekday()) % 7)
        moment = wall_clock(dt.datetime.combine(day, dt.time(*clock)), text)
        if moment < now:  # earlier today: the same weekday next week
            moment = wall_clock(
                dt.datetime.combine(day + dt.timedelta(days=7), dt.time(*clock)), text
            )
        return moment
    return None


def _day_and_clock(word: str, now: dt.datetime, text: str) -> dt.datetime | None:
    """`[today|yesterday|WEEKDAY] [CLOCK]`, either part alone; None if it is not that. A
    weekday is the last one whose moment is not later than `now`."""
    day_word, _, clock_word = word.partition(" ")
    if not clock_word and _clock(day_word) is not None:
        day_word, clock_word = "today", day_word
    clock = _clock(clock_word) if clock_word else (0, 0)
    if clock is None:
        return None
    today = now.date()
    if day_word in ("today", "yesterday"):
        day = today - dt.timedelta(days=1 if day_word == "yesterday" else 0)
        return wall_clock(dt.datetime.combine(day, dt.time(*clock)), text)
    if day_word in _WEEKDAYS:
        day = today - dt.timedelta(days=(today.weekday() - _WEEKDAYS[day_word]) % 7)
        moment = wall_clock(dt.datetime.combine(day, dt.time(*clock)), text)
        if moment > now:  # later today: the same weekday a week ago
            moment = wall_clock(
                dt.datetime.combine(day - dt.timedelta(days=7), dt.time(*clock)), text
            )
        return moment
    return None


def _clock(word: str) -> tuple[int, int] | None:
    """(hour, minute) of `15:10`, `9.05`, `10am`, `3:15pm`, `12am` (midnight), `noon`,
    `midnight`; None if it is none of these (a bare `10` is too vague)."""
    if word in ("noon", "midday"):
        return 12, 0
    if word == "midnight":
        return 0, 0
    match = _CLOCK.match(word)
    if not match or (match[2] is None and match[3] is None):
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if match[3]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match[3] == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return hour, minute
