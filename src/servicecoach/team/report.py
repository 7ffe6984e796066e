"""What a lead reads from the team's shares: per playbook and per version, per week, per author
(a count, never a ranking), and whether one version of a playbook does better than another,
with its uncertainty: below MIN_EACH reflections a version is "not enough data", never a bare
percentage from five calls.

The intervals are 95 %: for the difference in resolved rate, Newcombe's hybrid score interval
(from two Wilson intervals), which stays honest near 0 % and 100 %; for the difference in mean
self-rating, Welch's interval, its t quantile from a Cornish-Fisher expansion of the normal's.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from servicecoach.team.shares import Share

Z = 1.959963984540054
"""The normal quantile of a two-sided 95 % interval."""
MIN_EACH = 20
"""Reflections each version needs before two versions are compared."""


@dataclass
class Tally:
    """Counts for one group of shares (a playbook, a version of it, everything)."""

    reflections: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    rated: int = 0
    rating_sum: float = 0.0
    rating_squares: float = 0.0
    skipped: Counter[str] = field(default_factory=Counter)
    step_ratings: dict[str, list[int]] = field(default_factory=dict)
    """Per step: [how many ratings, their sum]."""
    promises: list[int] = field(default_factory=lambda: [0, 0, 0])
    """Follow-ups open, done, dropped."""

    def merge(self, other: Tally) -> None:
        """Add another group's counts to these."""
        self.reflections += other.reflections
        self.outcomes.update(other.outcomes)
        self.rated += other.rated
        self.rating_sum += other.rating_sum
        self.rating_squares += other.rating_squares
        self.skipped.update(other.skipped)
        for step, (count, total) in other.step_ratings.items():
            mine = self.step_ratings.setdefault(step, [0, 0])
            mine[0] += count
            mine[1] += total
        for index, count in enumerate(other.promises):
            self.promises[index] += count

    def add(self, share: Share) -> None:
        self.reflections += 1
        self.outcomes[share.outcome or "(none)"] += 1
        if share.rating is not None:
            self.rated += 1
            self.rating_sum += share.rating
            self.rating_squares += share.rating * share.rating
        for step in share.skipped:
            self.skipped[step] += 1
        for step, rating in share.step_ratings:
            counted = self.step_ratings.get(step)
            if counted is None:
                counted = self.step_ratings[step] = [0, 0]
            counted[0] += 1
            counted[1] += rating
        if share.promises != (0, 0, 0):
            for index, count in enumerate(share.promises):
                self.promises[index] += count

    @property
    def mean_rating(self) -> float | None:
        return self.rating_sum / self.rated if self.rated else None

    @property
    def resolved(self) -> int:
        return self.outcomes["resolved"]

    def as_json(self) -> dict[str, object]:
        mean = self.mean_rating
        return {
            "reflections": self.reflections,
            "outcomes": dict(self.outcomes.most_common()),
            "rated": self.rated,
            "mean_rating": None if mean is None else round(mean, 2),
            "most_skipped": dict(self.skipped.most_common(5)),
            "step_ratings": {
                step: round(total / count, 2)
                for step, (count, total) in sorted(self.step_ratings.items())
            },
            "follow_ups": dict(zip(("open", "done", "dropped"), self.promises, strict=True)),
        }


@dataclass
class Report:
    total: Tally
    playbooks: dict[str, Tally]
    versions: dict[tuple[str, int | None], Tally]
    weeks: dict[dt.date, int]
    authors: dict[str, int]


