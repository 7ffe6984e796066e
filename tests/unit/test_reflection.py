"""Reflections: golden files with a fixed clock, front matter that parses back, hostile text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from servicecoach.engine.session import Record, Session, drive, replay
from servicecoach.errors import AnswerError
from servicecoach.journal.entry import split_front_matter
from servicecoach.journal.files import save_reflection
from servicecoach.journal.reflection import render
from servicecoach.playbooks.loading import load_playbook

from ..conftest import FIXTURES
from ..scripted import START, Clock, Script

GOLDEN = Path(__file__).parents[1] / "golden"


def session_for(mode: str, audience: str = "customer") -> Session:
    playbook = load_playbook(FIXTURES / "refund.yaml")
    return Session.start(playbook, mode, audience, START, "d")  # type: ignore[arg-type]


def finished(session: Session, lines: list[str], ratings: list[str] = ()) -> Session:
    clock = Clock(step=30)
    drive(session, Script(lines, ratings), clock, lambda state: None)
    session.finish(clock())
    return session


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"differs from {path}; UPDATE_GOLDEN=1"


def test_live_reflection_matches_golden_file() -> None:
    session = finished(
        session_for("live"),
        ["They were charged twice", "1", "y", "Friday 10:00", "/s", "4", "1", "5", "billing"],
    )
    check_golden("refund-live.md", render(session))


def test_recall_reflection_matches_golden_file() -> None:
    session = finished(
        session_for("recall", "supervisor"),
        ["Charged twice", "store", "n", "", "2", "Ask sooner", "follow-up", "3", ""],
        ratings=["4", "3", "", ""],
    )
    check_golden("refund-recall-supervisor.md", render(session))


def test_front_matter_parses_back_and_body_is_commonmark_shaped() -> None:
    session = finished(
        session_for("live"),
        ["They were charged twice", "1", "y", "Friday 10:00", "/s", "4", "1", "5", "billing"],
    )
    data, body = split_front_matter(render(session))
    assert data == yaml.safe_load(render(session).split("---\n")[1])
    assert data["format"] == 1
    assert data["playbook"] == "refund"
    assert data["playbook_version"] == 3
    assert data["mode"] == "live"
    assert data["started"] == "2026-11-26T14:30:00+01:00"
    assert data["duration_s"] == 270
    assert data["outcome"] == "resolved"
    assert data["rating"] == 5
    assert data["tags"] == ["billing"]
    assert data["skipped"] == ["checks"]
    assert data["steps"]["offer"] == {"status": "done", "answer": "full refund"}
    assert data["steps"]["when"] == {"status": "done", "answer": "Friday 10:00"}
    headings = [line for line in body.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 1. Listen",
        "## 2. Offer",
        "## 3. Promise",
        "## 4. Follow-up",
        "## 5. Checks",
        "## 6. Calm",
        "## Summary",
    ]


HOSTILE = [
    "---",
    "a\n---\nb",
    "[bold red]not markup[/bold red] [link=http://x]y[/link]",
    "\x1b[2J\x1b]8;;http://evil\x07link\x1b]8;;\x07\x07",
    "key: value # not a comment",
    "'quotes\" and {braces} & *star !tag %percent @at `tick`",
    "x" * 5000,
    "nul\x00byte",
    "Ünïcødé — 日本語 — 🙂 — \u202eRTL",
    "...",
    "# heading?",
    "next\x85line \u2028 and \u2029 (YAML line breaks, found by the fuzz test)",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_any_answer_round_trips_through_the_file(text: str, tmp_path: Path) -> None:
    session = session_for("live")
    replay(session, {"listen": text, "tags": "x"}, "answers.yaml")
    session.finish(START)
    path = save_reflection(tmp_path, START, "refund", render(session))
    data, body = split_front_matter(path.read_text(encoding="utf-8"))
    assert data["steps"]["listen"]["answer"] == text
    assert data["playbook"] == "refund"
    assert "\x1b" not in body and "\x07" not in body and "\x00" not in body
    headings = [line for line in body.splitlines() if line.startswith("## ")]
    assert headings[0] == "## 1. Listen" and headings[-1] == "## Summary"
    assert len(headings) == 7


def test_answers_file_values_are_checked_against_each_kind() -> None:
    cases = [
        ({"offer": "free money"}, "offer: 'free money' is not one of: full refund"),
        ({"calm": 9}, "calm: 9 is not a rating from 1 to 5"),
        ({"calm": "six"}, "calm: 'six' is not a rating from 1 to 5"),
        ({"promised": "perhaps"}, "promised: 'perhaps' is not yes or no"),
        ({"checks": ["receipt", "horoscope"]}, "checks: 'horoscope' is not one of"),
        ({"outcome": "won"}, "outcome: 'won' is not one of: resolved, follow-up, escalated"),
        ({"nonsense": 1}, "'nonsense' is not a step of 'refund'"),
        ({"lesson": "x"}, "'lesson' is a wrap-up question, asked only with --recall"),
        ({"listen": {"answer": "x", "score": 2}}, "listen: unknown key 'score'"),
        ({"listen": {"answer": "x", "rating": 9}}, "listen: rating: 9 is not a rating from 1 to 5"),
    ]
    for data, message in cases:
        with pytest.raises(AnswerError, match=message.replace("(", r"\(")):
            replay(session_for("live"), data, "answers.yaml")


def test_answers_file_fills_a_recall_session() -> None:
    session = session_for("recall")
    replay(
        session,
        {
            "listen": {"answer": "charged twice", "rating": 4},
            "offer": "store credit",
            "promised": False,
            "checks": ["receipt", "policy"],
            "calm": {"skipped": True},
            "lesson": "Check the account first",
            "outcome": "escalated",
            "rating": 3,
            "tags": ["billing", "Double Charge"],
        },
        "answers.yaml",
    )
    assert session.done
    records = session.state.records
    assert records["listen"].rating == 4
    assert records["checks"].answer == ["receipt", "policy"]
    assert records["calm"].status == "skipped"
    assert session.answer_of("tags") == ["billing", "double-charge"]


def test_answers_to_steps_a_changed_playbook_dropped_are_kept(tmp_path: Path) -> None:
    playbook = load_playbook(FIXTURES / "refund.yaml")
    session = Session.start(playbook, "live", "customer", START, "d")
    session.state.records["old-step"] = Record(status="done", answer="Words worth keeping")
    session.finish(START)
    data, body = split_front_matter(render(session))
    assert data["removed_steps"] == {
        "old-step": {"status": "done", "answer": "Words worth keeping"}
    }
    assert "Words worth keeping" in body


def test_the_longest_answers_coach_takes_make_a_file_the_journal_reads_back(
    tmp_path: Path,
) -> None:
    """What coach writes, coach reads: every free-text answer at the longest an answer may be,
    in the characters that grow most when written (four-byte emoji, and control characters
    the body shows as four-character escapes), still makes a reflection the journal reads."""
    from servicecoach.engine.answers import MAX_ANSWER
    from servicecoach.journal.index import read_file

    session = session_for("recall")
    longest = {
        "listen": "🙂" * MAX_ANSWER,
        "when": "\x01" * MAX_ANSWER,
        "lesson": "é" * MAX_ANSWER,
        "promised": True,
    }
    replay(session, longest, "answers.yaml")
    session.finish(START)
    path = save_reflection(tmp_path, START, "refund", render(session))
    entry = read_file(path, path.name)
    assert entry.steps["listen"]["answer"] == longest["listen"]
    assert entry.steps["when"]["answer"] == longest["when"]
    assert entry.wrap_up["lesson"]["answer"] == longest["lesson"]


def test_an_answer_longer_than_coach_keeps_is_refused_with_how_long_it_may_be() -> None:
    from servicecoach.engine.answers import MAX_ANSWER

    with pytest.raises(AnswerError, match=r"listen: That answer is 100,001 characters long"):
        replay(session_for("live"), {"listen": "x" * (MAX_ANSWER + 1)}, "answers.yaml")
    session, script = session_for("live"), Script(["x" * (MAX_ANSWER + 1), "fits"])
    with pytest.raises(EOFError):
        drive(session, script, Clock(), lambda state: None)
    assert "an answer holds up to 100,000" in script.notices[0]
    assert session.answer_of("listen") == "fits"


def test_a_file_larger_than_the_journal_reads_is_not_written(tmp_path: Path) -> None:
    from servicecoach.errors import JournalError
    from servicecoach.journal.entry import MAX_FILE_BYTES

    with pytest.raises(JournalError, match="more than the 16 MiB a journal file may be"):
        save_reflection(tmp_path, START, "refund", "x" * (MAX_FILE_BYTES + 1))
    assert not list(tmp_path.rglob("*.md"))


def test_a_reflection_renders_in_a_markdown_reader_as_it_was_typed() -> None:
    """Through markdown-it-py (CommonMark, HTML allowed as pandoc and Obsidian allow it): a
    multi-line answer keeps its lines, and no answer's HTML comes through as HTML."""
    from markdown_it import MarkdownIt

    typed = "<script>alert(1)</script> and <b>bold</b>\nsecond line\n\\<i>typed backslash"
    session = session_for("live")
    replay(session, {"listen": typed, "tags": "x"}, "answers.yaml")
    session.finish(START)
    html = MarkdownIt("commonmark").render(split_front_matter(render(session))[1])
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    expected = (
        "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;b&gt;bold&lt;/b&gt;<br />\n"
        "second line<br />\n\\&lt;i&gt;typed backslash</p>"
    )
    assert expected in html


def test_a_tag_of_digits_only_is_refused_with_what_to_type() -> None:
    session = session_for("live")
    with pytest.raises(AnswerError, match=r"a tag needs a letter .* try 'y2024'"):
        replay(session, {"tags": "billing, 2024"}, "answers.yaml")
