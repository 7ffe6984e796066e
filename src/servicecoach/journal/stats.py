"""Journal statistics, computed from the index's columns (never from every file's body)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from servicecoach.journal.index import Filters, JournalIndex

if TYPE_CHECKING:
    from servicecoach.playbooks.catalog import Catalog

DAILY = "daily"
WEEKS = 12
MAX_WEEKS = 53
"""The weekly chart shows the weeks the filters span (`--since 2w`), else the last WEEKS; a
year of them at most."""
RECENT = 10


@dataclasses.dataclass
class Week:
    start: dt.date
    count: int


@dataclasses.dataclass
class Trend:
    playbook: str
    rated: int
    average: float
    recent: list[int]
    """The last ratings, oldest first."""
    change: float | None = None
    """Average of the last five ratings minus the five before them."""


@dataclasses.dataclass
class Skips:
    playbook: str
    step: str
    title: str | None = None
    """The step's title, where the playbook is known."""
    skipped: int = 0
    of_last: int = 0
    playbook_title: str | None = None


@dataclasses.dataclass
class Kept:
    """How promises went: kept by their due time, kept after it, still open (and of those,
    overdue), dropped."""

    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0
    dropped: int = 0


@dataclasses.dataclass
class PromiseWeek:
    start: dt.date
    """The Monday of the week the promises were due."""
    kept: Kept


@dataclasses.dataclass
class Streak:
    current: int
    longest: int
    last_day: dt.date | None


@dataclasses.dataclass
class Stats:
    total: int
    weeks: list[Week]
    by_playbook: dict[str, int]
    by_mode: dict[str, int]
    by_audience: dict[str, int]
    by_outcome: dict[str, int]
    trends: list[Trend]
    skipped: list[Skips]
    daily_streak: Streak
    promises: Kept = dataclasses.field(default_factory=Kept)
    promises_by_playbook: dict[str, Kept] = dataclasses.field(default_factory=dict)
    promises_by_week: list[PromiseWeek] = dataclasses.field(default_factory=list)

    def to_json(self) -> str:
        """`journal stats --json`: every field, indented by two, dates in ISO form."""
        return json.dumps(
            dataclasses.asdict(self), indent=2, ensure_ascii=False, default=dt.date.isoformat
        )


