"""The coaching engine driven by scripted answers: every kind, conditions, back, skip, quit."""

from __future__ import annotations

import pytest

from servicecoach.engine.session import QuitRequested, Session, SessionState, drive, replay
from servicecoach.playbooks.loading import load_playbook, parse_playbook
from servicecoach.playbooks.model import Playbook

from ..conftest import FIXTURES
from ..scripted import START, Clock, Script

KINDS = """\
title: Every kind
summary: One step of each kind, and conditions.
steps:
  - id: note
    title: Note
    ask: What happened?
    recall: What happened?
  - id: pick
    title: Pick
    kind: choice
    options: [refund, replacement, apology only]
  - id: rate
    title: Rate
    kind: scale
  - id: ticks
    title: Ticks
    kind: checklist
    options: [listened, apologised, fixed]
  - id: promised
    title: Promised
    kind: yesno
  - id: follow-up
    title: Follow up
    when: {step: promised, equals: true}
  - id: low
    title: Low
    when: {step: rate, at_most: 2}
  - id: fixed
    title: Fixed
    when: {step: ticks, includes: fixed}
wrap_up:
  - id: lesson
    ask: What did you learn?
"""


def make(mode: str = "live", text: str = KINDS) -> tuple[Session, list[SessionState]]:
    playbook: Playbook = parse_playbook(text, "kinds.yaml", "kinds")
    session = Session.start(playbook, mode, "customer", START, "draft-1")  # type: ignore[arg-type]
    return session, []


def run(session: Session, script: Script, saved: list[SessionState]) -> None:
    drive(session, script, Clock(), lambda state: saved.append(state.model_copy(deep=True)))


def test_every_kind_is_parsed_and_conditions_apply() -> None:
    session, saved = make()
    script = Script(
        [
            "Angry about billing",
            "2",
            "4",
            "1, apol",
            "y",
            "Call Friday",
            "1",
            "5",
            "billing, Refund",
        ]
    )
    run(session, script, saved)
    assert session.done
    answers = {key: session.answer_of(key) for key in session.state.records}
    assert answers == {
        "note": "Angry about billing",
        "pick": "replacement",
        "rate": 4,
        "ticks": ["listened", "apologised"],
        "promised": True,
        "follow-up": "Call Friday",
        "outcome": "resolved",
        "rating": 5,
        "tags": ["billing", "refund"],
    }
    # 'low' (rate <= 2) and 'fixed' (ticks includes fixed) were never asked
    assert "low" not in script.asked
    assert "fixed" not in script.asked
    assert "lesson" not in script.asked  # wrap-up questions belong to recall mode
    assert len(saved) == 9  # a draft after every answer


def test_invalid_answers_are_explained_and_asked_again() -> None:
    session, saved = make()
    script = Script(["first", "x", "2", "six", "7", "3", "tea", "1", "maybe", "n", "", "", ""])
    run(session, script, saved)
    assert session.answer_of("pick") == "replacement"
    assert session.answer_of("rate") == 3
    assert session.answer_of("promised") is False
    assert script.notices == [
        "'x' is not one of the options; type a number or a name: "
        "1) refund, 2) replacement, 3) apology only.",
        "'six' is not a rating; type a whole number from 1 to 5.",
        "'7' is not a rating; type a whole number from 1 to 5.",
        "'tea' is not one of the options; type a number or a name: "
        "1) listened, 2) apologised, 3) fixed.",
        "'maybe' is not yes or no; type y or n.",
    ]


def test_enter_is_done_not_skipped_and_skip_is_recorded() -> None:
    session, saved = make()
    run(session, Script(["", "/s", "", "", "", "", "", ""]), saved)
    records = session.state.records
    assert records["note"].status == "done"
    assert records["note"].answer is None
    assert records["pick"].status == "skipped"


def test_back_returns_to_the_previous_step_and_enter_keeps_its_answer() -> None:
    session, saved = make()
    script = Script(["/b", "first", "/b", "", "1", "/b", "/b", "changed", "", "3"])
    with pytest.raises(EOFError):
        run(session, script, saved)
    assert session.answer_of("note") == "changed"
    assert session.answer_of("pick") == "refund"
    assert session.answer_of("rate") == 3
    assert "This is the first step; there is nothing to go back to." in script.notices


