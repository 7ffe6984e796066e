"""Real terminal sessions: `coach` in a pseudo-terminal, typed into the way a person types.

Every test waits for what is on screen (`child.expect`) before it types, and checks both the
screen and what ends up on disk (the reflection's front matter, the draft).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

if sys.platform == "win32":  # pragma: no cover - pseudo-terminals are POSIX only
    pytest.skip("pexpect.spawn needs a POSIX pseudo-terminal", allow_module_level=True)

pexpect = pytest.importorskip("pexpect")

TIMEOUT = 30
PROMPT = "› "  # every question ends with it (U+203A)
ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[=>()][0-9A-Za-z]?"
)
STYLE_GAP = r"(?:\x1b\[[0-9;]*m|\s)*"  # colour codes and spaces between two pieces of a line
DRAFT_ID = r"coach resume (\d{8}-\d{6}-[a-z0-9-]+)"

# Variables that would change what the program shows, or where it writes, if inherited.
DROPPED = (
    "NO_COLOR",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "CI",
    "GITHUB_ACTIONS",
    "COLUMNS",
    "LINES",
    "COACH_DEBUG",
    "COACH_JOURNAL",
    "COACH_PLAYBOOKS",
)


# --- helpers -------------------------------------------------------------------------------


def screen_text(raw: str) -> str:
    """What a person reads: the output without colour and cursor codes."""
    return ANSI.sub("", raw).replace("\r", "")


def card(number: int, total: int, title: str) -> str:
    """A pattern for a step heading, e.g. `3/5 Make restitution` (colour codes in between)."""
    return re.escape(f"{number}/{total}") + STYLE_GAP + re.escape(title)


def coach_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    env["COACH_HOME"] = str(home)
    env["TERM"] = "xterm-256color"
    env["INPUTRC"] = os.devnull  # nobody's key bindings (vi mode, ...) in the way
    env.update(extra)
    return env


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), text[:200]
    end = text.index("\n---\n", 4)
    data = yaml.safe_load(text[4 : end + 1])
    assert isinstance(data, dict)
    return data


def only_reflection(home: Path) -> Path:
    found = sorted((home / "journal").glob("*/*/*.md"))
    assert len(found) == 1, found
    return found[0]


def drafts_in(home: Path) -> list[Path]:
    return sorted((home / "drafts").glob("*.json"))


class Terminal:
    """One `coach` run in a pseudo-terminal of 40 rows by 100 columns."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.log = io.StringIO()
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "servicecoach", *args],
            env=env,
            cwd=str(cwd),
            encoding="utf-8",
            dimensions=(40, 100),
            timeout=TIMEOUT,
        )
        self.child.logfile_read = self.log

    def wait_for(self, *patterns: str) -> None:
        """Wait until each pattern (a regex) has appeared, in order."""
        for pattern in patterns:
            self.child.expect(pattern)

    def prompt(self, *patterns: str) -> None:
        """Wait for `patterns`, the prompt marker, and for line editing to take the keyboard.

        `input()` hands the terminal to readline, which turns the terminal's own echo and line
        editing off. Keys that arrive before that are handled by the terminal instead (echoed
        twice, and Ctrl-D is not necessarily an end of file), which no person's typing ever
        hits; `waitnoecho` waits for exactly that hand-over.
        """
        self.wait_for(*patterns, re.escape(PROMPT))
        assert self.child.waitnoecho(timeout=TIMEOUT), "the prompt never started reading"

    def answer(self, pattern: str, line: str) -> None:
        """At the question matching `pattern`, type `line` and press Enter."""
        self.prompt(pattern)
        self.child.sendline(line)

    def end(self) -> tuple[str, int]:
        """Wait for the program to exit; return what it printed last and its exit status."""
        self.child.expect(pexpect.EOF)
        tail = self.child.before
        self.child.wait()
        self.child.close()
        assert self.child.signalstatus is None, f"killed by signal {self.child.signalstatus}"
        return tail, self.child.exitstatus

    @property
    def raw(self) -> str:
        return self.log.getvalue()

    @property
    def screen(self) -> str:
        return screen_text(self.raw)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "coach-home"


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Callable[..., Terminal]]:
    started: list[Terminal] = []

    def start(*args: str, env: dict[str, str]) -> Terminal:
        term = Terminal(list(args), env, tmp_path)
        started.append(term)
        return term

    yield start
    for term in started:  # a failed test must not leave a coach waiting for input
        if term.child.isalive():
            term.child.terminate(force=True)
        term.child.close(force=True)


