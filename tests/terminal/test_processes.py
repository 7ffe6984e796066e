"""What only a real process shows: the module entry point, bytes on a real stdin, signals
from outside at the prompts of a piped run, kill -9. In-process, tests/cli/test_interrupts.py
stops a run at every prompt; here each signal is sent for real at an answer and at a rating."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from pexpect.popen_spawn import PopenSpawn

from servicecoach.journal.entry import split_front_matter

from ..conftest import REPO, coach_process
from ..journal_fixture import at, day, write


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


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
def test_an_export_onto_a_terminal_shows_escapes_as_text(tmp_path: Path, fmt: str) -> None:
    home = tmp_path / "home"
    write(home / "journal", "apology", at(day(0)), {"regret": "calm \x1b[2J\x9b31m\x07 now"})
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    child = pexpect.spawn(
        sys.executable, ["-m", "servicecoach", "journal", "export", "--format", fmt],
        env={**env, "COACH_HOME": str(home), "TERM": "xterm-256color"}, encoding="utf-8",
        dimensions=(40, 200), timeout=60,
    )  # fmt: skip
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "calm \\x1b[2J" in child.before or "calm \\u001b[2J" in child.before
    assert not re.findall(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]", child.before)


@pytest.mark.parametrize("args", [["playbooks", "show", "apology"], ["apology", "--dry-run"]])
def test_an_encoding_that_cannot_carry_a_character_gets_a_question_mark(args: list[str]) -> None:
    shown = coach_process(*args, input=b"\n" * 8, env={"PYTHONIOENCODING": "latin-1"})
    assert shown.returncode in (0, 130), shown.stderr
    assert b"Traceback" not in shown.stderr and b"unexpected" not in shown.stderr
    assert b"?" in shown.stdout  # where a curly quote or a box corner could not go


def test_closed_standard_streams_are_a_sentence(tmp_path: Path) -> None:
    env = {**os.environ, "COACH_HOME": str(tmp_path / "home"), "COLUMNS": "100"}
    command = [sys.executable, "-m", "servicecoach"]
    closed_out = subprocess.run([*command, "playbooks", "list"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, close_fds=True,
                                preexec_fn=lambda: os.close(1), timeout=60)  # fmt: skip
    assert closed_out.returncode == 1
    assert closed_out.stderr == "coach: Cannot write to standard output: it is closed.\n"
    closed_in = subprocess.run([*command, "apology"], env=env, stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, preexec_fn=lambda: os.close(0),
                               timeout=60)  # fmt: skip
    assert closed_in.returncode == 130
    assert closed_in.stderr == "coach: Stopped before any answer; nothing to keep.\n"


def test_a_full_disk_under_standard_output_is_a_sentence(tmp_path: Path) -> None:
    env = {**os.environ, "COACH_HOME": str(tmp_path / "home"), "COLUMNS": "100"}
    for args in (["playbooks", "list"], ["playbooks", "list", "--json"], ["--help"]):
        with open("/dev/full", "w") as full:
            result = subprocess.run(
                [sys.executable, "-m", "servicecoach", *args], env=env, stdout=full,
                stderr=subprocess.PIPE, text=True, timeout=60,
            )  # fmt: skip
        assert result.returncode == 1, args
        assert result.stderr == "coach: Cannot write to standard output: the disk is full.\n"


def test_json_into_a_pipe_keeps_every_character_whatever_the_locale(coach_home: Path) -> None:
    write(coach_home / "journal", "apology", at(day(0)), {"regret": "“sorry” 🙂"})
    exported = coach_process(
        "journal", "export", "-f", "json", input=b"", env={"PYTHONIOENCODING": "latin-1"}
    )
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout.decode("utf-8"))[0]["steps"]["regret"]["answer"] == (
        "“sorry” 🙂"
    )