def test_going_back_can_change_which_steps_apply() -> None:
    session, saved = make()
    # promised yes -> follow-up asked; back twice, promised no -> follow-up no longer applies
    script = Script(["n", "1", "3", "", "y", "call back", "/b", "/b", "n", "", "", ""])
    run(session, script, saved)
    outcome = {item.key: record for item, record in session.outcome()}
    assert outcome["promised"] is not None and outcome["promised"].answer is False
    assert outcome["follow-up"] is None  # not applicable now, though it was answered before


def test_quit_raises_after_the_last_answer_is_saved() -> None:
    session, saved = make()
    with pytest.raises(QuitRequested):
        run(session, Script(["first", "2", "/q"]), saved)
    assert saved[-1].records["pick"].answer == "replacement"
    assert saved[-1].position == 2


def test_help_key_shows_help_and_asks_again() -> None:
    session, saved = make()
    script = Script(["/?", "first"])
    with pytest.raises(EOFError):
        run(session, script, saved)
    assert script.helped == 1
    assert session.answer_of("note") == "first"


def test_recall_asks_ratings_and_wrap_up_and_requires_answers() -> None:
    session, saved = make("recall")
    script = Script(
        ["", "what happened", "1", "5", "1", "n", "learned a lot", "2", "", ""],
        ratings=["4", "nine", "2", "", "5"],
    )
    run(session, script, saved)
    records = session.state.records
    assert records["note"].answer == "what happened"
    assert records["note"].rating == 4
    assert records["pick"].rating == 2
    assert records["rate"].rating is None  # a scale step is its own rating
    assert records["ticks"].rating is None
    assert records["promised"].rating == 5
    assert records["lesson"].answer == "learned a lot"
    assert records["lesson"].rating is None  # wrap-up questions get no rating
    assert "This one needs an answer; type it, or /s to skip." in script.notices
    assert "'nine' is not a rating; type a whole number from 1 to 5." in script.notices


def test_a_mode_the_playbook_lacks_is_a_clear_error() -> None:
    text = KINDS.replace("summary:", "modes: [recall]\nsummary:")
    playbook = parse_playbook(text, "kinds.yaml", "kinds")
    with pytest.raises(Exception, match="has no live mode; run it with --recall"):
        Session.start(playbook, "live", "customer", START, "d")


def test_prompt_numbers_steps_and_tracks_elapsed_time() -> None:
    session, _ = make()
    item = session.current()
    assert item is not None
    prompt = session.prompt(item, START.replace(minute=32))
    assert (prompt.number, prompt.total) == (1, 8)
    assert prompt.elapsed_s == 120


