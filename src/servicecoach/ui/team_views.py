"""`coach team report` and `coach team check` on screen, as JSON and as markdown for a lead's
update: the same lines, headings marked for markdown."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from servicecoach.team.report import MIN_EACH, Comparison, Difference, Report, Tally
from servicecoach.text import json_safe, visible
from servicecoach.ui import console


def show_report(
    report: Report,
    comparisons: list[Comparison],
    titles: Callable[[str], dict[str, str]],
    fmt: str,
    skipped: int,
) -> None:
    if fmt == "json":
        console.data(json_safe(json.dumps(_record(report, comparisons), ensure_ascii=False)) + "\n")
    else:
        for line in report_lines(report, comparisons, titles, markdown=fmt == "markdown"):
            console.line(line)
    if skipped:
        console.warn(f"{skipped} share file(s) skipped: run coach team check")


def report_lines(
    report: Report,
    comparisons: list[Comparison],
    titles: Callable[[str], dict[str, str]],
    *,
    markdown: bool = False,
) -> list[str]:
    head = "## " if markdown else ""
    lines = [("# " if markdown else "") + f"Team report: {report.total.reflections} shared"]
    if not report.total.reflections:
        return [*lines, "No shares match."]
    for playbook, tally in report.playbooks.items():
        lines += ["", f"{head}{playbook}", *_tally_lines(tally, titles(playbook))]
        versions = [(v, t) for (p, v), t in report.versions.items() if p == playbook]
        if len(versions) > 1:
            for version, by_version in versions:
                lines.append(f"  version {version}: " + _summary(by_version))
    if comparisons:
        lines += ["", f"{head}Version against version (95% intervals)"]
        lines += [_comparison(c) for c in comparisons]
    lines += ["", f"{head}Per week"]
    lines += [f"  {week.isoformat()}: {count}" for week, count in report.weeks.items()]
    lines += ["", f"{head}Per author (shares, not a ranking)"]
    lines += [f"  {visible(author)}: {count}" for author, count in report.authors.items()]
    return lines


def _summary(tally: Tally) -> str:
    mean = tally.mean_rating
    outcomes = ", ".join(f"{visible(k)} {v}" for k, v in tally.outcomes.most_common())
    rating = "no self-ratings" if mean is None else f"mean self-rating {mean:.1f} ({tally.rated})"
    return f"{tally.reflections} reflections; {outcomes}; {rating}"


def _tally_lines(tally: Tally, names: dict[str, str]) -> list[str]:
    lines = [f"  {_summary(tally)}"]
    if tally.skipped:
        skipped = ", ".join(
            f"{visible(names.get(step, step))} {times}x"
            for step, times in tally.skipped.most_common(3)
        )
        lines.append(f"  most skipped: {skipped}")
    if tally.step_ratings:
        rated = ", ".join(
            f"{visible(names.get(step, step))} {total / count:.1f}"
            for step, (count, total) in sorted(tally.step_ratings.items())
        )
        lines.append(f"  step ratings: {rated}")
    open_, done, dropped = tally.promises
    if open_ or done or dropped:
        lines.append(f"  promises: {done} kept, {open_} open, {dropped} dropped")
    return lines


def _comparison(c: Comparison) -> str:
    name = f"  {visible(c.playbook)} v{c.earlier} -> v{c.later} ({c.counts[0]} and {c.counts[1]})"
    if not c.enough:
        return f"{name}: not enough data (at least {MIN_EACH} reflections in each version)"
    parts = []
    if c.resolved_rate is not None:
        parts.append("resolved rate " + _points(c.resolved_rate, percent=True))
    if c.mean_rating is not None:
        parts.append("mean self-rating " + _points(c.mean_rating, percent=False))
    return f"{name}: " + "; ".join(parts)


def _points(d: Difference, *, percent: bool) -> str:
    scale, unit = (100, " points") if percent else (1, "")
    verdict = "" if d.low <= 0 <= d.high else (" (better)" if d.low > 0 else " (worse)")
    return f"{d.estimate * scale:+.1f}{unit} [{d.low * scale:+.1f}, {d.high * scale:+.1f}]{verdict}"


def _record(report: Report, comparisons: list[Comparison]) -> dict[str, object]:
    def difference(d: Difference | None) -> dict[str, float] | None:
        if d is None:
            return None
        return {"estimate": round(d.estimate, 4), "low": round(d.low, 4), "high": round(d.high, 4)}

    return {
        "total": report.total.as_json(),
        "playbooks": {name: tally.as_json() for name, tally in report.playbooks.items()},
        "versions": [
            {"playbook": p, "version": v, **t.as_json()} for (p, v), t in report.versions.items()
        ],
        "comparisons": [
            {
                "playbook": c.playbook,
                "earlier": c.earlier,
                "later": c.later,
                "counts": list(c.counts),
                "enough_data": c.enough,
                "resolved_rate": difference(c.resolved_rate),
                "mean_rating": difference(c.mean_rating),
            }
            for c in comparisons
        ],
        "weeks": {week.isoformat(): count for week, count in report.weeks.items()},
        "authors": report.authors,
    }


def show_check(problems: list[tuple[Path, str]], readable: int) -> bool:
    for path, why in problems:
        console.line(f"{path}: {why}")
    if problems:
        console.line(f"{len(problems)} of {readable + len(problems)} files are not share files.")
        return False
    console.line(f"All {readable} share files are readable." if readable else "No share files.")
    return True
