"""Strict playbook loading: one broken fixture per rule, each with its exact line and column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from servicecoach.errors import PlaybookInvalid
from servicecoach.playbooks.loading import MAX_BYTES, load_playbook, parse_playbook

from ..conftest import FIXTURES, REPO

BROKEN = sorted((FIXTURES / "broken").glob("*.yaml"))


def _expectation(path: Path) -> tuple[int, int, str]:
    first = path.read_bytes().splitlines()[0].decode("ascii")
    match = re.fullmatch(r"# expect: (\d+):(\d+) (.*)", first)
    assert match, f"{path.name} has no '# expect: line:col text' header"
    return int(match[1]), int(match[2]), match[3]


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_each_rule_reports_its_line_and_column(path: Path) -> None:
    line, column, text = _expectation(path)
    with pytest.raises(PlaybookInvalid) as caught:
        load_playbook(path)
    reported = [str(p) for p in caught.value.problems]
    expected_prefix = f"{path}:{line}:{column}: {text}"
    assert any(r.startswith(expected_prefix) for r in reported), reported


def test_there_is_a_fixture_for_every_rule() -> None:
    names = {p.stem for p in BROKEN}
    for rule in (
        "duplicate-key",
        "unknown-key",
        "wrong-type",
        "duplicate-step-id",
        "when-unknown-step",
        "when-later-step",
        "choice-without-options",
        "empty",
        "not-a-mapping",
        "not-utf8",
        "python-tag",
    ):
        assert rule in names


def test_all_problems_of_a_file_are_reported_in_one_run(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(
        "title: Many problems\n"  # 1
        "summery: typo\n"  # 2
        "steps:\n"  # 3
        "  - id: a\n"  # 4
        "    title: A\n"  # 5
        "    kind: choice\n"  # 6
        "  - id: a\n"  # 7
        "    title: B\n"  # 8
        "    when: {step: zz, answered: true}\n"  # 9
        "    colour: red\n",  # 10
        encoding="utf-8",
    )
    with pytest.raises(PlaybookInvalid) as caught:
        load_playbook(path)
    found = {(p.line, p.column, p.where) for p in caught.value.problems}
    assert found == {
        (1, 1, "summary"),  # missing
        (2, 1, "summery"),  # unknown, did you mean summary
        (6, 11, "steps[0].kind"),  # choice without options
        (7, 9, "steps[1].id"),  # duplicate id
        (9, 18, "steps[1].when.step"),  # unknown step
        (10, 5, "steps[1].colour"),  # unknown key
    }
    message = str(caught.value)
    assert "did you mean 'summary'?" in message
    assert message.endswith("6 problems; the playbook was not loaded.")


def test_every_builtin_playbook_is_valid() -> None:
    paths = sorted((REPO / "playbooks").glob("*.yaml"))
    assert {p.stem for p in paths} >= {
        "learn",
        "apology",
        "secrets",
        "platinum",
        "principles",
        "pointers",
        "daily",
        "heard",
        "last",
        "latte",
        "blast",
    }
    for path in paths:
        playbook = load_playbook(path)
        assert playbook.id == path.stem
        assert playbook.source, f"{path.name} has no attribution"


def test_id_defaults_to_the_file_name() -> None:
    playbook = parse_playbook(
        "title: T\nsummary: S\nsteps:\n  - {id: one, title: One}\n", "x/my-calls.yaml", "my-calls"
    )
    assert playbook.id == "my-calls"
    assert playbook.modes == ["live", "recall"]
    assert playbook.audiences == ["customer", "coworker", "supervisor"]


def test_say_may_be_one_phrase_or_a_list() -> None:
    text = (
        "title: T\nsummary: S\nsteps:\n"
        "  - {id: one, title: One, say: Hello.}\n"
        "  - {id: two, title: Two, say: [Hi., Hello.]}\n"
    )
    playbook = parse_playbook(text, "t.yaml", "t")
    assert [s.say for s in playbook.steps] == [["Hello."], ["Hi.", "Hello."]]


def test_byte_order_mark_and_crlf_are_accepted() -> None:
    raw = "\ufefftitle: T\r\nsummary: S\r\nsteps:\r\n  - {id: one, title: One}\r\n".encode()
    assert parse_playbook(raw, "t.yaml", "t").title == "T"


def test_merge_keys_work_as_in_safe_load() -> None:
    text = (
        "title: T\nsummary: S\nsteps:\n"
        "  - &base {id: one, title: One, tip: Breathe.}\n"
        "  - {<<: *base, id: two, title: Two}\n"
    )
    playbook = parse_playbook(text, "t.yaml", "t")
    assert playbook.steps[1].tip == "Breathe."
    assert playbook.steps[1].title == "Two"


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for n in range(1, 10):
        prev = chr(ord("a") + n - 1)
        name = chr(ord("a") + n)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(PlaybookInvalid, match="alias bomb"):
        parse_playbook("\n".join(lines), "bomb.yaml", "bomb")


@pytest.mark.parametrize(("depth", "message"), [(200, "nested more than 64"), (5000, "nesting")])
def test_deep_nesting_is_refused(depth: int, message: str) -> None:
    text = "title: " + "[" * depth + "]" * depth
    with pytest.raises(PlaybookInvalid, match=message):
        parse_playbook(text, "deep.yaml", "deep")


def test_oversized_file_is_refused() -> None:
    with pytest.raises(PlaybookInvalid, match="larger than"):
        parse_playbook(b"# " + b"x" * MAX_BYTES, "big.yaml", "big")


def test_a_digest_identifies_the_revision() -> None:
    text = "title: T\nsummary: S\nsteps:\n  - {id: one, title: One}\n"
    first = parse_playbook(text, "t.yaml", "t")
    again = parse_playbook(text, "t.yaml", "t")
    changed = parse_playbook(text.replace("One", "Uno"), "t.yaml", "t")
    assert first.digest == again.digest
    assert first.digest != changed.digest
    assert re.fullmatch(r"[0-9a-f]{12}", first.digest)
