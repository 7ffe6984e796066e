"""An interruption at every prompt of a live and a recall run keeps every answer typed so far,
and `coach resume` finishes the run. Driven through pipes (the plain front end); the real
terminal is covered by test_pty_session.py."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")
from pexpect.popen_spawn import PopenSpawn  # noqa: E402

from .conftest import coach  # noqa: E402

PROMPT = " > "
RUNS = {
    # playbook, arguments, the answers typed at each prompt in order (None: skip the prompt
    # check of the answer, e.g. a rating)
    "live": (["apology"], ["one", "two", "three", "four", "five", "1", "4", "tag"]),
    "recall": (
        ["learn", "--recall"],
        [
            "heard",
            "3",
            "felt",
            "",
            "sorry",
            "4",
            "fixed",
            "",
            "y",
            "",
            "friday",
            "",
            "worked",
            "",
            "y",
            "2",
            "5",
            "",
        ],
    ),
}
STOPS = ["SIGINT", "EOF", "SIGTERM", "SIGHUP"]


def start(args: list[str], home: Path) -> PopenSpawn:
    env = {**os.environ, "COACH_HOME": str(home)}
    return PopenSpawn(
        [sys.executable, "-m", "servicecoach", *args], env=env, encoding="utf-8", timeout=60
    )


def typed_until_prompt(args: list[str], home: Path, lines: list[str]) -> PopenSpawn:
    """Start coach, answer `lines` one prompt at a time, and wait at the next prompt."""
    child = start(args, home)
    for line in lines:
        child.expect_exact(PROMPT)
        child.sendline(line)
    child.expect_exact(PROMPT)
    return child


def stop(child: PopenSpawn, how: str) -> int:
    if how == "EOF":
        child.sendeof()
    else:
        child.kill(getattr(signal, how))
    child.expect(pexpect.EOF)
    return child.wait()


def draft_records(home: Path) -> dict[str, dict]:
    drafts = list((home / "drafts").glob("*.json"))
    if not drafts:
        return {}
    (draft,) = drafts
    return json.loads(draft.read_text(encoding="utf-8"))["records"]


@pytest.mark.parametrize("how", STOPS)
@pytest.mark.parametrize("mode", ["live", "recall"])
def test_every_prompt(tmp_path: Path, mode: str, how: str) -> None:
    args, answers = RUNS[mode]
    for typed in range(len(answers)):
        home = tmp_path / f"{typed}"
        child = typed_until_prompt(args, home, answers[:typed])
        status = stop(child, how)
        assert status == 130, (typed, child.before)
        records = draft_records(home)
        answered = [r for r in records.values() if r["status"] == "done"]
        if typed == 0:
            assert records == {}  # nothing typed, nothing kept
            continue
        assert answered, (typed, records)
        texts = [r.get("answer") for r in answered]
        notes = [
            line for line in answers[:typed] if line and not line.isdecimal() and len(line) > 1
        ]
        for note in notes:
            assert note in texts, (typed, note, texts)
        resumed = coach("resume", input="/s\n" * 40, env={"COACH_HOME": str(home)})
        assert resumed.returncode == 0, resumed.stderr
        (reflection,) = (home / "journal").rglob("*.md")
        for note in notes:
            assert note in reflection.read_text(encoding="utf-8")


def test_kill_9_at_every_prompt_leaves_a_readable_draft(tmp_path: Path) -> None:
    args, answers = RUNS["live"]
    for typed in range(1, len(answers)):
        home = tmp_path / f"{typed}"
        child = typed_until_prompt(args, home, answers[:typed])
        child.kill(signal.SIGKILL)
        child.expect(pexpect.EOF)
        child.wait()
        records = draft_records(home)
        assert records["regret"]["answer"] == "one", typed
        assert len(records) == typed
