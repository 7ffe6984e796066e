"""Journal statistics, computed from the index's columns (never from every file's body)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections import Counter
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from servicecoach.errors import CoachError
from servicecoach.journal.index import Filters, JournalIndex

if TYPE_CHECKING:
    from servicecoach.playbooks.catalog import Catalog

DAILY = "daily"
WEEKS = 12
RECENT = 10


class Week(BaseModel):
    start: dt.date
    count: int


class Trend(BaseModel):
    playbook: str
    rated: int
    average: float
    recent: list[int] = Field(description="The last ratings, oldest first.")
    change: float | None = Field(
        None, description="Average of the last five ratings minus the five before them."
    )


class Skips(BaseModel):
    playbook: str
    step: str
    title: str | None = Field(None, description="The step's title, where the playbook is known.")
    skipped: int
    of_last: int


class Streak(BaseModel):
    current: int
    longest: int
    last_day: dt.date | None


class Stats(BaseModel):
    total: int
    weeks: list[Week]
    by_playbook: dict[str, int]
    by_mode: dict[str, int]
    by_audience: dict[str, int]
    by_outcome: dict[str, int]
    trends: list[Trend]
    skipped: list[Skips]
    daily_streak: Streak


def weekly(days: list[tuple[str, int]], today: dt.date, weeks: int = WEEKS) -> list[Week]:
    """Reflections per week (weeks start on Monday) for the last `weeks` weeks."""
    this_monday = today - dt.timedelta(days=today.weekday())
    starts = [this_monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    counts: Counter[dt.date] = Counter()
    for day_text, count in days:
        day = dt.date.fromisoformat(day_text)
        counts[day - dt.timedelta(days=day.weekday())] += count
    return [Week(start=start, count=counts[start]) for start in starts]


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


def compute(index: JournalIndex, filters: Filters, today: dt.date) -> Stats:
    """Everything with SQL over the cache's columns: memory does not grow with the journal."""
    daily = (
        dataclasses.replace(filters, playbook=DAILY) if filters.playbook in (None, DAILY) else None
    )
    return Stats(
        total=index.count(filters),
        weeks=weekly(index.days(filters), today),
        by_playbook=dict(index.grouped("playbook", filters)),
        by_mode=dict(index.grouped("mode", filters)),
        by_audience=dict(index.grouped("audience", filters)),
        by_outcome=dict(index.grouped("outcome", filters)),
        trends=trends(index.rating_summary(filters), index.recent("rating", filters, RECENT)),
        skipped=most_skipped(index.recent("skipped", filters, RECENT)),
        daily_streak=streak([day for day, _ in index.days(daily)] if daily else [], today),
    )


def name_skipped_steps(stats: Stats, catalog: Catalog) -> None:
    """Give skipped steps their titles from the playbooks, where those still load."""
    titles: dict[str, dict[str, str]] = {}
    for skip in stats.skipped:
        if skip.playbook not in titles:
            try:
                playbook = catalog.load(skip.playbook)
                titles[skip.playbook] = {
                    q.id: getattr(q, "title", q.id) for q in playbook.questions()
                }
            except CoachError:
                titles[skip.playbook] = {}
        skip.title = titles[skip.playbook].get(skip.step)
