"""`coach team report` and `coach team check` over a generated team folder: counts that match
a hand count, versions compared with their uncertainty, malformed files skipped and named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from servicecoach.team.cache import TeamCache
from servicecoach.team.report import Tally, wilson

from ..conftest import coach


def _share(folder: Path, author: str, n: int, **fields: object) -> None:
    record = {
        "format": 1, "author": author, "session": f"s{n}", "playbook": "apology",
        "playbook_version": 1, "playbook_hash": "x", "mode": "live", "audience": "customer",
        "date": "2026-11-02", "duration_s": 60, "outcome": "resolved", "rating": 4,
        "tags": [], "skipped": [], "steps": {"regret": {"status": "done"}}, "wrap_up": {},
        "follow_ups": {"open": 0, "done": 0, "dropped": 0},
    }  # fmt: skip
    record.update(fields)
    path = folder / author / "2026-11" / f"{n}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record))


def test_counts_match_a_hand_count(tmp_path: Path) -> None:
    team = tmp_path / "team"
    _share(team, "ann", 1, outcome="resolved", rating=5, skipped=["repentance"],
           steps={"regret": {"status": "done", "rating": 4}})  # fmt: skip
    _share(team, "ann", 2, outcome="escalated", rating=3, date="2026-11-10")
    _share(team, "bo", 3, outcome="resolved", rating=None, skipped=["repentance", "forgiveness"],
           follow_ups={"open": 1, "done": 2, "dropped": 0})  # fmt: skip
    _share(team, "bo", 4, playbook="learn", audience="supervisor", outcome=None)
    (team / "bo" / "2026-11" / "broken.json").write_text("{not json")
    report = coach("team", "report", str(team), "--json")
    assert report.returncode == 0, report.stderr
    assert "1 share file(s) skipped: run coach team check" in report.stderr
    data = json.loads(report.stdout)
    apology = data["playbooks"]["apology"]
    assert apology["reflections"] == 3
    assert apology["outcomes"] == {"resolved": 2, "escalated": 1}
    assert apology["mean_rating"] == 4.0 and apology["rated"] == 2
    assert apology["most_skipped"] == {"repentance": 2, "forgiveness": 1}
    assert apology["step_ratings"] == {"regret": 4.0}
    assert apology["follow_ups"] == {"open": 1, "done": 2, "dropped": 0}
    assert data["authors"] == {"ann": 2, "bo": 2}
    assert data["weeks"] == {"2026-11-02": 3, "2026-11-09": 1}
    only = json.loads(
        coach("team", "report", str(team), "--json", "--audience", "supervisor").stdout
    )
    assert only["total"]["reflections"] == 1
    text = coach("team", "report", str(team)).stdout
    assert "Per author (shares, not a ranking)" in text and "apology" in text
    markdown = coach("team", "report", str(team), "--format", "markdown").stdout
    assert markdown.startswith("# Team report: 4 shared") and "\n## apology\n" in markdown
    checked = coach("team", "check", str(team))
    assert checked.returncode == 1 and "broken.json: is not JSON" in checked.stdout


def test_versions_are_compared_with_their_uncertainty_or_not_at_all(tmp_path: Path) -> None:
    team = tmp_path / "team"
    for n in range(40):  # version 1: 20 calls, 10 resolved; version 2: 20 calls, 18 resolved
        version = 1 if n < 20 else 2
        resolved = (n % 2 == 0) if version == 1 else (n % 10 != 0)
        _share(team, "ann", n, playbook_version=version, rating=3 if version == 1 else 4 + n % 2,
               outcome="resolved" if resolved else "escalated")  # fmt: skip
    _share(team, "ann", 99, playbook_version=3)  # one call of version 3: not enough data
    ran = coach("team", "report", str(team), "--playbook", "apology", "--by-version", "--json")
    assert ran.returncode == 0, ran.stderr
    first, second = json.loads(ran.stdout)["comparisons"]
    assert first["enough_data"] and first["counts"] == [20, 20]
    rate = first["resolved_rate"]
    assert rate["estimate"] == pytest.approx(0.4)
    assert 0 < rate["low"] < 0.4 < rate["high"] < 0.65  # Newcombe: better, with its width
    assert first["mean_rating"]["low"] > 0  # 3.0 against 4.5: clearly better
    assert second == {**second, "enough_data": False, "resolved_rate": None}
    shown = coach("team", "report", str(team), "--playbook", "apology", "--by-version").stdout
    assert "not enough data (at least 20 reflections in each version)" in shown
    assert "resolved rate +40.0 points [" in shown and "(better)" in shown
    refused = coach("team", "report", str(team), "--by-version")
    assert refused.returncode == 1 and "add --playbook ID" in refused.stderr


def test_wilson_interval_matches_the_published_values() -> None:
    low, high = wilson(10, 20)  # 0.5: 0.299 to 0.701 (Newcombe 1998, table I style)
    assert (round(low, 3), round(high, 3)) == (0.299, 0.701)
    assert wilson(0, 10)[0] == 0.0 and round(wilson(0, 10)[1], 3) == 0.278
    assert Tally().mean_rating is None


def test_shares_written_by_coach_share_are_read_back(coach_home: Path, tmp_path: Path) -> None:
    from ..journal_fixture import at, write

    write(coach_home / "journal", "learn", at("2026-11-20", "09:30"), {"listen": "x"})
    team = tmp_path / "team"
    assert coach("share", "last", "--to", str(team), "--yes").returncode == 0
    cache = TeamCache(team, None)  # in memory
    cache.sync()
    assert cache.problems() == [] and [s.playbook for s in cache.shares()] == ["learn"]


def test_the_report_sees_every_change_to_the_files(tmp_path: Path) -> None:
    """The cache is never the truth: an edited, a removed, a broken and a fixed share file,
    and a whole author's folder gone, each show in the next report."""
    team = tmp_path / "team"
    for n in range(3):
        _share(team, "ann", n)
    _share(team, "bo", 9)

    def total() -> int:
        ran = coach("team", "report", str(team), "--json")
        assert ran.returncode == 0, ran.stderr
        return json.loads(ran.stdout)["total"]["reflections"]

    assert total() == 4
    _share(team, "ann", 0, outcome="escalated", rating=1)  # edited
    data = json.loads(coach("team", "report", str(team), "--json").stdout)
    assert data["total"]["outcomes"]["escalated"] == 1
    (team / "ann" / "2026-11" / "1.json").unlink()
    assert total() == 3
    broken = team / "ann" / "2026-11" / "2.json"
    broken.write_text("{")
    assert total() == 2 and coach("team", "check", str(team)).returncode == 1
    _share(team, "ann", 2)
    assert total() == 3 and coach("team", "check", str(team)).returncode == 0
    for path in sorted((team / "bo").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (team / "bo").rmdir()
    assert total() == 2