def close(term: Terminal, outcome: str, rating: str, tags: str) -> tuple[str, int]:
    """Answer the closing questions, and wait for the end: what was printed last, the status."""
    term.wait_for("Wrapping up")
    term.answer(re.escape("How did it end?"), outcome)
    term.answer(re.escape("How did you handle it overall?"), rating)
    term.answer(re.escape("Tags, comma-separated"), tags)
    return term.end()


def saved_path(tail: str) -> Path:
    """The path after `Saved:`; Rich may fold a long path over lines, so join it back up."""
    text = screen_text(tail)
    assert "Saved:" in text, text
    saved = text.split("Saved:", 1)[1].split("Read it again:", 1)[0]
    return Path(re.sub(r"\s+", "", saved))


# --- 1. a live run, end to end --------------------------------------------------------------


def test_live_apology_with_skip_and_back(terminal: Callable[..., Terminal], home: Path) -> None:
    term = terminal("apology", env=coach_env(home))
    term.wait_for(re.escape("Five languages of apology"), re.escape("live · customer"))
    term.answer(card(1, 5, "Express regret"), "They calmed down")
    term.answer(card(2, 5, "Accept responsibility"), "/s")
    term.answer(card(3, 5, "Make restitution"), "/b")
    # Back on step 2, which was skipped: nothing to keep, so no "Enter keeps" hint.
    term.prompt(card(2, 5, "Accept responsibility"), re.escape("What exactly you're owning"))
    assert "Enter keeps" not in screen_text(term.child.before)
    term.child.sendline("Owning the late refund")
    term.answer(card(3, 5, "Make restitution"), "")  # Enter: done, nothing noted
    term.answer(card(4, 5, "Genuinely repent"), "/s")
    term.answer(card(5, 5, "Request forgiveness"), "They said yes")
    tail, status = close(term, "1", "4", "Refund, VIP customer")

    assert status == 0, term.screen
    path = saved_path(tail)
    assert path == only_reflection(home)
    data = front_matter(path)
    assert data["playbook"] == "apology"
    assert data["mode"] == "live"
    assert data["audience"] == "customer"
    assert data["outcome"] == "resolved"
    assert data["rating"] == 4
    assert data["tags"] == ["refund", "vip-customer"]
    assert data["skipped"] == ["repentance"]
    steps = data["steps"]
    assert list(steps) == ["regret", "responsibility", "restitution", "repentance", "forgiveness"]
    assert steps["regret"] == {"status": "done", "answer": "They calmed down"}
    assert steps["responsibility"] == {"status": "done", "answer": "Owning the late refund"}
    assert steps["restitution"] == {"status": "done"}
    assert steps["repentance"] == {"status": "skipped"}
    assert steps["forgiveness"] == {"status": "done", "answer": "They said yes"}
    assert drafts_in(home) == []  # a finished session leaves no draft behind


# --- 2. a recall run with ratings and wrap-up ------------------------------------------------


def test_recall_learn_for_a_supervisor(terminal: Callable[..., Terminal], home: Path) -> None:
    term = terminal("learn", "--recall", "--audience", "supervisor", env=coach_env(home))
    term.wait_for(re.escape("recall · supervisor"))
    # The supervisor's wording of the recall question, not the customer's.
    term.wait_for(card(1, 6, "Listen"))
    term.answer(re.escape("What did they expect from you, and by when?"), "The report by Friday")
    term.answer(re.escape("Rate this step 1-5"), "six")
    term.wait_for(re.escape("'six' is not a rating; type a whole number from 1 to 5."))
    term.answer(re.escape("Rate this step 1-5"), "9")
    term.wait_for(re.escape("'9' is not a rating; type a whole number from 1 to 5."))
    term.answer(re.escape("Rate this step 1-5"), "4")

    term.answer(card(2, 6, "Empathize"), "Worried about the client")
    term.answer(re.escape("Rate this step 1-5"), "3")
    term.answer(card(3, 6, "Apologize"), "Owned it in one sentence")
    term.answer(re.escape("Rate this step 1-5"), "")  # Enter: no rating for this one
    term.answer(card(4, 6, "Respond and react"), "Redo it tonight")
    term.answer(re.escape("Rate this step 1-5"), "5")
    term.wait_for(card(5, 6, "Notify"))
    term.answer(re.escape("Did you promise to get back to them?") + STYLE_GAP + r"\(y/n", "y")
    term.answer(re.escape("Rate this step 1-5"), "2")
    # Asked only because Notify was answered yes.
    term.answer(card(6, 6, "Follow-up plan"), "Tomorrow 9am by email")
    term.answer(re.escape("Rate this step 1-5"), "4")
    term.answer(re.escape("By when?"), "")  # Enter: no time said (it is in the answer)

    term.wait_for("Wrap-up")
    term.answer(re.escape("Which step made the biggest difference"), "Bringing a plan")
    term.answer(re.escape("What would you do differently next time?"), "")
    term.answer(
        re.escape("Is the follow-up in your calendar?") + STYLE_GAP + re.escape("(y/n"), "maybe"
    )
    term.wait_for(re.escape("'maybe' is not yes or no; type y or n."))
    term.answer(
        re.escape("Is the follow-up in your calendar?") + STYLE_GAP + re.escape("(y/n"), "yes"
    )
    term.wait_for("Wrapping up")
    term.answer(re.escape("How did it end?"), "follow")  # an unambiguous start of a name
    term.answer(re.escape("How did you handle it overall?"), "3")
    term.answer(re.escape("Tags"), "deadline")
    tail, status = term.end()

    assert status == 0, term.screen
    data = front_matter(saved_path(tail))
    assert data["playbook"] == "learn"
    assert data["mode"] == "recall"
    assert data["audience"] == "supervisor"
    assert data["outcome"] == "follow-up"
    assert data["rating"] == 3
    assert data["tags"] == ["deadline"]
    assert data["skipped"] == []
    steps = data["steps"]
    assert steps["listen"] == {"status": "done", "answer": "The report by Friday", "rating": 4}
    assert steps["empathize"] == {
        "status": "done",
        "answer": "Worried about the client",
        "rating": 3,
    }
    assert steps["apologize"] == {"status": "done", "answer": "Owned it in one sentence"}
    assert steps["respond"] == {"status": "done", "answer": "Redo it tonight", "rating": 5}
    assert steps["notify"] == {"status": "done", "answer": True, "rating": 2}
    assert steps["follow-up"] == {
        "status": "done",
        "answer": "Tomorrow 9am by email",
        "rating": 4,
    }
    assert data["wrap_up"] == {
        "worked": {"status": "done", "answer": "Bringing a plan"},
        "differently": {"status": "done"},
        "reminder": {"status": "done", "answer": True},
    }


# --- 3. Ctrl-C, then resume --------------------------------------------------------------


def test_ctrl_c_keeps_a_draft_and_resume_finishes_it(
    terminal: Callable[..., Terminal], home: Path
) -> None:
    env = coach_env(home)
    term = terminal("apology", env=env)
    term.answer(card(1, 5, "Express regret"), "first answer")
    term.answer(card(2, 5, "Accept responsibility"), "second answer")
    term.prompt(card(3, 5, "Make restitution"))
    term.child.send("\x03")  # Ctrl-C
    term.wait_for(re.escape("Draft saved (2 answered).") + r"\s+Continue with: " + DRAFT_ID)
    draft_id = term.child.match.group(1)
    tail, status = term.end()
    assert status == 130
    assert "Traceback" not in term.screen

    draft = home / "drafts" / f"{draft_id}.json"
    assert drafts_in(home) == [draft]
    records = json.loads(draft.read_text(encoding="utf-8"))["records"]
    assert records["regret"]["answer"] == "first answer"
    assert records["responsibility"]["answer"] == "second answer"
    assert "restitution" not in records

    again = terminal("resume", draft_id, env=env)
    again.wait_for(re.escape(f"resuming {draft_id} · 2 answered"))
    again.prompt(card(3, 5, "Make restitution"))
    assert "Express regret" not in again.screen  # it continues, it does not start over
    again.child.sendline("third answer")
    again.answer(re.escape("By when, if it comes later?"), "")  # done then: no follow-up
    again.answer(card(4, 5, "Genuinely repent"), "")
    again.answer(card(5, 5, "Request forgiveness"), "")
    again.answer(re.escape("How did it end?"), "2")
    again.answer(re.escape("How did you handle it overall?"), "")
    again.answer(re.escape("Tags"), "")
    tail, status = again.end()

    assert status == 0, again.screen
    data = front_matter(saved_path(tail))
    assert data["playbook"] == "apology"
    assert data["outcome"] == "follow-up"
    assert data["rating"] is None
    assert data["steps"]["regret"]["answer"] == "first answer"
    assert data["steps"]["responsibility"]["answer"] == "second answer"
    assert data["steps"]["restitution"]["answer"] == "third answer"
    assert not draft.exists()
    assert drafts_in(home) == []


