"""Settings: option > environment > config file > COACH_HOME, and `coach config show`."""

from __future__ import annotations

from pathlib import Path

from servicecoach.config import resolve_paths

SIMPLE = "title: Handover\nsummary: S\nsteps:\n  - {id: one, title: One}\n"


def test_precedence_and_sources(tmp_path: Path, coach_home: Path) -> None:
    coach_home.mkdir()
    (coach_home / "config.yaml").write_text("journal: from-config\nplaybooks: [team]\n")
    env = {"COACH_HOME": str(coach_home)}
    paths = resolve_paths(env)
    assert paths.journal == coach_home / "from-config"
    assert paths.team_playbooks == (coach_home / "team",)
    assert paths.sources["journal"] == f"config file {coach_home / 'config.yaml'}"
    paths = resolve_paths({**env, "COACH_JOURNAL": str(tmp_path / "env")})
    assert paths.journal == tmp_path / "env"
    assert paths.sources["journal"] == "$COACH_JOURNAL"
    paths = resolve_paths({**env, "COACH_JOURNAL": "x"}, journal=tmp_path / "opt")
    assert (paths.journal, paths.sources["journal"]) == (tmp_path / "opt", "--journal")
    paths = resolve_paths({**env, "COACH_PLAYBOOKS": str(tmp_path / "first")})
    assert paths.team_playbooks == (tmp_path / "first", coach_home / "team")
