"""Property tests: whatever the input, loading gives a playbook or our own error with a
position, and whatever a person types comes back unchanged from the reflection file."""

from __future__ import annotations

import os
import string
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicecoach.engine.session import Session, replay
from servicecoach.errors import PlaybookInvalid
from servicecoach.journal.entry import split_front_matter
from servicecoach.journal.reflection import render
from servicecoach.playbooks.loading import load_playbook, parse_playbook
from servicecoach.playbooks.model import Playbook

from ..conftest import FIXTURES, REPO
from ..scripted import START

BUILTINS = sorted((REPO / "playbooks").glob("*.yaml"))
TEXTS = [path.read_text(encoding="utf-8") for path in BUILTINS]
# How many examples: `HYPOTHESIS_PROFILE=thorough` for a long local run; CI uses the default.
settings.register_profile(
    "default", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def loads_or_explains(raw: bytes | str) -> None:
    try:
        result = parse_playbook(raw, "fuzz.yaml", "fuzz")
    except PlaybookInvalid as error:
        assert error.problems, "an error without problems"
        for problem in error.problems:
            assert problem.line >= 1 and problem.column >= 1
            assert problem.message
        return
    assert isinstance(result, Playbook)


YAMLISH = st.text(alphabet=string.printable + "äö—…\t", max_size=400)


@given(YAMLISH)
def test_any_text(text: str) -> None:
    loads_or_explains(text)


@given(st.binary(max_size=400))
def test_any_bytes(raw: bytes) -> None:
    loads_or_explains(raw)


@st.composite
def mutated_builtin(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(TEXTS)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "junk", "swap"]))
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "indent":
            lines[index] = "  " + lines[index]
        elif action == "dedent":
            lines[index] = lines[index].lstrip()
        elif action == "junk":
            lines.insert(index, draw(YAMLISH) + "\n")
        elif index + 1 < len(lines):
            lines[index], lines[index + 1] = lines[index + 1], lines[index]
        if not lines:
            break
    return "".join(lines)


@given(mutated_builtin())
def test_mutations_of_every_builtin(text: str) -> None:
    loads_or_explains(text)


REFUND = load_playbook(FIXTURES / "refund.yaml")


A_TAG = st.text(st.characters(blacklist_characters=",;"), max_size=30).map(lambda t: "t" + t)


@given(st.text(max_size=300), st.lists(A_TAG, max_size=4))
def test_any_answer_round_trips(answer: str, tags: list[str]) -> None:
    session = Session.start(REFUND, "live", "customer", START, "d")
    replay(session, {"listen": answer, "tags": tags}, "fuzz")
    session.finish(START)
    data, _ = split_front_matter(render(session))
    assert data["steps"]["listen"]["answer"] == answer  # exactly as given, whatever it is


def test_ten_thousand_steps_load(tmp_path: Path) -> None:
    steps = "".join(f"  - {{id: s{n}, title: Step {n}}}\n" for n in range(10_000))
    path = tmp_path / "long.yaml"
    path.write_text(f"title: Long\nsummary: Ten thousand steps.\nsteps:\n{steps}")
    assert len(load_playbook(path).steps) == 10_000


def test_a_twenty_megabyte_file_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"title: big\n" + b"# padding\n" * 2_000_000)
    try:
        load_playbook(path)
    except PlaybookInvalid as error:
        assert "larger than 1024 KiB" in str(error)
    else:
        raise AssertionError("a 20 MB playbook loaded")