def build(
    shares: Iterable[Share],
    *,
    since: dt.date | None = None,
    playbook: str | None = None,
    audience: str | None = None,
) -> Report:
    report = Report(Tally(), {}, {}, {}, {})
    weeks: Counter[dt.date] = Counter()
    authors: Counter[str] = Counter()
    for share in shares:
        if since is not None and share.day < since:
            continue
        if playbook is not None and share.playbook != playbook:
            continue
        if audience is not None and share.audience != audience:
            continue
        group = report.versions.get((share.playbook, share.version))
        if group is None:
            group = report.versions[(share.playbook, share.version)] = Tally()
        group.add(share)  # once per share; playbooks and the total are sums of these
        weeks[share.day] += 1
        authors[share.author] += 1
    for (name, _), group in report.versions.items():
        report.playbooks.setdefault(name, Tally()).merge(group)
        report.total.merge(group)
    mondays: Counter[dt.date] = Counter()
    for day, count in weeks.items():
        mondays[day - dt.timedelta(days=day.weekday())] += count
    weeks = mondays
    report.playbooks = dict(sorted(report.playbooks.items()))
    report.versions = dict(
        sorted(report.versions.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0))
    )
    report.weeks = dict(sorted(weeks.items()))
    report.authors = dict(sorted(authors.items()))  # by name: a count, never a ranking
    return report


@dataclass(frozen=True)
class Difference:
    """`later` minus `earlier`, with a 95 % interval; None where there is too little data."""

    estimate: float
    low: float
    high: float


@dataclass(frozen=True)
class Comparison:
    playbook: str
    earlier: int | None
    later: int | None
    counts: tuple[int, int]
    resolved_rate: Difference | None
    mean_rating: Difference | None

    @property
    def enough(self) -> bool:
        return min(self.counts) >= MIN_EACH


def compare_versions(report: Report, playbook: str) -> list[Comparison]:
    """Each version of `playbook` against the one before it."""
    versions = [(v, t) for (p, v), t in report.versions.items() if p == playbook]
    found = []
    for (earlier, before), (later, after) in itertools.pairwise(versions):
        counts = (before.reflections, after.reflections)
        enough = min(counts) >= MIN_EACH
        found.append(
            Comparison(
                playbook=playbook,
                earlier=earlier,
                later=later,
                counts=counts,
                resolved_rate=_proportions(before, after) if enough else None,
                mean_rating=_means(before, after) if enough else None,
            )
        )
    return found


def wilson(successes: int, trials: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion."""
    if trials == 0:
        return 0.0, 1.0
    p = successes / trials
    centre = (p + Z**2 / (2 * trials)) / (1 + Z**2 / trials)
    half = Z * math.sqrt(p * (1 - p) / trials + Z**2 / (4 * trials**2)) / (1 + Z**2 / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


def _proportions(before: Tally, after: Tally) -> Difference:
    """Newcombe's hybrid score interval of p(after) - p(before)."""
    p1, p2 = before.resolved / before.reflections, after.resolved / after.reflections
    l1, u1 = wilson(before.resolved, before.reflections)
    l2, u2 = wilson(after.resolved, after.reflections)
    estimate = p2 - p1
    low = estimate - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = estimate + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return Difference(estimate, low, high)


def _means(before: Tally, after: Tally) -> Difference | None:
    """Welch's interval of mean(after) - mean(before) of the self-ratings."""
    if before.rated < 2 or after.rated < 2:
        return None
    m1, m2 = before.rating_sum / before.rated, after.rating_sum / after.rated
    v1 = (before.rating_squares - before.rated * m1**2) / (before.rated - 1)
    v2 = (after.rating_squares - after.rated * m2**2) / (after.rated - 1)
    a, b = max(v1, 0.0) / before.rated, max(v2, 0.0) / after.rated
    se = math.sqrt(a + b)
    if se == 0:
        return Difference(m2 - m1, m2 - m1, m2 - m1)
    df = (a + b) ** 2 / (a**2 / (before.rated - 1) + b**2 / (after.rated - 1))
    t = _t_quantile(df)
    return Difference(m2 - m1, m2 - m1 - t * se, m2 - m1 + t * se)


def _t_quantile(df: float) -> float:
    """Student's t 97.5 % quantile for `df` degrees of freedom (Cornish-Fisher; within 0.5 %
    of the exact value from 10 degrees of freedom up)."""
    z = Z
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )
