"""An interruption at every prompt of a live and a recall run keeps every answer typed so far,
and `coach resume` finishes the run.

In-process and piped (the plain front end): at each prompt the run is stopped four ways, by
end of input and by SIGINT, SIGTERM and SIGHUP sent to this very process while it waits for the
line, as a person's Ctrl-C, a closed terminal or `kill` would. What the draft held on disk at
that moment, before coach could react, is what `kill -9` would leave. Real processes and a real
terminal get the same signals in tests/terminal/."""

from __future__ import annotations

import io
import json
import os
import signal
from pathlib import Path

import pytest

from ..conftest import coach

DUE = "tomorrow 10am"
"""A due time: kept as the time it names, not as typed."""
RUNS = {
    # playbook and options, then the answer typed at each prompt in order
    "live": (["apology"], ["one", "two", "three", "", "four", "five", "1", "4", "tag"]),
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
            DUE,
            "worked",
            "",
            "y",
            "2",
            "5",
            "",
        ],
    ),
}
CLOSING = {"live": 6, "recall": 16}
"""The first of the closing questions (all optional): an end of input there saves the
reflection, as if Enter were pressed at each of them."""
STOPS = ["EOF", "SIGINT", "SIGTERM", "SIGHUP"]
PROMPTS = [(mode, typed) for mode, (_, answers) in RUNS.items() for typed in range(len(answers))]


def draft_records(home: Path) -> dict[str, dict]:
    drafts = list((home / "drafts").glob("*.json"))
    if not drafts:
        return {}
    (draft,) = drafts
    text = draft.read_text(encoding="utf-8")
    return json.loads(text)["records"] if text else {}  # empty: reserved, nothing saved yet


class StopAt(io.StringIO):
    """Piped answers; at the prompt after the last one, the stop `how`."""

    def __init__(self, lines: list[str], how: str, home: Path) -> None:
        super().__init__("".join(f"{line}\n" for line in lines))
        self.how = how
        self.home = home
        self.on_disk: dict[str, dict] | None = None

    def readline(self, size: int | None = -1) -> str:
        line = super().readline(size)
        if line:
            return line
        self.on_disk = draft_records(self.home)  # all that kill -9 would leave at this prompt
        if self.how == "EOF":
            return line
        os.kill(os.getpid(), getattr(signal, self.how))  # raises here, as it would in input()
        raise AssertionError(f"{self.how} did not interrupt the prompt")


@pytest.mark.parametrize(("mode", "typed"), PROMPTS)
def test_every_prompt(tmp_path: Path, mode: str, typed: int) -> None:
    args, answers = RUNS[mode]
    notes = [
        line
        for line in answers[:typed]
        if line and not line.isdecimal() and len(line) > 1 and line != DUE
    ]
    kept = []
    for how in STOPS:
        home = tmp_path / how
        stdin = StopAt(answers[:typed], how, home)
        result = coach(*args, stdin=stdin, env={"COACH_HOME": str(home)})
        if how == "EOF" and typed >= CLOSING[mode]:
            assert result.returncode == 0, (result.stdout, result.stderr)
            (reflection,) = (home / "journal").rglob("*.md")
            assert all(note in reflection.read_text(encoding="utf-8") for note in notes)
            assert draft_records(home) == {}
            continue
        assert result.returncode == 130, (how, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        records = draft_records(home)
        assert stdin.on_disk == records, how  # saved as typed, not only when stopped
        if typed == 0:
            assert records == {}  # nothing typed, nothing kept
            assert "Stopped before any answer; nothing to keep." in result.stderr
            continue
        assert f"Draft saved ({len(records)} answered)" in result.stderr
        texts = [r.get("answer") for r in records.values() if r["status"] == "done"]
        for note in notes:
            assert note in texts, (how, note, texts)
        if mode == "live":
            assert len(records) == typed  # one record per answer, each on disk at once
        kept.append(records)
    assert all(records == kept[0] for records in kept)  # however it stopped, the same draft
    if typed:
        home = tmp_path / "SIGINT"
        resumed = coach("resume", input="/s\n" * 40, env={"COACH_HOME": str(home)})
        assert resumed.returncode == 0, resumed.stderr
        (reflection,) = (home / "journal").rglob("*.md")
        for note in notes:
            assert note in reflection.read_text(encoding="utf-8")