# --- 4. EOF (Ctrl-D) ------------------------------------------------------------------------


def test_ctrl_d_keeps_a_draft(terminal: Callable[..., Terminal], home: Path) -> None:
    term = terminal("apology", env=coach_env(home))
    term.answer(card(1, 5, "Express regret"), "only answer")
    term.prompt(card(2, 5, "Accept responsibility"))
    term.child.sendeof()  # Ctrl-D at an empty prompt
    term.wait_for(re.escape("Draft saved (1 answered).") + r"\s+Continue with: " + DRAFT_ID)
    draft_id = term.child.match.group(1)
    _, status = term.end()

    assert status == 130
    assert "Traceback" not in term.screen
    draft = home / "drafts" / f"{draft_id}.json"
    assert drafts_in(home) == [draft]
    state = json.loads(draft.read_text(encoding="utf-8"))
    assert state["records"] == {
        "regret": {"status": "done", "answer": "only answer", "rating": None}
    }
    assert not (home / "journal").exists()


def test_ctrl_d_before_any_answer_keeps_nothing(
    terminal: Callable[..., Terminal], home: Path
) -> None:
    term = terminal("apology", env=coach_env(home))
    term.prompt(card(1, 5, "Express regret"))
    term.child.sendeof()
    term.wait_for(re.escape("Stopped before any answer; nothing to keep."))
    _, status = term.end()
    assert status == 130
    assert drafts_in(home) == []


# --- 5. piped stdin (no terminal) ------------------------------------------------------------


# --- 6. markup and escape sequences stay text ------------------------------------------------

HOSTILE = r"""
title: "Hostile [bold red]x[/bold red] playbook"
summary: Text that Rich markup or a terminal would otherwise act on.
modes: [live]
outcome: false
steps:
  - id: first
    title: "Loud [bold red]x[/bold red] \e[2J title"
    say: "Say [bold red]x[/bold red] then \e[2J clear"
    do: "Do [link=http://evil]this[/link]"
    ask: "Note it:"
  - id: second
    title: Quiet step
    ask: "Second:"
"""


