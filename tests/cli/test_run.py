"""Running a playbook without a terminal: answers files, piped stdin, dry runs, full disks."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from servicecoach.journal.entry import split_front_matter

from ..conftest import Ran, coach


def reflections(home: Path) -> list[Path]:
    return sorted((home / "journal").rglob("*.md"))


def test_answers_file_saves_a_reflection(tmp_path: Path, coach_home: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "listen: Charged twice for one order\nrespond: Refunded the second charge\n"
        "notify: true\nfollow-up: Friday\noutcome: resolved\nrating: 4\ntags: [billing]\n"
    )
    result = coach("learn", "--answers", str(answers))
    assert result.returncode == 0, result.stderr
    (path,) = reflections(coach_home)
    assert f"Saved: {path}" in result.stdout
    reference = result.stdout.split("Read it again: ")[1].strip()
    shown = coach(*reference.split()[1:], "--raw")  # the command it prints reaches the file
    assert shown.stdout == path.read_text()
    data, _body = split_front_matter(path.read_text())
    assert data["playbook"] == "learn"
    assert data["steps"]["listen"]["answer"] == "Charged twice for one order"
    assert data["steps"]["empathize"]["status"] == "skipped"
    assert data["outcome"] == "resolved"
    assert not list((coach_home / "drafts").glob("*.json"))


def test_answers_file_errors_are_one_sentence_and_save_nothing(
    tmp_path: Path, coach_home: Path
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("listen: ok\nlisten: twice\n")
    result = coach("learn", "--answers", str(answers))
    assert result.returncode == 1
    assert f"{answers}:2:1: duplicate key 'listen'" in result.stderr
    answers.write_text("rating: 9\n")
    result = coach("learn", "--answers", str(answers))
    assert result.returncode == 1
    assert result.stderr.strip() == f"coach: {answers}: rating: 9 is not a rating from 1 to 5."
    assert reflections(coach_home) == []


def test_dry_run_prints_the_markdown_and_saves_nothing(tmp_path: Path, coach_home: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("regret: They sighed\n")
    result = coach("apology", "--answers", str(answers), "--dry-run")
    assert result.returncode == 0
    data = yaml.safe_load(result.stdout.split("---\n")[1])
    assert data["steps"]["regret"]["answer"] == "They sighed"
    assert reflections(coach_home) == []
    assert not (coach_home / "drafts").exists() or not list((coach_home / "drafts").iterdir())


def test_daily_is_recall_only_and_runs_without_flags(coach_home: Path) -> None:
    result = coach("daily", "--answers", "/dev/null")
    assert result.returncode == 1  # an empty answers file is refused with a sentence
    assert "answers file is empty" in result.stderr


def test_journal_folder_option_and_env(tmp_path: Path, coach_home: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("regret: x\n")
    result = coach("apology", "--answers", str(answers), "--journal", str(tmp_path / "j1"))
    assert result.returncode == 0
    assert len(list((tmp_path / "j1").rglob("*.md"))) == 1
    result = coach(
        "apology", "--answers", str(answers), env={"COACH_JOURNAL": str(tmp_path / "j2")}
    )
    assert result.returncode == 0
    assert len(list((tmp_path / "j2").rglob("*.md"))) == 1


def test_journal_that_is_a_file_keeps_the_answers_in_a_draft(
    tmp_path: Path, coach_home: Path
) -> None:
    journal = tmp_path / "journal-file"
    journal.write_text("oops")
    lines = "They were upset\n" + "\n" * 7
    result = coach("apology", "--journal", str(journal), input=lines)
    assert result.returncode == 1
    assert "a part of the path is a file, not a folder" in result.stderr
    assert "coach resume" in result.stderr
    assert "Traceback" not in result.stderr
    (draft,) = (coach_home / "drafts").glob("*.json")
    assert "They were upset" in draft.read_text()


def test_nothing_writable_prints_the_answers(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the home folder should be")
    lines = "They were upset\n" + "\n" * 7
    result = coach("apology", input=lines, env={"COACH_HOME": str(blocked)})
    assert result.returncode == 1
    assert "The reflection is printed above to copy." in result.stderr
    assert "They were upset" in result.stdout
    assert "Traceback" not in result.stderr


def _interrupted_run(playbook: str, answer: str) -> str:
    result = coach(playbook, input=f"{answer}\n")
    assert result.returncode == 130, result.stderr
    return result.stderr.split("coach resume ")[1].strip()


def test_resume_list_discard_and_choice(coach_home: Path) -> None:
    first = _interrupted_run("apology", "first")
    second = _interrupted_run("learn", "second")
    listed = coach("resume", "--list", env={"COLUMNS": "150"})
    assert first in listed.stdout and second in listed.stdout
    assert re.search(rf"{first} .* first *\n", listed.stdout)  # the latest answer, to tell apart
    narrow = coach("resume", "--list", env={"COLUMNS": "60"})
    assert first in narrow.stdout and second in narrow.stdout  # ids are never cut
    records = [json.loads(line) for line in coach("resume", "--list", "--json").stdout.splitlines()]
    assert [(r["draft"], r["playbook"], r["answered"], r["last_answer"]) for r in records] == [
        (second, "learn", 1, "second"), (first, "apology", 1, "first"),
    ]  # fmt: skip
    assert set(records[0]) == {
        "draft", "playbook", "mode", "audience", "started", "at", "answered", "last_answer",
    }  # fmt: skip
    assert coach("resume", "--json").returncode == 2  # --json is for the list
    several = coach("resume")
    assert several.returncode == 1
    assert several.stderr.strip().startswith("coach: There are 2 drafts; name the one to resume:")
    gone = coach("resume", first, "--discard")
    assert gone.stdout.strip() == f"Discarded draft {first}."
    assert not (coach_home / "drafts" / f"{first}.json").exists()
    unknown = coach("resume", "nope", "--discard")
    assert unknown.returncode == 1
    assert "No draft called 'nope'" in unknown.stderr
    finished = coach("resume", input="\n" * 20)  # the only draft left: learn
    assert finished.returncode == 0, finished.stderr
    (path,) = reflections(coach_home)
    assert path.name.endswith("-learn.md")
    assert "second" in path.read_text()


DRAFT_ID = r"coach resume (\d{8}-\d{6}-[a-z0-9-]+)"


def run_piped(lines: list[str], *args: str) -> Ran:
    return coach("apology", *args, input="".join(f"{line}\n" for line in lines))


def only_reflection(home: Path) -> Path:
    (found,) = (home / "journal").glob("*/*/*.md")
    return found


def drafts_in(home: Path) -> list[Path]:
    return sorted((home / "drafts").glob("*.json"))


def test_piped_stdin_answers_everything(coach_home: Path) -> None:
    home = coach_home
    lines = ["piped regret", "piped responsibility", "/s", "", "piped forgiveness"]
    result = run_piped([*lines, "3", "5", "billing"])

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "[1/5] Express regret" in result.stdout  # the plain front end, no cue-card boxes
    assert "╭" not in result.stdout
    assert "\x1b[" not in result.stdout  # no colour codes into a pipe
    path = only_reflection(home)
    assert f"Saved: {path}" in result.stdout
    data, _ = split_front_matter(path.read_text(encoding="utf-8"))
    assert data["mode"] == "live"
    assert data["outcome"] == "escalated"
    assert data["rating"] == 5
    assert data["tags"] == ["billing"]
    assert data["skipped"] == ["restitution"]
    assert data["steps"]["regret"]["answer"] == "piped regret"
    assert data["steps"]["responsibility"]["answer"] == "piped responsibility"
    assert data["steps"]["forgiveness"]["answer"] == "piped forgiveness"
    assert drafts_in(home) == []


def test_piped_stdin_that_ends_at_the_closing_questions_saves(coach_home: Path) -> None:
    lines = ["piped regret", "piped responsibility", "", "", "piped forgiveness", "resolved"]
    result = run_piped(lines)

    assert result.returncode == 0, result.stderr
    data, _ = split_front_matter(only_reflection(coach_home).read_text(encoding="utf-8"))
    assert data["outcome"] == "resolved"
    assert data.get("rating") is None and data.get("tags", []) == []
    assert data["steps"]["forgiveness"]["answer"] == "piped forgiveness"
    assert drafts_in(coach_home) == []


def test_piped_stdin_that_ends_early_keeps_a_draft(coach_home: Path) -> None:
    home = coach_home
    result = run_piped(["early one", "early two"])

    assert result.returncode == 130
    assert "Traceback" not in result.stderr + result.stdout
    found = re.search(r"Draft saved \(2 answered\)\.\nContinue with: " + DRAFT_ID, result.stderr)
    assert found, result.stderr
    draft = home / "drafts" / f"{found.group(1)}.json"
    assert drafts_in(home) == [draft]
    records = json.loads(draft.read_text(encoding="utf-8"))["records"]
    assert records["regret"]["answer"] == "early one"
    assert records["responsibility"]["answer"] == "early two"
    assert not (home / "journal").exists()


def test_the_plain_front_end_reads_a_cue_as_the_card_does() -> None:
    """Piped, each cue line is labelled and quoted the way the card and the reflection show it
    (Wording.cue_lines), for the audience asked for."""
    shown = run_piped(["/q"], "--audience", "supervisor").stdout
    assert "[1/5] Express regret" in shown
    assert "  Say: “" in shown  # the phrases to say, in quotes
    assert "\n  Do: " in shown and "\n  Tip: " in shown
    assert shown.index("  Say: ") < shown.index("  Do: ") < shown.index("  Tip: ")


def test_a_failing_editor_in_a_session_keeps_the_text_and_the_session(
    tmp_path: Path, coach_home: Path
) -> None:
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\np = pathlib.Path(sys.argv[-1])\n"
        "p.write_text(p.read_text() + 'and more in the editor\\n'); sys.exit(1)\n"
    )
    result = coach(
        "learn", input="They were charged twice /e\nThey were charged twice\n/q\n",
        env={"EDITOR": f"{sys.executable} {script}", "VISUAL": ""},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    kept = re.search(r"your text is kept in (\S+)\.\n", result.stdout)
    assert kept, result.stdout
    assert Path(kept[1]).read_text() == "They were charged twice\nand more in the editor\n"
    (draft,) = (coach_home / "drafts").glob("*.json")
    assert json.loads(draft.read_text())["records"]["listen"]["answer"] == "They were charged twice"
    unreadable = coach("learn", input="x /e\n/q\n", env={"EDITOR": "vim '-c", "VISUAL": ""})
    assert "Cannot read the editor setting" in unreadable.stdout
    assert "unexpected" not in unreadable.stderr and unreadable.returncode == 0


def test_a_backdated_recall_keeps_the_offset_of_its_day(
    tmp_path: Path, coach_home: Path, time_zone: Callable[[str], None]
) -> None:
    time_zone("Europe/Berlin")
    answers = tmp_path / "a.yaml"
    answers.write_text("listen: The summer call\n")
    result = coach("learn", "--recall", "--at", "2026-07-01 15:10", "--answers", str(answers))
    assert result.returncode == 0, result.stderr
    (path,) = reflections(coach_home)
    data, _ = split_front_matter(path.read_text())
    assert data["at"] == "2026-07-01T15:10:00+02:00"
    # named and filed by when the call happened, not when it was written up
    assert (
        path.relative_to(coach_home / "journal").as_posix() == "2026/07/2026-07-01-151000-learn.md"
    )
    skipped = coach("learn", "--recall", "--at", "2026-03-29 02:30", "--answers", str(answers))
    assert skipped.returncode == 2
    assert "the clocks here jumped over 02:30 on 2026-03-29" in skipped.stderr


def test_a_backdated_recall_says_the_time_it_records(coach_home: Path) -> None:
    result = coach("apology", "--recall", "--at", "yesterday 3pm", input="regret\n")
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert f"(recall · customer · at {yesterday} 15:00)" in result.stdout


def test_a_time_zone_python_cannot_use_is_one_sentence(time_zone: Callable[[str], None]) -> None:
    time_zone("UTC+99999")
    result = coach("apology", "--dry-run", input="\n" * 8)
    assert result.returncode == 1
    assert result.stderr.startswith("coach: The time zone in $TZ ('UTC+99999') cannot be used")


def test_recall_shows_what_each_step_asked_and_its_tip_but_not_the_phrases() -> None:
    """Looking back, the rep sees the step's do and tip (the idea behind it, the part of the
    source a reflection is for), not the phrases that were for the call."""
    from servicecoach.playbooks.catalog import builtin_folder
    from servicecoach.playbooks.loading import load_playbook

    step = load_playbook(builtin_folder() / "apology.yaml").steps[0]
    shown = coach("apology", "--recall", input="", env={"COLUMNS": "200"}).stdout
    assert f"  Tip: {step.tip}" in shown and f"  Do: {step.do}" in shown
    assert "  Say:" not in shown
