"""docs/team-playbooks.md followed literally in a scratch git repository: its commands as
written, its `.pre-commit-config.yaml` with the values to fill in filled in (this repository,
at HEAD), and pre-commit, for real, blocking a broken playbook and letting a fixed one through."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO

DOC = REPO / "docs" / "team-playbooks.md"
FILL_IN = {"https://github.com/YOUR-ORG/servicecoach": str(REPO)}


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Team Lead",
        "GIT_AUTHOR_EMAIL": "lead@example.com",
        "GIT_COMMITTER_NAME": "Team Lead",
        "GIT_COMMITTER_EMAIL": "lead@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=check, timeout=600
    )


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def _shell(team: Path, command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, shell=True, cwd=team, env=env, capture_output=True, text=True, timeout=600
    )


def test_the_team_page_runs_as_written(tmp_path: Path) -> None:
    head = _git(REPO, "rev-parse", "HEAD").stdout.strip()
    if _git(REPO, "show", f"{head}:.pre-commit-hooks.yaml", check=False).returncode != 0:
        pytest.skip(".pre-commit-hooks.yaml is not committed yet")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",  # coach
        "COACH_HOME": str(tmp_path / "coach-home"),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Team Lead",
        "GIT_AUTHOR_EMAIL": "lead@example.com",
        "GIT_COMMITTER_NAME": "Team Lead",
        "GIT_COMMITTER_EMAIL": "lead@example.com",
    }
    team = tmp_path / "team-playbooks"
    (team / "playbooks").mkdir(parents=True)
    _git(team, "init", "-q")

    config = next(block for block in _blocks("yaml") if block.startswith("repos:"))
    for placeholder, value in {**FILL_IN, "YOUR-TAG-OR-COMMIT": head}.items():
        config = config.replace(placeholder, value)
    assert "YOUR-" not in config  # every value to fill in is marked, and filled
    (team / ".pre-commit-config.yaml").write_text(config)
    workflow = next(block for block in _blocks("yaml") if block.startswith("name: playbooks"))
    (team / ".github" / "workflows").mkdir(parents=True)
    (team / ".github" / "workflows" / "playbooks.yml").write_text(workflow)  # YAML, not ours

    commands = [
        line.split("  #")[0].strip()
        for block in _blocks("sh")
        for line in block.splitlines()
        if line.startswith("coach playbooks ") and "HEAD~1" not in line
    ]
    assert any("playbooks new handover" in command for command in commands)
    for command in commands:
        ran = _shell(team, command, env)
        assert ran.returncode == 0, f"{command}: {ran.stderr}"
    refreshed = "coach playbooks schema > playbooks/playbook.schema.json"
    assert refreshed in DOC.read_text(encoding="utf-8")
    assert _shell(team, refreshed, env).returncode == 0

    install = _shell(team, f"{sys.executable} -m pre_commit install", env)
    assert install.returncode == 0, install.stderr
    _git(team, "add", ".")
    first = _git(team, "commit", "-qm", "the team's playbooks", check=False)
    assert first.returncode == 0, first.stdout + first.stderr

    broken = team / "playbooks" / "refund.yaml"
    broken.write_text("title: Refund\nsumary: typo\nsteps: []\n")
    _git(team, "add", ".")
    blocked = _git(team, "commit", "-qm", "a broken playbook", check=False)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "playbooks/refund.yaml:2:1: sumary: unknown key 'sumary'" in output
    assert "did you mean 'summary'?" in output

    broken.write_text(
        "title: Refund\nsummary: A customer wants their money back.\n"
        "steps:\n  - {id: listen, title: Listen}\n"
    )
    _git(team, "add", ".")
    passed = _git(team, "commit", "-qm", "a valid playbook", check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    every = _shell(team, f"{sys.executable} -m pre_commit run --all-files", env)
    assert every.returncode == 0, every.stdout + every.stderr  # dot files are not playbooks
    assert "validate coach playbooks" in every.stdout