def test_markup_and_escapes_are_shown_as_text(
    terminal: Callable[..., Terminal], home: Path, tmp_path: Path
) -> None:
    team = tmp_path / "team-playbooks"
    team.mkdir()
    (team / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    typed = "[link=http://x]y[/link] and [bold]z[/bold]"

    term = terminal("hostile", env=coach_env(home, COACH_PLAYBOOKS=str(team)))
    term.answer(card(1, 2, "Loud [bold red]x[/bold red] \\x1b[2J title"), typed)
    term.answer(card(2, 2, "Quiet step"), "/b")
    # Back on step 1, the typed answer is offered again, still as literal text.
    term.answer(re.escape(f"Enter keeps: {typed}"), "")
    term.answer(card(2, 2, "Quiet step"), "")
    term.answer(re.escape("How did it go overall?"), "")
    term.answer(re.escape("Tags"), "")
    tail, status = term.end()

    assert status == 0, term.screen
    screen = term.screen
    assert "Hostile [bold red]x[/bold red] playbook" in screen
    assert "Say [bold red]x[/bold red] then \\x1b[2J clear" in screen
    assert "Do [link=http://evil]this[/link]" in screen
    assert "\x1b[2J" not in term.raw  # the playbook's ESC never reaches the terminal
    assert "\x1b]8;" not in term.raw  # nor does a hyperlink made from [link=...]
    data = front_matter(saved_path(tail))
    assert data["title"] == "Hostile [bold red]x[/bold red] playbook"
    assert data["steps"]["first"] == {"status": "done", "answer": typed}


# --- screen layout ---------------------------------------------------------------------------


def test_enter_on_an_empty_answer_starts_a_new_line(
    terminal: Callable[..., Terminal], home: Path
) -> None:
    """Enter alone (the commonest key) must end the prompt's line: the next card's box starts
    on a line of its own instead of after the prompt, where it would wrap and break."""
    term = terminal("apology", env=coach_env(home))
    term.prompt(card(1, 5, "Express regret"))
    term.child.sendline("")
    term.wait_for("╭")  # the top left corner of the next cue card
    between = term.child.before
    term.prompt(card(2, 5, "Accept responsibility"))
    term.child.send("\x03")
    _, status = term.end()
    assert status == 130
    assert "\n" in between, f"the card starts on the prompt line: {between!r}"


# --- bugs found while writing these tests ----------------------------------------------------


def test_ctrl_c_at_the_rating_keeps_the_answer_typed(
    terminal: Callable[..., Terminal], home: Path
) -> None:
    term = terminal("learn", "--recall", env=coach_env(home))
    term.answer(card(1, 6, "Listen"), "first complaint")
    term.answer(re.escape("Rate this step 1-5"), "3")
    term.answer(card(2, 6, "Empathize"), "a long answer I do not want to type again")
    term.prompt(re.escape("Rate this step 1-5"))
    term.child.send("\x03")
    term.wait_for(DRAFT_ID)
    draft_id = term.child.match.group(1)
    _, status = term.end()
    assert status == 130
    records = json.loads((home / "drafts" / f"{draft_id}.json").read_text(encoding="utf-8"))[
        "records"
    ]
    assert records["listen"]["answer"] == "first complaint"
    assert records.get("empathize", {}).get("answer") == "a long answer I do not want to type again"


ONE_STEP = """
title: One step
summary: The shortest playbook there is.
modes: [live]
outcome: false
steps:
  - id: only
    title: Only step
    ask: "Anything?"
"""


def test_a_long_saved_path_is_printed_unbroken(
    terminal: Callable[..., Terminal], tmp_path: Path
) -> None:
    home = tmp_path / ("a-journal-folder-with-a-long-name-" * 3) / "coach-home"
    team = tmp_path / "team-playbooks"
    team.mkdir()
    (team / "one-step.yaml").write_text(ONE_STEP, encoding="utf-8")

    term = terminal("one-step", env=coach_env(home, COACH_PLAYBOOKS=str(team)))
    term.answer(card(1, 1, "Only step"), "done")
    term.answer(re.escape("How did it go overall?"), "")
    term.answer(re.escape("Tags"), "")
    tail, status = term.end()

    assert status == 0, term.screen
    path = only_reflection(home)
    assert len(str(path)) > 100  # longer than the terminal is wide
    assert str(path) in screen_text(tail), screen_text(tail)


# --- 8. the terminal goes away, or the process is killed -----------------------------------


@pytest.mark.parametrize("signal_name", ["SIGHUP", "SIGTERM"])
def test_a_closed_terminal_keeps_the_draft(
    terminal: Callable[..., Terminal], home: Path, signal_name: str
) -> None:
    import signal

    term = terminal("learn", env=coach_env(home))
    term.answer(card(1, 6, "Listen"), "They were shouting")
    term.prompt(card(2, 6, "Empathize"))
    term.child.kill(getattr(signal, signal_name))
    term.child.expect(pexpect.EOF)
    term.child.wait()
    term.child.close()
    assert term.child.exitstatus == 130
    assert "Traceback" not in term.screen
    (draft,) = drafts_in(home)
    records = json.loads(draft.read_text(encoding="utf-8"))["records"]
    assert records["listen"]["answer"] == "They were shouting"


def test_kill_9_leaves_the_last_draft_readable(
    terminal: Callable[..., Terminal], home: Path
) -> None:
    import signal

    env = coach_env(home)
    term = terminal("apology", env=env)
    term.answer(card(1, 5, "Express regret"), "one")
    term.answer(card(2, 5, "Accept responsibility"), "two")
    term.prompt(card(3, 5, "Make restitution"))
    term.child.kill(signal.SIGKILL)
    term.child.expect(pexpect.EOF)
    term.child.close(force=True)
    (draft,) = drafts_in(home)
    state = json.loads(draft.read_text(encoding="utf-8"))
    assert [state["records"][k]["answer"] for k in ("regret", "responsibility")] == ["one", "two"]
    assert not list((home / "drafts").glob(".tmp-*"))
    again = terminal("resume", draft.stem, env=env)
    again.prompt(card(3, 5, "Make restitution"))
    again.child.send("\x03")
    _, status = again.end()
    assert status == 130


def test_the_interrupt_message_starts_on_its_own_line(
    terminal: Callable[..., Terminal], home: Path
) -> None:
    term = terminal("apology", env=coach_env(home))
    term.answer(card(1, 5, "Express regret"), "one")
    term.prompt(card(2, 5, "Accept responsibility"))
    term.child.send("\x03")
    term.end()
    lines = term.screen.splitlines()
    assert any(line.startswith("coach: Draft saved (1 answered).") for line in lines), lines[-3:]


def test_no_color_means_no_colour_codes(terminal: Callable[..., Terminal], home: Path) -> None:
    term = terminal("apology", env=coach_env(home, NO_COLOR="1"))
    term.prompt(card(1, 5, "Express regret"))
    term.child.send("\x03")
    term.end()
    colours = [
        params
        for params in re.findall(r"\x1b\[([0-9;]*)m", term.raw)
        if any(
            p.isdigit() and (30 <= int(p) <= 38 or 90 <= int(p) <= 97) for p in params.split(";")
        )
    ]
    assert colours == []
    assert "Express regret" in term.raw


def test_resume_with_several_drafts_asks_which(
    terminal: Callable[..., Terminal], home: Path
) -> None:
    env = coach_env(home)
    for playbook, title, total in (("apology", "Express regret", 5), ("learn", "Listen", 6)):
        term = terminal(playbook, env=env)
        term.answer(card(1, total, title), f"answer for {playbook}")
        term.prompt(card(2, total, ""))
        term.child.send("\x03")
        assert term.end()[1] == 130
    again = terminal("resume", env=env)
    again.prompt(re.escape("Which draft? 1-2 (Enter: 1)"))
    assert "apology" in again.screen and "learn" in again.screen
    again.child.sendline("2")  # the older one: apology
    again.prompt(card(2, 5, "Accept responsibility"))
    again.child.send("\x03")
    assert again.end()[1] == 130


def test_the_whole_card_at_a_glance_then_back_to_the_step(
    terminal: Callable[..., Terminal], home: Path
) -> None:
    term = terminal("learn", env=coach_env(home))
    term.prompt(card(1, 6, "Listen"))
    term.child.sendline("/c")
    term.wait_for(re.escape("LEARN"), re.escape("at a glance"))
    term.prompt(card(1, 6, "Listen"))  # the current step again, ready for its answer
    assert "5 Notify" in term.screen and "↳ Follow-up plan" in term.screen  # a branch
    term.child.sendline("heard them out")
    term.prompt(card(2, 6, "Empathize"))
    term.child.send("\x03")
    assert term.end()[1] == 130
    (draft,) = drafts_in(home)
    assert json.loads(draft.read_text())["records"]["listen"]["answer"] == "heard them out"


def test_a_long_answer_in_the_editor(
    terminal: Callable[..., Terminal], home: Path, tmp_path: Path
) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[-1])\n"
        "p.write_text(p.read_text() + 'and a second line from the editor\\n')\n"
    )
    env = coach_env(home, EDITOR=f"{sys.executable} {editor}", VISUAL="")
    term = terminal("learn", env=env)
    term.answer(card(1, 6, "Listen"), "first line typed /e")
    term.prompt(card(2, 6, "Empathize"))
    term.child.send("\x03")
    assert term.end()[1] == 130
    (draft,) = drafts_in(home)
    answer = json.loads(draft.read_text())["records"]["listen"]["answer"]
    assert answer == "first line typed\nand a second line from the editor"


