"""Team playbooks: --strict lint, scaffolding, the pre-commit hook."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import coach, write_playbook

LONG = " ".join(["word"] * 30)


def test_strict_warns_with_positions(tmp_path: Path) -> None:
    path = write_playbook(
        tmp_path,
        "resume",
        "title: T\nsummary: S\nsteps:\n"
        f"  - id: a\n    title: A\n    tip: {LONG}\n    recall: How?\n"
        "  - id: b\n    title: B\n",
    )
    plain = coach("playbooks", "validate", str(path))
    assert plain.returncode == 0
    strict = coach("playbooks", "validate", "--strict", str(path))
    assert strict.returncode == 1
    lines = strict.stdout.splitlines()
    assert lines == [
        f"{path}:1:1: warning: no 'source': say where the model comes from, or who wrote the "
        "playbook",
        f"{path}:1:1: id: warning: 'resume' is also a coach command, so 'coach resume' cannot "
        "run this playbook; rename the file",
        f"{path}:6:10: steps[0].tip: warning: 30 words is too long to read during a call "
        "(at most 25)",
        f"{path}:8:5: steps[1]: warning: step 'b' has no 'recall' question for recall mode",
        "1 of 1 playbook has warnings.",
    ]


def test_new_writes_a_starter_that_passes_strict(tmp_path: Path) -> None:
    team = tmp_path / "team"
    result = coach("playbooks", "new", "handover", env={"COACH_PLAYBOOKS": str(team)})
    assert result.returncode == 0, result.stderr
    path = team / "handover.yaml"
    assert result.stdout.startswith(f"Wrote {path}")
    assert path.read_text().startswith("# yaml-language-server: $schema=playbook.schema.json\n")
    assert (team / "playbook.schema.json").exists()
    check = coach("playbooks", "validate", "--strict", str(path))
    assert check.returncode == 0, check.stdout
    listed = coach("playbooks", "list", env={"COACH_PLAYBOOKS": str(team)})
    assert "Handover" in listed.stdout
    again = coach("playbooks", "new", "handover", env={"COACH_PLAYBOOKS": str(team)})
    assert again.returncode == 1
    assert again.stderr.strip() == f"coach: {path} already exists; it was not overwritten."


def test_new_from_an_existing_playbook(tmp_path: Path, coach_home: Path) -> None:
    result = coach("playbooks", "new", "our-apology", "--from", "apology")
    assert result.returncode == 0, result.stderr
    path = coach_home / "playbooks" / "our-apology.yaml"
    check = coach("playbooks", "validate", "--strict", str(path))
    assert check.returncode == 0, check.stdout
    assert "I was wrong." in path.read_text()
    shown = coach("playbooks", "show", "our-apology")
    assert "Five languages of apology" in shown.stdout


def test_new_refuses_bad_ids(tmp_path: Path) -> None:
    for bad, message in (
        ("Bad Id", "is not a valid id"),
        ("journal", "is one of coach's commands"),
        ("../escape", "is not a valid id"),
    ):
        result = coach("playbooks", "new", bad, "--dir", str(tmp_path))
        assert result.returncode == 1
        assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_diff_two_revisions_step_by_step(tmp_path: Path) -> None:
    old = write_playbook(
        tmp_path / "old",
        "refund",
        "id: refund\ntitle: Refund\nversion: 1\nsummary: S\nsteps:\n"
        "  - {id: listen, title: Listen, tip: Breathe.}\n"
        "  - {id: offer, title: Offer, kind: choice, options: [refund, credit]}\n"
        "  - {id: close, title: Close}\n",
    )
    new = write_playbook(
        tmp_path / "new",
        "refund",
        "id: refund\ntitle: Refund\nversion: 2\nsummary: S\nsteps:\n"
        "  - {id: offer, title: Offer, kind: choice, options: [refund, credit, replacement]}\n"
        "  - {id: listen, title: Listen first}\n"
        "  - {id: thank, title: Thank them, say: Thank you for telling us.}\n",
    )
    result = coach("playbooks", "diff", str(old), str(new), env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("--- refund v1 (")
    assert lines[1].startswith("+++ refund v2 (")
    assert lines[2:] == [
        "playbook:",
        "  ~ version: 1  ->  2",
        "step offer: changed and moved",
        "  ~ options: [refund, credit]  ->  [refund, credit, replacement]",
        "step listen: changed and moved",
        "  ~ title: Listen  ->  Listen first",
        "  - tip: Breathe.",
        "step thank: added",
        "  + title: Thank them",
        "  + say: [Thank you for telling us.]",
        "step close: removed",
    ]
    same = coach("playbooks", "diff", "learn", "learn")
    assert same.stdout.splitlines()[-1] == "No differences in the playbook's content."
    missing = coach("playbooks", "diff", str(tmp_path / "nope.yaml"), "learn")
    assert missing.returncode == 1
    assert "No such file" in missing.stderr


def test_diff_reads_a_revision_from_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    team = repo / "team"
    text = "title: Hand over\nsummary: S\nsteps:\n  - {id: brief, title: Brief}\n"
    write_playbook(team, "handover", text)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git[:3], "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], check=True)
    write_playbook(team, "handover", text.replace("title: Brief", "title: Brief them"))
    monkeypatch.chdir(repo)
    result = coach("playbooks", "diff", "HEAD:team/handover.yaml", "team/handover.yaml")
    assert result.returncode == 0, result.stderr
    assert "  ~ title: Brief  ->  Brief them" in result.stdout
    assert "id:" not in result.stdout  # the same file at two revisions: the same playbook
    missing = coach("playbooks", "diff", "HEAD:team/nope.yaml", "team/handover.yaml")
    assert missing.returncode == 1
    assert "git cannot show HEAD:team/nope.yaml" in missing.stderr
    option = coach("playbooks", "diff", "--", "--output=x:y", "team/handover.yaml")
    assert option.returncode == 1 and "is not a revision and a path" in option.stderr
    assert not (repo / "x").exists()  # never an option to git


def test_validate_passes_over_what_the_catalog_never_reads(tmp_path: Path) -> None:
    """pre-commit hands over every staged YAML file: dot files and files in dot folders are
    not playbooks, for validate as for the catalog."""
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "ci.yml").write_text("on: [push]\n")
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n")
    (tmp_path / "notes.txt").write_text("not yaml\n")
    good = write_playbook(tmp_path, "refund", "title: R\nsummary: S\nsteps: [{id: a, title: A}]\n")
    names = [".github/ci.yml", ".pre-commit-config.yaml", "notes.txt", good.name]
    result = coach("playbooks", "validate", *names)
    assert result.returncode == 0, result.stdout
    assert "1 playbook valid." in result.stdout
    assert "Passed over what the catalog never reads (hidden, or not YAML):" in result.stdout
    assert ".pre-commit-config.yaml" in result.stdout
