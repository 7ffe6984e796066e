"""coach playbooks list and schema, in-process: where each playbook comes from, broken ones."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from servicecoach.playbooks.schema import schema_text

from ..conftest import REPO, coach, write_playbook

SIMPLE = "title: {title}\nsummary: S\nsteps:\n  - {{id: one, title: One}}\n"


def test_schema_prints_the_generated_schema() -> None:
    result = coach("playbooks", "schema")
    assert result.returncode == 0
    assert result.stdout == schema_text()


def test_list_says_where_each_playbook_comes_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = tmp_path / "team"
    write_playbook(team, "learn", SIMPLE.format(title="Our LEARN"))
    write_playbook(team, "handover", SIMPLE.format(title="Handover"))
    result = coach("playbooks", "list", "--json", env={"COACH_PLAYBOOKS": str(team)})
    assert result.returncode == 0, result.stderr
    rows = {row["id"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert rows["learn"]["origin"] == "team"
    assert rows["learn"]["title"] == "Our LEARN"
    assert rows["learn"]["overrides"] == [str(REPO / "playbooks" / "learn.yaml")]
    assert rows["handover"]["origin"] == "team"
    assert rows["apology"]["origin"] == "built-in"
    assert rows["apology"]["steps"] == 5


def test_a_broken_team_playbook_does_not_hide_the_valid_ones(tmp_path: Path) -> None:
    team = tmp_path / "team"
    write_playbook(team, "broken", "title: [unclosed\n")
    write_playbook(team, "handover", SIMPLE.format(title="Handover"))
    result = coach("playbooks", "list", env={"COACH_PLAYBOOKS": str(team)})
    assert result.returncode == 0
    assert "Handover" in result.stdout
    assert "Five languages of apology" in result.stdout
    assert "(has problems)" in result.stdout
    assert "1 playbook has problems" in result.stderr
    assert "coach playbooks validate" in result.stderr


@pytest.mark.parametrize("playbook_id", ["blast", "heard", "last"])
def test_the_glance_numbers_the_models_letters_and_branches_conditional_steps(
    playbook_id: str,
) -> None:
    """BLAST reads 1-5 at a glance; a step asked only on a condition is a branch, not a
    sixth letter."""
    from servicecoach.playbooks.catalog import builtin_folder
    from servicecoach.playbooks.loading import load_playbook

    playbook = load_playbook(builtin_folder() / f"{playbook_id}.yaml")
    card = coach("playbooks", "show", playbook_id, "--card", env={"COLUMNS": "100"}).stdout
    numbered = re.findall(r"^│ (\d+) (\S[^│]*?) {2,}", card, flags=re.M)
    plain_steps = [step.title for step in playbook.steps if step.when is None]
    assert [int(n) for n, _ in numbered] == list(range(1, len(plain_steps) + 1))
    assert [title.strip() for _, title in numbered] == plain_steps
    branches = [step.title for step in playbook.steps if step.when is not None]
    assert branches and all(f"↳ {title}" in card for title in branches)


def test_show_lists_the_rotating_questions_a_lead_wrote() -> None:
    from servicecoach.playbooks.catalog import builtin_folder
    from servicecoach.playbooks.loading import load_playbook

    daily = load_playbook(builtin_folder() / "daily.yaml")
    assert daily.rotating is not None
    shown = coach("playbooks", "show", "daily", env={"COLUMNS": "200"}).stdout
    assert f"Rotating (recall): {daily.rotating.pick} of these" in shown
    assert all(question.ask in shown for question in daily.rotating.questions)