def week_starts(today: dt.date, weeks: int = WEEKS) -> list[dt.date]:
    """The Mondays that start the last `weeks` weeks, oldest first."""
    this_monday = today - dt.timedelta(days=today.weekday())
    return [this_monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def charted(filters: Filters, today: dt.date) -> tuple[dt.date, int]:
    """The last day the weekly chart shows, and how many weeks."""
    last = min(filters.until or today, today)
    if filters.since is None:
        return last, WEEKS
    weeks = ((last - filters.since).days + filters.since.weekday()) // 7 + 1
    return last, max(1, min(MAX_WEEKS, weeks))


def weekly(days: list[tuple[str, int]], today: dt.date, weeks: int = WEEKS) -> list[Week]:
    """Reflections per week (weeks start on Monday) for the last `weeks` weeks."""
    starts = week_starts(today, weeks)
    counts: Counter[dt.date] = Counter()
    for day_text, count in days:
        day = dt.date.fromisoformat(day_text)
        counts[day - dt.timedelta(days=day.weekday())] += count
    return [Week(start=start, count=counts[start]) for start in starts]


def tallies(breakdown: list[tuple[Any, ...]]) -> dict[str, dict[str, int]]:
    """Counts by playbook, mode, audience and outcome (`(none)` where there is none), the most
    frequent first, then by name."""
    result = {}
    for column, name in enumerate(("playbook", "mode", "audience", "outcome")):
        counts: Counter[str] = Counter()
        for row in breakdown:
            counts["(none)" if row[column] is None else row[column]] += row[4]
        result[name] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return result


def ratings(breakdown: list[tuple[Any, ...]]) -> list[tuple[str, int, float]]:
    """(playbook, how many rated, average rating) for every playbook with a rating."""
    rated: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for playbook, _, _, _, _, count, summed in breakdown:
        rated[playbook] += count
        total[playbook] += summed
    return [(p, rated[p], total[p] / rated[p]) for p in sorted(rated) if rated[p]]


def trends(summary: list[tuple[str, int, float]], recent: dict[str, list[int]]) -> list[Trend]:
    """Per playbook: how many reflections were rated, the average, the last ratings, and the
    change from the five before the last five to the last five."""
    result = []
    for playbook, rated, average in summary:
        values = recent.get(playbook, [])
        change = None
        if len(values) >= 10:
            change = round(sum(values[-5:]) / 5 - sum(values[-10:-5]) / 5, 2)
        result.append(
            Trend(
                playbook=playbook,
                rated=rated,
                average=round(average, 2),
                recent=values,
                change=change,
            )
        )
    return result


def most_skipped(recent: dict[str, list[str | None]]) -> list[Skips]:
    """Per playbook, the step skipped most often in its last reflections."""
    result = []
    for playbook, history in sorted(recent.items()):
        counts = Counter(step for skipped in history for step in (skipped or "").split("|") if step)
        if counts:
            step, times = max(counts.items(), key=lambda item: (item[1], item[0]))
            result.append(Skips(playbook=playbook, step=step, skipped=times, of_last=len(history)))
    return sorted(result, key=lambda s: (-s.skipped / s.of_last, s.playbook))


def streak(days: list[str], today: dt.date) -> Streak:
    """Consecutive days with a daily reflection: the run ending today (or yesterday, since
    today's may not be written yet), and the longest run ever."""
    unique = sorted({dt.date.fromisoformat(day) for day in days})
    if not unique:
        return Streak(current=0, longest=0, last_day=None)
    longest = run = 1
    for previous, day in itertools.pairwise(unique):
        run = run + 1 if (day - previous).days == 1 else 1
        longest = max(longest, run)
    current = 0
    if (today - unique[-1]).days <= 1:
        current = 1
        for previous, day in itertools.pairwise(reversed(unique)):
            if (previous - day).days != 1:
                break
            current += 1
    return Streak(current=current, longest=longest, last_day=unique[-1])


def kept(
    facts: list[tuple[str, float | None, str, float | None]], now: float, starts: list[dt.date]
) -> tuple[Kept, dict[str, Kept], list[PromiseWeek]]:
    """Promises counted in all, per playbook, and per week they were due (the weeks
    `starts` begin)."""
    total, by_playbook = Kept(), {}
    weeks = {start: Kept() for start in starts}
    for playbook, due, status, done in facts:
        if status == "dropped":
            field = "dropped"
        elif status == "done":
            field = "late" if due is not None and done is not None and done > due else "on_time"
        else:
            field = "open"
        counted = [total, by_playbook.setdefault(playbook, Kept())]
        if due is not None:
            try:
                day = dt.date.fromtimestamp(due)
            except (ValueError, OverflowError, OSError):
                day = None
            week = weeks.get(day - dt.timedelta(days=day.weekday())) if day else None
            counted += [week] if week is not None else []
        for tally in counted:
            setattr(tally, field, getattr(tally, field) + 1)
            if field == "open" and due is not None and due < now:
                tally.overdue += 1
    ordered = dict(sorted(by_playbook.items()))
    return total, ordered, [PromiseWeek(start, weeks[start]) for start in starts]


def compute(index: JournalIndex, filters: Filters, today: dt.date) -> Stats:
    """Everything with SQL over the cache's columns, each row read once or through an index:
    memory does not grow with the journal."""
    daily = (
        dataclasses.replace(filters, playbook=DAILY) if filters.playbook in (None, DAILY) else None
    )
    breakdown = index.breakdown(filters)
    counts = tallies(breakdown)
    last, weeks = charted(filters, today)
    playbooks = list(counts["playbook"])
    starts = week_starts(last, weeks)
    now = dt.datetime.now().timestamp()
    promised, per_playbook, per_week = kept(index.promise_facts(filters), now, starts)
    return Stats(
        total=sum(row[4] for row in breakdown),
        weeks=weekly(index.days(filters, since=starts[0]), last, weeks),
        by_playbook=counts["playbook"],
        by_mode=counts["mode"],
        by_audience=counts["audience"],
        by_outcome=counts["outcome"],
        trends=trends(ratings(breakdown), index.recent("rating", filters, RECENT, playbooks)),
        skipped=most_skipped(index.recent("skipped", filters, RECENT, playbooks)),
        daily_streak=streak([day for day, _ in index.days(daily)] if daily else [], today),
        promises=promised,
        promises_by_playbook=per_playbook,
        promises_by_week=[week for week in per_week if dataclasses.astuple(week.kept) != (0,) * 5],
    )


def name_skipped_steps(stats: Stats, catalog: Catalog) -> None:
    """Give skipped steps their titles from the playbooks, where those still load."""
    for skip in stats.skipped:
        skip.title = catalog.question_titles(skip.playbook).get(skip.step)
        skip.playbook_title = catalog.title(skip.playbook)
