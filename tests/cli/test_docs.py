"""Docs that cannot drift: the documented example validates, every command is documented."""

from __future__ import annotations

import json
import re
from pathlib import Path

from servicecoach.playbooks.loading import parse_playbook

from ..conftest import REPO, coach

DOCS = REPO / "docs"


def test_the_playbook_format_example_is_valid() -> None:
    text = (DOCS / "playbook-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    assert blocks, "no yaml example in docs/playbook-format.md"
    example = next(block for block in blocks if "steps:" in block)
    playbook = parse_playbook(example, "handover.yaml", "handover")
    kinds = {step.kind for step in playbook.questions()}
    assert kinds == {"note", "choice", "scale", "checklist", "yesno"}
    assert any(step.when for step in playbook.steps)
    assert any(step.wording for step in playbook.steps)
    assert playbook.wrap_up


def test_every_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for command in ("playbooks list", "playbooks show", "playbooks validate", "resume"):
        assert f"coach {command}" in readme, command
    help_text = coach("--help").stdout
    for name in re.findall(r"│ (\w[\w-]*) {2,}", help_text):
        assert f"`{name}`" in readme or f"coach {name}" in readme, name


def test_the_readme_starts_with_the_two_set_up_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, flags=re.S)
    assert block is not None and readme.index("```sh") < readme.index("##")
    lines = block.group(1).strip().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("coach apology")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    test_command = lines[1].split("&& ")[-1].replace(".venv/bin/", "")
    assert test_command in ci.replace(".venv/bin/", "")
    assert Path(REPO / ".ci" / "run").exists()


def test_the_readmes_pictures_are_the_programs_own_output() -> None:
    """scripts/pictures.py draws them from the real renderables with fixed inputs; a change
    that alters what people see must regenerate them (python scripts/pictures.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("pictures", REPO / "scripts" / "pictures.py")
    assert spec is not None and spec.loader is not None
    pictures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pictures)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, draw in (("cue-card", pictures.cue), ("recall", pictures.recall),
                       ("journal-stats", pictures.stats)):  # fmt: skip
        assert f"docs/pictures/{name}.svg" in readme
        shown = (DOCS / "pictures" / f"{name}.svg").read_text(encoding="utf-8")
        assert shown == draw(), f"{name}.svg is out of date: run python scripts/pictures.py"


def test_every_test_named_in_the_reliability_table_exists() -> None:
    table = (DOCS / "reliability.md").read_text(encoding="utf-8")
    named = re.findall(r"`(\w+/test_\w+\.py)::(test_\w+)", table)
    assert len(named) > 40
    for path, test in named:
        source = REPO / "tests" / path
        assert source.exists(), path
        assert re.search(rf"^def {test}\(", source.read_text(encoding="utf-8"), re.M), test
    assert not re.findall(r"`test_\w+`", table), "name each test with its file"


def _documented_keys(heading: str) -> list[str]:
    """The keys of the table that follows `heading` in docs/scripting.md."""
    text = (DOCS / "scripting.md").read_text(encoding="utf-8")
    table = text[text.index(heading) :].split("\n\n")[1]
    return [
        key for row in table.splitlines()[2:] for key in re.findall(r"`(\w+)`", row.split("|")[1])
    ]


def test_the_json_keys_are_the_documented_ones(coach_home: Path) -> None:
    from ..journal_fixture import at, write

    write(coach_home / "journal", "learn", at("2026-11-20", "09:30"), {"listen": "x"})
    (line,) = coach("journal", "list", "--json").stdout.splitlines()
    assert list(json.loads(line)) == _documented_keys("`coach journal list --json`")
    (found,) = coach("journal", "search", "x", "--json").stdout.splitlines()
    assert list(json.loads(found)) == _documented_keys("`coach journal list --json`")
    stopped = coach("apology", input="first\n")
    assert stopped.returncode == 130
    (draft,) = coach("resume", "--list", "--json").stdout.splitlines()
    assert list(json.loads(draft)) == _documented_keys("`coach resume --list --json`")
    settings = json.loads(coach("config", "show", "--json").stdout)
    assert list(settings) == _documented_keys("`coach config show --json`")


def test_the_follow_up_json_keys_are_the_documented_ones(coach_home: Path) -> None:
    from ..journal_fixture import at, write

    promise = {"notify": True, "follow-up": {"answer": "call back", "due": "tomorrow 10am"}}
    write(coach_home / "journal", "learn", at("2026-11-20", "09:30"), promise)
    (line,) = coach("followups", "--json").stdout.splitlines()
    assert list(json.loads(line)) == _documented_keys("`coach followups --json`")
