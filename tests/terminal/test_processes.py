"""What only a real process shows: the module entry point, bytes on a real stdin, signals
from outside at the prompts of a piped run, kill -9. In-process, tests/cli/test_interrupts.py
stops a run at every prompt; here each signal is sent for real at an answer and at a rating."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from pexpect.popen_spawn import PopenSpawn

from servicecoach.journal.entry import split_front_matter

from ..conftest import REPO, coach_process


def test_undecodable_bytes_on_stdin_are_an_answer_not_a_crash(coach_home: Path) -> None:
    piped = coach_process("apology", input=b"caf\xe9 au lait\n" + b"\n" * 7)  # Latin-1
    assert piped.returncode == 0, piped.stderr
    (path,) = (coach_home / "journal").rglob("*.md")
    data, _ = split_front_matter(path.read_text())
    assert data["steps"]["regret"]["answer"] == "caf\ufffd au lait"


def test_module_and_script_agree() -> None:
    assert (REPO / "src" / "servicecoach" / "__main__.py").exists()
    shown = coach_process("--help")
    assert shown.returncode == 0
    assert "Usage:" in shown.stdout and "apology" in shown.stdout


PROMPT = " > "
RECALL = ["learn", "--recall"]
TYPED = ["heard them out", "3", "felt for them"]  # Listen, its rating, Empathize


def typed_until_prompt(args: list[str], home: Path, lines: list[str]) -> PopenSpawn:
    """Start coach with piped stdin, answer `lines` one prompt at a time, and wait at the
    next prompt."""
    env = {**os.environ, "COACH_HOME": str(home)}
    child = PopenSpawn(
        [sys.executable, "-m", "servicecoach", *args], env=env, encoding="utf-8", timeout=60
    )
    for line in lines:
        child.expect_exact(PROMPT)
        child.sendline(line)
    child.expect_exact(PROMPT)
    return child


def draft_answers(home: Path) -> dict[str, str]:
    (draft,) = (home / "drafts").glob("*.json")
    records = json.loads(draft.read_text(encoding="utf-8"))["records"]
    return {key: record.get("answer") for key, record in records.items()}


@pytest.mark.parametrize("how", ["SIGINT", "SIGTERM", "SIGHUP", "EOF"])
@pytest.mark.parametrize("typed", [1, 3], ids=["at-a-rating", "at-an-answer"])
def test_a_real_stop_keeps_the_draft(tmp_path: Path, how: str, typed: int) -> None:
    home = tmp_path / "home"
    child = typed_until_prompt(RECALL, home, TYPED[:typed])
    if how == "EOF":
        child.sendeof()
    else:
        child.kill(getattr(signal, how))
    child.expect(pexpect.EOF)
    assert child.wait() == 130, child.before
    assert "Traceback" not in child.before
    expected = {"listen": "heard them out", "empathize": "felt for them"}
    answers = draft_answers(home)
    assert answers == {key: expected[key] for key in list(expected)[: (typed + 1) // 2]}


@pytest.mark.parametrize("typed", [1, 3], ids=["at-a-rating", "at-an-answer"])
def test_kill_9_leaves_a_readable_draft_that_resumes(tmp_path: Path, typed: int) -> None:
    home = tmp_path / "home"
    child = typed_until_prompt(RECALL, home, TYPED[:typed])
    child.kill(signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.wait()
    expected = {"listen": "heard them out", "empathize": "felt for them"}
    assert draft_answers(home) == {key: expected[key] for key in list(expected)[: typed // 2 + 1]}
    assert not list((home / "drafts").glob(".tmp-*"))
    resumed = coach_process("resume", input="/s\n" * 40, env={"COACH_HOME": str(home)})
    assert resumed.returncode == 0, resumed.stderr
    (reflection,) = (home / "journal").rglob("*.md")
    assert "heard them out" in reflection.read_text(encoding="utf-8")


def test_the_entry_point_answers_bash_completion_at_once() -> None:
    """`coach <Tab>` in bash: the real entry point answers from a folder listing, the same
    words as Typer's completion (tests/cli/test_completion.py compares the two)."""
    asked = {"_COACH_COMPLETE": "complete_bash", "COMP_WORDS": "coach ap", "COMP_CWORD": "1"}
    probe = "import sys; from servicecoach.startup import launch; launch.main(); " + (
        "print('typer' in sys.modules)"
    )
    answered = subprocess.run(
        [sys.executable, "-c", probe], env={**os.environ, **asked}, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert answered.returncode == 0, answered.stderr
    assert answered.stdout.splitlines() == ["apology", "False"]  # without loading Typer