def test_ctrl_c_inside_the_editor_belongs_to_the_editor(
    terminal: Callable[..., Terminal], home: Path, tmp_path: Path
) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(  # like vim: ignores Ctrl-C itself; the terminal sends it to everyone
        "import os, pathlib, signal, sys\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "os.killpg(os.getpgrp(), signal.SIGINT)\n"
        "pathlib.Path(sys.argv[-1]).write_text('written after a Ctrl-C\\n')\n"
    )
    term = terminal("learn", env=coach_env(home, EDITOR=f"{sys.executable} {editor}", VISUAL=""))
    term.answer(card(1, 6, "Listen"), "/e")
    term.prompt(card(2, 6, "Empathize"))  # coach went on: the Ctrl-C was the editor's
    term.child.send("\x03")
    assert term.end()[1] == 130
    (draft,) = drafts_in(home)
    assert json.loads(draft.read_text())["records"]["listen"]["answer"] == "written after a Ctrl-C"


@pytest.mark.parametrize("stop", ["Ctrl-C", "SIGTERM", "SIGHUP"])
def test_the_line_being_typed_is_kept_and_put_back_on_resume(
    terminal: Callable[..., Terminal], home: Path, stop: str
) -> None:
    import signal

    env = coach_env(home)
    term = terminal("apology", env=env)
    term.answer(card(1, 5, "Express regret"), "first answer")
    term.prompt(card(2, 5, "Accept responsibility"))
    term.child.send("we billed them tw")
    term.wait_for(re.escape("we billed them tw"))  # on the line, Enter not pressed
    if stop == "Ctrl-C":
        term.child.send("\x03")
    else:
        term.child.kill(getattr(signal, stop))
    term.child.expect(pexpect.EOF)
    term.child.wait()
    term.child.close()
    assert term.child.exitstatus == 130, term.screen
    (draft,) = drafts_in(home)
    state = json.loads(draft.read_text(encoding="utf-8"))
    assert state["unfinished"] == {"responsibility": "we billed them tw"}

    again = terminal("resume", draft.stem, env=env)
    again.prompt(card(2, 5, "Accept responsibility"))
    again.wait_for(re.escape("we billed them tw"))  # put back on the line, ready to finish
    again.child.sendline("ice")
    again.prompt(card(3, 5, "Make restitution"))
    again.child.sendline("/q")
    _, status = again.end()
    assert status == 0, again.screen
    records = json.loads(draft.read_text(encoding="utf-8"))["records"]
    assert records["responsibility"]["answer"] == "we billed them twice"
    assert json.loads(draft.read_text(encoding="utf-8"))["unfinished"] == {}