class Counting(Script):
    """A script that notes each step's `n/total` as its card would show it."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(lines)
        self.counts: list[tuple[str, int, int]] = []

    def ask(self, prompt):  # type: ignore[no-untyped-def]
        if prompt.item.section == "step":
            self.counts.append((prompt.item.key, prompt.number, prompt.total))
        return super().ask(prompt)


def test_a_step_passed_over_shortens_the_count_without_a_jump() -> None:
    session, saved = make()
    # note, pick, rate 4 (so not 'low'), ticks without 'fixed', promised no: three passed over
    script = Counting(["n", "refund", "4", "listened", "n"])
    run(session, script, saved)  # the input ends at the closing questions: saved as done
    assert script.counts == [
        ("note", 1, 8), ("pick", 2, 8), ("rate", 3, 8), ("ticks", 4, 7), ("promised", 5, 6),
    ]  # fmt: skip
    assert session.done


def test_rate_steps_false_asks_no_step_ratings() -> None:
    session, saved = make("recall", KINDS.replace("summary:", "rate_steps: false\nsummary:"))
    script = Script(["what happened", "1", "5", "1", "n", "learned", "", "", ""], ratings=[])
    run(session, script, saved)  # an unexpected rating prompt would raise EOFError
    assert session.done
    assert all(record.rating is None for record in session.state.records.values())


def test_card_key_shows_the_whole_playbook_and_asks_again() -> None:
    session, saved = make()
    script = Script(["/c", "first"])
    with pytest.raises(EOFError):
        run(session, script, saved)
    assert script.glanced == 1
    assert session.answer_of("note") == "first"


def test_editor_takes_the_typed_text_and_returns_the_saved_one() -> None:
    session, saved = make()
    script = Script(["They said /e", "/e"])
    script.editor_result = "They said the refund\nwas late, twice."
    with pytest.raises(EOFError):
        run(session, script, saved)
    assert script.edited == "They said"
    assert session.answer_of("note") == "They said the refund\nwas late, twice."
    assert "The editor is for free-text answers; type this one." in script.notices  # choice


def test_an_unchanged_or_empty_editor_changes_nothing() -> None:
    session, saved = make()
    for result in ("same", "   "):
        script = Script(["same /e"])
        script.editor_result = result
        with pytest.raises(EOFError):
            run(session, script, saved)
        assert session.state.records == {}
        assert script.notices == ["Nothing changed in the editor; type the answer, or /e again."]


def test_a_rotating_pool_asks_a_few_chosen_by_date() -> None:
    import datetime as dt

    playbook = parse_playbook(
        KINDS.replace("summary:", "modes: [recall]\nsummary:")
        + "rotating:\n  pick: 2\n  questions:\n"
        + "".join(f"    - {{id: q{n}, ask: Question {n}?, optional: true}}\n" for n in range(6)),
        "kinds.yaml",
        "kinds",
    )
    days = [START + dt.timedelta(days=n) for n in range(10)]
    picks = [Session.start(playbook, "recall", "customer", day, "d").state.rotating for day in days]
    assert all(len(pick) == 2 for pick in picks)
    assert len({tuple(pick) for pick in picks}) > 3  # the page is not the same every day
    again = Session.start(playbook, "recall", "customer", days[0], "d")
    assert again.state.rotating == picks[0]  # the same all day
    keys = [item.key for item in again.items]
    assert [k for k in keys if k.startswith("q")] == picks[0]
    assert keys.index(picks[0][0]) < keys.index("lesson")  # before the fixed wrap-up
    restored = Session(playbook, SessionState.model_validate_json(again.state.model_dump_json()))
    assert [i.key for i in restored.items] == keys  # a resumed draft asks the same ones


def test_a_pool_smaller_than_its_pick_is_a_problem() -> None:
    from servicecoach.errors import PlaybookInvalid

    text = KINDS + "rotating:\n  pick: 3\n  questions:\n    - {id: only, ask: Only?}\n"
    with pytest.raises(PlaybookInvalid, match=r"rotating\.pick: picks 3 of only 1 questions"):
        parse_playbook(text, "kinds.yaml", "kinds")


POOL = "rotating:\n  pick: 1\n  questions:\n    - {id: extra, ask: Anything else?}\n"


def test_conditions_follow_the_order_questions_are_asked() -> None:
    from servicecoach.errors import PlaybookInvalid

    base = KINDS.replace("wrap_up:\n  - id: lesson\n    ask: What did you learn?\n", "")
    # wrap-up comes after the pool: it may look back at a rotating question
    ok = base + POOL + "wrap_up:\n  - {id: more, ask: More?, when: {step: extra, answered: true}}\n"
    parse_playbook(ok, "kinds.yaml", "kinds")
    # the pool comes before the wrap-up: it may not look forward to it
    bad = (
        base
        + "wrap_up:\n  - {id: more, ask: More?}\n"
        + "rotating:\n  questions:\n"
        + "    - {id: extra, ask: Else?, when: {step: more, answered: true}}\n"
    )
    with pytest.raises(PlaybookInvalid, match="'more' is not an earlier question"):
        parse_playbook(bad, "kinds.yaml", "kinds")


def test_the_pool_follows_the_day_the_recall_is_about() -> None:
    import datetime as dt

    text = KINDS.replace("summary:", "modes: [recall]\nsummary:") + (
        "rotating:\n  pick: 1\n  questions:\n"
        + "".join(f"    - {{id: q{n}, ask: Q{n}?}}\n" for n in range(9))
    )
    playbook = parse_playbook(text, "kinds.yaml", "kinds")
    day_before = START - dt.timedelta(days=1)
    backdated = Session.start(playbook, "recall", "customer", START, "d", at=day_before)
    that_day = Session.start(playbook, "recall", "customer", day_before, "d")
    assert backdated.state.rotating == that_day.state.rotating
    assert backdated.state.at == day_before


def test_an_answers_file_may_answer_pool_questions_not_asked_today() -> None:
    from servicecoach.engine.session import replay

    text = KINDS.replace("summary:", "modes: [recall]\nsummary:") + (
        "rotating:\n  pick: 1\n  questions:\n    - {id: q1, ask: Q1?}\n    - {id: q2, ask: Q2?}\n"
    )
    session = Session.start(parse_playbook(text, "kinds.yaml", "kinds"), "recall", "customer",
                            START, "d")  # fmt: skip
    replay(session, {"note": "x", "q1": "one", "q2": "two"}, "answers.yaml")
    asked = session.state.rotating[0]
    assert session.answer_of(asked) == {"q1": "one", "q2": "two"}[asked]


def test_rating_with_a_superscript_digit_is_refused_politely() -> None:
    playbook = load_playbook(FIXTURES / "refund.yaml")
    session = Session.start(playbook, "recall", "customer", START, "d")
    script = Script(["They said so"], ratings=["²", "4"])
    from servicecoach.engine.session import drive

    with pytest.raises(EOFError):
        drive(session, script, Clock(), lambda state: None)
    assert "'²' is not a rating; type a whole number from 1 to 5." in script.notices
    assert session.state.records["listen"].rating == 4


def test_unusual_digits_are_answers_not_crashes() -> None:
    script = Script(["²", "1", "y"])
    playbook = load_playbook(FIXTURES / "refund.yaml")
    session = Session.start(playbook, "recall", "customer", START, "d")
    with pytest.raises(EOFError):
        drive(session, script, Clock(), lambda state: None)
    assert session.answer_of("listen") == "²"  # a note takes any text


def test_the_answers_of_one_session_have_room_for_one_reflection() -> None:
    from servicecoach.engine.answers import MAX_ANSWER
    from servicecoach.errors import AnswerError

    text = "title: Many\nsummary: S\nsteps:\n" + "".join(
        f"  - {{id: s{n}, title: S{n}}}\n" for n in range(12)
    )
    playbook = parse_playbook(text, "many.yaml", "many")
    long = {f"s{n}": "x" * MAX_ANSWER for n in range(12)}
    with pytest.raises(AnswerError, match=r"s10: With this answer the session's answers come to"):
        replay(Session.start(playbook, "live", "customer", START, "d"), long, "a.yaml")
    session = Session.start(playbook, "live", "customer", START, "d")
    script = Script(["x" * MAX_ANSWER] * 11 + [""])  # ten fit exactly; the eleventh does not
    with pytest.raises(EOFError):
        drive(session, script, Clock(), lambda state: None)
    assert "more than 1,000,000 characters" in script.notices[0]
    assert session.state.records["s10"].status == "done"  # Enter: on without that answer


def test_a_mistyped_key_is_explained_not_saved() -> None:
    session, saved = make()
    script = Script(["/x", "/Skp", "//s is a path", "/"])
    with pytest.raises(EOFError):
        run(session, script, saved)
    assert script.notices[0].startswith("There is no /x key: Enter next · /s skip")
    assert "type //x" in script.notices[0]
    assert script.notices[1].startswith("There is no /skp key")
    assert session.answer_of("note") == "/s is a path"
    assert script.notices[2].startswith("There is no / key")
    assert session.answer_of("pick") is None


def test_a_step_after_one_passed_over_is_not_counted_either() -> None:
    chained = """\
title: Chained
summary: Conditions on conditions.
steps:
  - {id: a, title: A, kind: yesno}
  - {id: b, title: B, when: {step: a, equals: true}}
  - {id: c, title: C, when: {step: b, answered: true}}
  - {id: d, title: D}
"""
    session, saved = make(text=chained)
    script = Counting(["n", "done"])
    run(session, script, saved)
    assert script.counts == [("a", 1, 4), ("d", 2, 2)]
