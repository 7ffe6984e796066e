"""`coach share`: what a rep shares with the team's git repository, and what never leaves."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from ..conftest import REPO, coach
from ..journal_fixture import at, write

PLANTED = "Planted-words-that-must-stay-home"


def _shared(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.json"))


def test_a_share_holds_no_free_text_by_default(coach_home: Path, tmp_path: Path) -> None:
    answers = {"hear": PLANTED, "diagnose": "A gap in how we work", "rating": 4}
    write(coach_home / "journal", "heard", at("2026-11-20", "09:30"), answers)
    team = tmp_path / "team"
    ran = coach("share", "last", "--to", str(team), "--yes")
    assert ran.returncode == 0, ran.stderr
    (path,) = _shared(team)
    text = path.read_text(encoding="utf-8")
    assert PLANTED not in text and "09:30" not in text
    record = json.loads(text)
    assert record["steps"]["diagnose"] == {"status": "done", "answer": "A gap in how we work"}
    assert record["steps"]["hear"] == {"status": "done"}
    assert record["date"] == "2026-11-20" and "notes" not in record
    assert path.relative_to(team).parts[0] == record["author"]
    documented = re.findall(
        r"^\| `(\w+)`", (REPO / "docs" / "team-sharing.md").read_text(encoding="utf-8"), re.M
    )
    listed = [key for key in documented if key in record]  # the table names some keys together
    assert set(record) <= set(documented) | {"playbook_version", "playbook_hash", "audience",
                                              "rating", "skipped", "wrap_up"}  # fmt: skip
    assert listed == [key for key in record if key in documented]
    again = coach("share", "last", "--to", str(team), "--yes")  # once more: the same file
    assert again.returncode == 0 and _shared(team) == [path]
    assert coach("share", "last", "--to", str(team), "--remove").returncode == 0
    assert _shared(team) == []


def test_notes_are_shared_only_when_asked_and_masked(coach_home: Path, tmp_path: Path) -> None:
    said = "Mail ann.lee@example.com or +44 20 7946 0958; card 4111 1111 1111 1111. Calm now."
    write(coach_home / "journal", "learn", at("2026-11-20", "09:30"), {"listen": said})
    team = tmp_path / "team"
    assert coach("share", "last", "--to", str(team), "--yes", "--with-notes").returncode == 0
    (path,) = _shared(team)
    note = json.loads(path.read_text(encoding="utf-8"))["notes"]["listen"]
    assert note == "Mail [e-mail] or [phone number]; card [card number]. Calm now."


def test_without_a_terminal_sharing_needs_yes(coach_home: Path, tmp_path: Path) -> None:
    write(coach_home / "journal", "learn", at("2026-11-20", "09:30"), {"listen": "x"})
    refused = coach("share", "last", "--to", str(tmp_path / "team"))
    assert refused.returncode == 1
    assert "Add --yes to share without being shown it and asked first." in refused.stderr
    nowhere = coach("share", "last", "--yes")
    assert nowhere.returncode == 1 and "--to DIR, or share: DIR" in nowhere.stderr


def _git(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "Rep", "GIT_AUTHOR_EMAIL": "rep@example.com",
           "GIT_COMMITTER_NAME": "Rep", "GIT_COMMITTER_EMAIL": "rep@example.com"}  # fmt: skip
    done = subprocess.run(["git", *args], cwd=where, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done


def test_two_reps_share_into_one_repository_without_conflicts(tmp_path: Path) -> None:
    origin = tmp_path / "origin.git"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    seed = tmp_path / "seed"
    _git(tmp_path, "clone", "-q", str(origin), str(seed))
    (seed / "README.md").write_text("team\n")
    _git(seed, "add", ".")
    _git(seed, "commit", "-qm", "start")
    _git(seed, "push", "-q", "origin", "HEAD:main")
    for rep in ("ann", "bo"):
        clone = tmp_path / rep
        _git(tmp_path, "clone", "-q", str(origin), str(clone))
        _git(clone, "config", "user.name", rep)  # as each rep's own git is set up
        _git(clone, "config", "user.email", f"{rep}@example.com")
        home = tmp_path / f"{rep}-home"
        home.mkdir()
        (home / "config.yaml").write_text(f"share: {clone / 'shared'}\nshare_as: {rep}\n")
        env = {"COACH_HOME": str(home)}
        write(home / "journal", "learn", at("2026-11-20", "09:30"), {"listen": "x"})  # same
        shared = coach("share", "last", "--yes", "--commit", env=env)  # name, both reps
        assert shared.returncode == 0, shared.stderr
    _git(tmp_path / "ann", "push", "-q", "origin", "HEAD:main")
    _git(tmp_path / "bo", "pull", "-q", "--no-rebase", "origin", "main")  # a merge, no conflict
    _git(tmp_path / "bo", "push", "-q", "origin", "HEAD:main")
    files = _git(tmp_path / "bo", "ls-files", "shared").stdout.split()
    assert [Path(f).parts[1] for f in files] == ["ann", "bo"]


def test_the_time_of_day_is_shared_only_where_the_team_opted_in(
    coach_home: Path, tmp_path: Path
) -> None:
    write(coach_home / "journal", "learn", at("2026-11-20", "09:30"), {"listen": "x"})
    team = tmp_path / "team"
    team.mkdir()
    assert coach("share", "last", "--to", str(team), "--yes").returncode == 0
    (path,) = _shared(team)
    assert "time" not in json.loads(path.read_text(encoding="utf-8"))
    (team / ".coach-team.yaml").write_text("time_of_day: true\n")
    assert coach("share", "last", "--to", str(team), "--yes").returncode == 0
    assert json.loads(path.read_text(encoding="utf-8"))["time"] == "09:30"
    (team / ".coach-team.yaml").write_text("time_of_day: yes please\n")
    wrong = coach("share", "last", "--to", str(team), "--yes")
    assert (
        wrong.returncode == 1
        and ".coach-team.yaml:1:1: 'time_of_day' is true or false" in wrong.stderr
    )