# --- the card and its prompt tell the truth, at 60 columns too ---------------------------------


def test_enter_at_a_required_step_is_told_once_without_redrawing(
    terminal: Callable[..., Terminal], home: Path
) -> None:
    term = terminal("learn", "--recall", env=coach_env(home))
    term.prompt(card(1, 6, "Listen"), re.escape("(needs an answer, or /s)"))
    term.child.sendline("")  # Enter alone: refused, as the prompt said
    term.prompt(re.escape("This one needs an answer; type it, or /s to skip."))
    term.child.sendline("They wanted it by Friday")
    term.prompt(re.escape("Rate this step 1-5"))
    assert term.screen.count("1/6") == 1  # the step's heading is not drawn again
    term.child.sendcontrol("c")
    term.end()


def test_a_card_at_60_columns_keeps_its_time_and_stays_short(home: Path) -> None:
    child = pexpect.spawn(
        sys.executable, ["-m", "servicecoach", "apology"], env=coach_env(home),
        encoding="utf-8", dimensions=(30, 60), timeout=TIMEOUT,
    )  # fmt: skip
    child.expect(re.escape(PROMPT))
    shown = screen_text(child.before)
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    lines = shown.splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("╭"))
    bottom = next(i for i, line in enumerate(lines) if line.startswith("╰"))
    assert bottom - top + 1 <= 10  # the card, border to border
    assert re.search(r"─ 00:0\d ─╯$", lines[bottom])  # the time, whole, in the border
    assert all(len(line) <= 60 for line in lines)
    keys = [line for line in lines if "/s skip" in line]
    assert len(keys) == 1 and "/? help" in keys[0]  # the keys once, on one line


def _seen(raw: str, rows: int, columns: int) -> Any:
    """The screen a terminal emulator draws from everything the program wrote."""
    pyte = pytest.importorskip("pyte")
    screen = pyte.Screen(columns, rows)
    pyte.Stream(screen).feed(raw)
    return screen


