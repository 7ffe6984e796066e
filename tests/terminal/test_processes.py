"""What only a real process shows: the module entry point, bytes on a real stdin, signals
from outside at the prompts of a piped run, kill -9. In-process, tests/cli/test_interrupts.py
stops a run at every prompt; here each signal is sent for real at an answer and at a rating."""

from __future__ import annotations

import json
import os
import signal
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


def test_kill_9_leaves_a_readable_draft_that_resumes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    child = typed_until_prompt(RECALL, home, TYPED)
    child.kill(signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.wait()
    assert draft_answers(home) == {"listen": "heard them out", "empathize": "felt for them"}
    assert not list((home / "drafts").glob(".tmp-*"))
    resumed = coach_process("resume", input="/s\n" * 40, env={"COACH_HOME": str(home)})
    assert resumed.returncode == 0, resumed.stderr
    (reflection,) = (home / "journal").rglob("*.md")
    assert "felt for them" in reflection.read_text(encoding="utf-8")
