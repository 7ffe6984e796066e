"""The pre-commit hook, installed by pre-commit from this repository into a team's git
repository, blocks a broken playbook and lets a fixed one through."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO, write_playbook


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


def test_the_pre_commit_hook_blocks_a_broken_playbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A team repository uses our hook through pre-commit, for real, with git."""
    head = _git(REPO, "rev-parse", "HEAD").stdout.strip()
    hooks = _git(REPO, "show", f"{head}:.pre-commit-hooks.yaml", check=False)
    if hooks.returncode != 0:
        pytest.skip(".pre-commit-hooks.yaml is not committed yet")
    team = tmp_path / "team-repo"
    team.mkdir()
    _git(team, "init", "-q")
    (team / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {head}\n    hooks:\n"
        "      - id: coach-validate-playbooks\n        files: ^playbooks/\n"
    )
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    install = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=team, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    broken = write_playbook(
        team / "playbooks", "refund", "title: Refund\nsumary: typo\nsteps: []\n"
    )
    _git(team, "add", ".")
    blocked = _git(team, "commit", "-qm", "a broken playbook", check=False)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "playbooks/refund.yaml:2:1: sumary: unknown key 'sumary'" in output
    assert "did you mean 'summary'?" in output
    assert _git(team, "log", "--oneline", check=False).returncode != 0  # no commit yet

    broken.write_text(
        "title: Refund\nsummary: A customer wants their money back.\n"
        "steps:\n  - {id: listen, title: Listen}\n"
    )
    _git(team, "add", ".")
    passed = _git(team, "commit", "-qm", "a valid playbook", check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "a valid playbook" in _git(team, "log", "--oneline").stdout