def test_the_cards_time_ticks_while_the_rep_types(home: Path) -> None:
    """At 60 columns the time in the card's border moves on each second, while the rep types a
    line that wraps and moves the cursor back into it: the typed line, the cursor and the card
    stay as they were, and the answer is saved as typed."""
    log = io.StringIO()
    child = pexpect.spawn(
        sys.executable, ["-m", "servicecoach", "apology"], env=coach_env(home),
        encoding="utf-8", dimensions=(30, 60), timeout=TIMEOUT,
    )  # fmt: skip
    child.logfile_read = log
    child.expect(re.escape(PROMPT))
    assert child.waitnoecho(timeout=TIMEOUT)
    typed = "They were upset about the late refund and wanted it today"
    child.send(typed)
    child.expect("today")
    child.send("\x1b[D" * 30)  # the cursor back, to the row above, as a person corrects
    shown = int(re.findall(r"(\d\d):(\d\d) ─╯", screen_text(log.getvalue()))[-1][1])
    child.expect(rf"00:{shown + 2:02d}{STYLE_GAP}─╯")  # two ticks later, the cursor moved
    screen = _seen(log.getvalue(), 30, 60)
    lines = [line.rstrip() for line in screen.display]
    borders = [i for i, line in enumerate(lines) if line.startswith("╰")]
    assert len(borders) == 1  # drawn over itself, never over another row
    bottom = borders[0]
    ticked = re.fullmatch(r"╰─+ 00:(\d\d) ─╯", lines[bottom])
    assert ticked and int(ticked.group(1)) >= shown + 2
    line = "How they reacted › " + typed  # 76 characters: 60 on the first row
    assert lines[bottom + 1] + lines[bottom + 2] == line
    assert (screen.cursor.y, screen.cursor.x) == (bottom + 1, len(line) - 30)
    assert lines[bottom - 8].startswith("╭─ 1/5 Express regret")  # the card untouched
    child.send("X\r")  # typed where the cursor is: the line readline kept is the saved one
    child.expect(card(2, 5, "Accept responsibility"))
    child.expect(re.escape(PROMPT))
    child.sendcontrol("c")
    child.expect(DRAFT_ID)
    draft = home / "drafts" / f"{child.match.group(1)}.json"
    child.expect(pexpect.EOF)
    child.close()
    records = json.loads(draft.read_text(encoding="utf-8"))["records"]
    assert records["regret"]["answer"] == typed[:-30] + "X" + typed[-30:]


# --- promises kept ------------------------------------------------------------------------------


def test_a_promise_made_live_is_kept_with_coach_followups(
    terminal: Callable[..., Terminal], home: Path
) -> None:
    env = coach_env(home)
    term = terminal("learn", env=env)
    for number, title in enumerate(["Listen", "Empathize", "Apologize", "Respond and react"], 1):
        term.answer(card(number, 6, title), f"step {number}")
    term.answer(card(5, 6, "Notify"), "y")
    term.answer(card(6, 6, "Follow-up plan"), "Call back with the refund number")
    term.answer(re.escape("By when?"), "tomorrow 10am")
    tail, status = close(term, "2", "", "")
    assert status == 0, term.screen
    path = saved_path(tail)
    before = path.read_text(encoding="utf-8")
    assert front_matter(path)["follow_ups"][0]["status"] == "open"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "servicecoach", *args], env={**env, "COLUMNS": "200"},
            capture_output=True, text=True, timeout=TIMEOUT,
        )  # fmt: skip

    listed = run("followups")
    assert "due tomorrow 10:00" in listed.stdout
    assert "Call back with the refund number" in listed.stdout and path.stem in listed.stdout
    assert run("followups", "done", path.stem).returncode == 0
    assert run("followups").stdout.strip() == "No open follow-ups."
    after = path.read_text(encoding="utf-8")
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert [new.split(":")[0] for _, new in changed] == ["  status", "  done"]
    assert front_matter(path)["follow_ups"][0]["status"] == "done"  # it still parses


def test_share_shows_what_it_will_write_and_asks(
    terminal: Callable[..., Terminal], home: Path, tmp_path: Path
) -> None:
    from ..journal_fixture import at, write

    write(home / "journal", "learn", at("2026-11-20", "09:30"), {"listen": "kept at home"})
    team = tmp_path / "team"
    term = terminal("share", "last", "--to", str(team), env=coach_env(home))
    term.wait_for(re.escape('"playbook": "learn"'), re.escape("Share this as"))
    assert "kept at home" not in term.screen
    term.child.sendline("n")
    term.wait_for(re.escape("Not shared."))
    assert term.end()[1] == 0 and not team.exists()
    again = terminal("share", "last", "--to", str(team), env=coach_env(home))
    again.wait_for(re.escape("Share this as"))
    again.child.sendline("y")
    again.wait_for(re.escape("Shared:"))
    assert again.end()[1] == 0
    assert len(list(team.rglob("*.json"))) == 1
