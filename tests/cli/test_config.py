"""coach config show and --config, in-process: the config file's folders, its errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import coach, write_playbook

SIMPLE = "title: Handover\nsummary: S\nsteps:\n  - {id: one, title: One}\n"


def test_config_file_team_folder_is_used(tmp_path: Path) -> None:
    team = tmp_path / "team"
    write_playbook(team, "handover", SIMPLE)
    config = tmp_path / "coach.yaml"
    config.write_text("playbooks: team\n")
    listed = coach("--config", str(config), "playbooks", "list", "--json")
    rows = {row["id"]: row for row in map(json.loads, listed.stdout.splitlines())}
    assert rows["handover"]["origin"] == "team"
    shown = coach("--config", str(config), "config", "show", "--json")
    data = json.loads(shown.stdout)
    assert data["team_playbooks"] == [
        {"path": str(team), "from": f"config file {config}", "exists": True}
    ]
    assert data["config_file"] == {"path": str(config), "from": "--config", "exists": True}
    # snake_case keys, stable: what scripts and docs/scripting.md rely on
    assert list(data) == [
        "config_file", "journal", "team_playbooks", "user_playbooks", "drafts", "cache",
        "share", "share_as",
    ]  # fmt: skip
    assert all(
        isinstance(data[key]["path"], str) for key in list(data)[:6] if key != "team_playbooks"
    )


def test_a_broken_config_file_is_one_sentence_with_its_line(tmp_path: Path) -> None:
    config = tmp_path / "coach.yaml"
    for text, message in (
        (
            "journal: j\njornal: k\n",
            f"{config}:2:1: unknown key 'jornal' (did you mean 'journal'?)",
        ),
        ("journal: [a, b]\n", f"{config}:1:1: 'journal' is one folder"),
        ("playbooks: [1]\n", f"{config}:1:1: 'playbooks' takes folder paths (text)"),
        ("journal: a\njournal: b\n", f"{config}:2:1: duplicate key 'journal'"),
        ("journal: [oops\n", f"{config}:2:1: YAML syntax"),
    ):
        config.write_text(text)
        result = coach("--config", str(config), "config", "show")
        assert result.returncode == 1, text
        assert result.stderr.startswith(f"coach: {message}"), result.stderr
        assert "Traceback" not in result.stderr


def test_config_show_table(coach_home: Path) -> None:
    result = coach("config", "show", env={"COLUMNS": "200"})
    assert result.returncode == 0
    assert f"{coach_home / 'journal'}" in result.stdout
    assert "$COACH_HOME" in result.stdout
    assert "(none)" in result.stdout


def test_drafts_live_in_the_state_folder_and_old_ones_move_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COACH_HOME")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    old = tmp_path / "data" / "servicecoach" / "drafts"
    stopped = coach("apology", input="kept answer\n")  # a draft, where drafts go now
    assert stopped.returncode == 130
    state = tmp_path / "state" / "servicecoach" / "drafts"
    (made,) = state.glob("*.json")
    old.mkdir(parents=True)
    made.rename(old / made.name)  # as an earlier coach kept it
    settings = json.loads(coach("config", "show", "--json").stdout)
    assert settings["drafts"]["path"] == str(state)
    (listed,) = coach("resume", "--list", "--json").stdout.splitlines()
    assert json.loads(listed)["last_answer"] == "kept answer"
    assert (state / made.name).exists() and not old.exists()
