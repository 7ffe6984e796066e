"""coach journal: list, show, search, stats, export and check over a real folder of files."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from servicecoach.journal.index import Filters, JournalIndex

from ..conftest import coach
from ..journal_fixture import at, day, seven_reflections, write


@pytest.fixture
def journal(coach_home: Path) -> Path:
    return seven_reflections(coach_home / "journal")


def rows(*args: str) -> list[dict]:
    result = coach("journal", *args, "--json")
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_list_is_newest_first_with_every_column(journal: Path) -> None:
    found = rows("list")
    assert [r["playbook"] for r in found] == [
        "daily", "apology", "daily", "apology", "daily", "learn", "daily"
    ]  # fmt: skip
    first_apology = found[1]
    assert first_apology["mode"] == "live"
    assert first_apology["outcome"] == "resolved"
    assert first_apology["rating"] == 4
    assert first_apology["tags"] == ["billing"]
    assert first_apology["notes"].startswith("Refund was late")
    table = coach("journal", "list", env={"COLUMNS": "150"})
    assert "2 files skipped" not in table.stderr
    assert f"{day(0)} 09:00" in table.stdout
    assert "escalated" in table.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--playbook", "apology"], 2),
        (["--mode", "recall"], 5),  # the daily reflection is recall only
        (["--audience", "supervisor"], 1),
        (["--tag", "vip"], 1),
        (["--tag", "VIP"], 1),
        (["--outcome", "follow-up"], 1),
        (["--since", "yesterday"], 4),
        (["--since", "2d"], 4),
        (["--since", "1d"], 2),
        (["--until", "2d"], 3),
        (["--until", "yesterday"], 5),
        (["--since", "today"], 2),
        (["--since", "3d", "--playbook", "daily"], 3),
        (["-n", "3"], 3),
        (["--since", day(2), "--until", day(1)], 4),
    ],
)
def test_every_filter(journal: Path, args: list[str], expected: int) -> None:
    assert len(rows("list", *args)) == expected


def test_a_filter_that_nothing_is_called_names_the_nearest(journal: Path) -> None:
    for command in (["list"], ["search", "refund"], ["stats"], ["export"]):
        mistyped = coach("journal", *command, "--playbook", "apolgy")
        assert mistyped.returncode == 1, command
        assert mistyped.stderr.strip() == (
            "coach: No playbook or reflection is called 'apolgy'. Did you mean 'apology'?"
        )
    tag = coach("journal", "list", "--tag", "biling")
    assert tag.returncode == 1
    assert tag.stderr.strip() == "coach: No reflection is tagged 'biling'. Did you mean 'billing'?"
    assert rows("list", "--playbook", "secrets") == []  # a playbook with no reflection yet
    assert len(rows("list", "--tag", "BILLING")) == 1


def test_a_bad_date_is_one_sentence(journal: Path) -> None:
    result = coach("journal", "list", "--since", "last tuesday")
    assert result.returncode == 2  # a usage error, like any bad option value
    assert "'last tuesday' is not a date" in result.stderr
    wrong_mode = coach("journal", "list", "--mode", "lve")
    assert wrong_mode.returncode == 2
    assert "'lve' is not one of 'live', 'recall'" in wrong_mode.stderr


def test_search_ranks_and_filters(journal: Path) -> None:
    found = rows("search", "refund")
    assert [r["playbook"] for r in found] == ["learn", "apology"]  # more mentions first
    assert rows("search", "refund", "--playbook", "apology")[0]["playbook"] == "apology"
    assert rows("search", "refund", "charger") == []
    assert [r["playbook"] for r in rows("search", "charg")] == ["apology"]  # word prefixes
    text = coach("journal", "search", "refund", env={"COLUMNS": "150"})
    assert "listen: Refund refund refund, they said" in text.stdout
    tagged = rows("search", "vip")  # a tag is found as the answers are
    assert len(tagged) == 1 and "vip" in tagged[0]["tags"]
    assert "vip" not in tagged[0]["notes"].lower()
    shown = coach("journal", "search", "vip", env={"COLUMNS": "150"})
    assert "  tags: " in shown.stdout and "vip" in shown.stdout
    missing = coach("journal", "search", "unicorn")
    assert missing.stdout.strip() == "No reflection mentions unicorn."


def test_show_by_last_number_name_and_path(journal: Path) -> None:
    last = coach("journal", "show", env={"COLUMNS": "120"})
    assert last.returncode == 0
    assert "Daily reflection" in last.stdout
    second = coach("journal", "show", "2", env={"COLUMNS": "120"})
    assert "Refund was late, very sorry" in second.stdout
    (path,) = journal.rglob("*-learn.md")
    by_name = coach("journal", "show", path.stem, "--raw")
    assert by_name.stdout == path.read_text()
    by_path = coach("journal", "show", str(path), "--raw")
    assert by_path.stdout == path.read_text()
    for printed in (
        next(r["path"] for r in rows("list") if r["playbook"] == "learn"),  # list --json
        next(r["path"] for r in rows("search", "refund") if r["playbook"] == "learn"),
        json.loads(coach("journal", "export", "--format", "json").stdout)[1]["path"],
    ):
        assert printed == path.relative_to(journal).as_posix()
        assert coach("journal", "show", printed, "--raw").stdout == path.read_text()
    nothing = coach("journal", "show", "99")
    assert nothing.returncode == 1
    assert nothing.stderr.strip() == "coach: There is no reflection number 99; the journal has 7."


def test_last_is_the_reflection_written_last(coach_home: Path, tmp_path: Path) -> None:
    write(coach_home / "journal", "apology", at(day(1)), {"regret": "Yesterday's call"})
    answers = tmp_path / "a.yaml"
    answers.write_text("listen: An old call written up now\n")
    saved = coach("learn", "--recall", "--at", "2025-03-01 09:00", "--answers", str(answers))
    assert saved.returncode == 0, saved.stderr
    last = coach("journal", "show", "last", "--raw").stdout
    assert "An old call written up now" in last  # though its call is the oldest of all
    assert "An old call written up now" not in coach("journal", "show", "1", "--raw").stdout
    assert "Yesterday's call" in coach("journal", "show", "1", "--raw").stdout
    assert rows("list")[-1]["notes"] == "An old call written up now"  # listed by the call


def test_files_added_edited_and_deleted_between_runs(journal: Path) -> None:
    assert len(rows("list")) == 7
    (learn,) = journal.rglob("*-learn.md")
    learn.unlink()
    write(journal, "pointers", at(day(3)), {"hear": "New one about a parcel"})
    (apology,) = [p for p in journal.rglob("*-apology.md") if day(0) in p.name]
    text = apology.read_text().replace("rating: 4", "rating: 1")
    apology.write_text(text)
    os.utime(apology, ns=(apology.stat().st_atime_ns, apology.stat().st_mtime_ns + 10**9))
    found = rows("list")
    assert len(found) == 7
    assert "learn" not in {r["playbook"] for r in found}
    assert "pointers" in {r["playbook"] for r in found}
    assert next(r for r in found if r["path"] == str(apology.relative_to(journal)))["rating"] == 1
    assert rows("search", "parcel")[0]["playbook"] == "pointers"
    assert rows("search", "refund")[0]["playbook"] == "apology"  # learn's notes are gone


def test_hand_edited_and_broken_files_are_skipped_and_named(journal: Path) -> None:
    (journal / "notes.md").write_text("# My own notes\n\nNot a reflection.\n")
    (journal / "2026").mkdir(exist_ok=True)
    (journal / "2026" / "empty.md").write_text("")
    (journal / "2026" / "broken.md").write_text("---\nplaybook: [unclosed\n---\nbody\n")
    (journal / "2026" / "no-start.md").write_text("---\nplaybook: learn\n---\n")
    (journal / "2026" / "by-hand.md").write_text(
        "---\nplaybook: learn\nstarted: 2026-01-05 09:30:00\nrating: 5\ntags: handwritten\n"
        "steps:\n  listen: They wanted a callback\n---\n\nWritten by hand.\n"
    )
    (journal / ".git").mkdir()
    (journal / ".git" / "ignored.md").write_text("not even looked at")
    listed = coach("journal", "list", "--json", "-n", "100")
    assert listed.returncode == 0
    assert "4 files skipped: run coach journal check" in listed.stderr
    found = [json.loads(line) for line in listed.stdout.splitlines()]
    by_hand = next(r for r in found if r["path"] == "2026/by-hand.md")
    assert by_hand["rating"] == 5
    assert by_hand["tags"] == ["handwritten"]
    assert by_hand["notes"] == "They wanted a callback"
    check = coach("journal", "check")
    assert check.returncode == 1
    lines = check.stdout.splitlines()
    assert (
        f"{journal / 'notes.md'}: no front matter (the file does not start with a --- line)"
        in lines
    )
    assert f"{journal / '2026/empty.md'}: the file is empty" in lines
    assert any(
        line.startswith(f"{journal / '2026/broken.md'}: the front matter is not valid YAML")
        for line in lines
    )
    assert f"{journal / '2026/no-start.md'}: the front matter has no 'started'" in lines
    assert lines[-1] == "4 of 12 files are not readable reflections."
    assert "Traceback" not in check.stderr


def test_check_on_a_clean_journal(journal: Path) -> None:
    result = coach("journal", "check")
    assert result.returncode == 0
    assert result.stdout.strip() == "All 7 reflections are readable."


def test_stats(journal: Path) -> None:
    result = coach("journal", "stats", "--json")
    assert result.returncode == 0
    stats = json.loads(result.stdout)
    assert stats["total"] == 7
    assert stats["by_playbook"] == {"daily": 4, "apology": 2, "learn": 1}
    assert stats["by_mode"] == {"recall": 5, "live": 2}
    assert stats["daily_streak"] == {"current": 3, "longest": 3, "last_day": day(0)}
    assert sum(w["count"] for w in stats["weeks"]) == 7
    apology = next(t for t in stats["trends"] if t["playbook"] == "apology")
    assert apology == {"playbook": "apology", "rated": 2, "average": 3.0, "recent": [2, 4],
                       "change": None}  # fmt: skip
    skipped = {s["playbook"]: s for s in stats["skipped"]}
    assert skipped["apology"]["skipped"] == 2 and skipped["apology"]["of_last"] == 2
    assert skipped["apology"]["title"] is not None
    shown = coach("journal", "stats", env={"COLUMNS": "120"})
    assert "7 reflections" in shown.stdout
    assert "Daily reflection streak: 3 day(s) now, longest 3" in shown.stdout
    assert "in Five languages of apology: skipped 2 of the last 2 times" in shown.stdout
    assert skipped["apology"]["playbook_title"] == "Five languages of apology"
    assert "last ratings (▂1-█5)" in shown.stdout  # the sparkline's scale


def test_the_weekly_chart_spans_the_weeks_asked(journal: Path) -> None:
    weeks = lambda *args: json.loads(coach("journal", "stats", "--json", *args).stdout)["weeks"]  # noqa: E731
    assert len(weeks()) == 12
    assert len(weeks("--since", "2w")) in (2, 3)  # the weeks that 14 days touch
    assert len(weeks("--since", "today")) == 1
    assert len(weeks("--since", "1y")) == 53
    assert sum(w["count"] for w in weeks("--since", "2w")) == len(rows("list", "--since", "2w"))


def test_stats_name_the_steps_of_playbooks_that_are_gone_by_their_ids(journal: Path) -> None:
    (apology,) = [p for p in journal.rglob("*-apology.md") if day(0) in p.name]
    gone = apology.with_name(apology.name.replace("apology", "retired"))
    gone.write_text(apology.read_text().replace("playbook: apology", "playbook: retired"))
    apology.unlink()
    result = coach("journal", "stats", "--json", "--playbook", "retired")
    assert result.returncode == 0, result.stderr
    (skip,) = json.loads(result.stdout)["skipped"]
    assert (skip["playbook"], skip["title"]) == ("retired", None)
    assert skip["step"]


def test_export_csv_json_markdown(journal: Path, tmp_path: Path) -> None:
    result = coach("journal", "export", "--format", "csv", "--playbook", "apology")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["outcome"] for r in table] == ["escalated", "resolved"]  # oldest first
    assert table[0]["tags"] == "hardware;vip"
    out = tmp_path / "export.json"
    result = coach("journal", "export", "-f", "json", "-o", str(out))
    assert result.returncode == 0
    assert "Exported 7 reflections" in result.stderr
    records = json.loads(out.read_text())
    assert len(records) == 7
    assert [r["playbook"] for r in records][-2:] == ["apology", "daily"]  # oldest first
    assert records[-2]["steps"]["regret"]["answer"] == "Refund was late, very sorry"
    markdown = coach("journal", "export", "--format", "markdown", "--since", "today").stdout
    assert markdown.startswith("# Journal export\n\n2 reflections")
    assert "- **Express regret**: Refund was late, very sorry" in markdown  # titles, not ids
    bad = coach("journal", "export", "--format", "xls")
    assert bad.returncode == 2
    assert "'xls' is not one of 'csv', 'json', 'markdown'" in bad.stderr


@pytest.mark.parametrize("spread", [False, True], ids=["here", "in-workers"])
@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
def test_an_export_written_piece_by_piece_is_the_whole_document(
    journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, spread: bool
) -> None:
    """Pages of two entries, formatted here or in worker processes: every boundary falls
    inside the journal, and the bytes are those of the whole export made at once."""
    from servicecoach.journal import export, index

    whole = coach("journal", "export", "-f", fmt).stdout
    monkeypatch.setattr(index, "PAGE", 2)
    monkeypatch.setattr(export, "SPREAD_FROM", 1 if spread else 10**9)
    assert coach("journal", "export", "-f", fmt).stdout == whole
    out = tmp_path / f"export.{fmt}"
    assert coach("journal", "export", "-f", fmt, "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == whole
    if fmt == "json":
        entries = JournalIndex(journal, None)
        entries.sync()
        records = [e.record() for e in entries.entries(Filters(), oldest_first=True)]
        assert whole == json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    empty = coach("journal", "export", "-f", fmt, "--playbook", "secrets").stdout
    assert empty == {"csv": whole.splitlines(keepends=True)[0], "json": "[]\n",
                     "markdown": "# Journal export\n"}[fmt]  # fmt: skip


def test_edit_with_an_editor_then_checks_the_front_matter(journal: Path, tmp_path: Path) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\np = pathlib.Path(sys.argv[-1])\n"
        "p.write_text(p.read_text().replace('rating: 5', 'rating: 3'))\n"
    )
    result = coach("journal", "edit", "last", env={"EDITOR": f"{sys.executable} {editor}"})
    assert result.returncode == 0, result.stderr
    assert rows("list", "-n", "1")[0]["rating"] == 3
    printed = rows("list", "--playbook", "learn")[0]["path"]  # a path as coach prints it
    seen = tmp_path / "seen.txt"
    looker = tmp_path / "looker.py"
    looker.write_text(f"import sys, pathlib\npathlib.Path({str(seen)!r}).write_text(sys.argv[1])\n")
    by_path = coach("journal", "edit", printed, env={"EDITOR": f"{sys.executable} {looker}"})
    assert by_path.returncode == 0, by_path.stderr
    assert Path(seen.read_text()) == journal / printed
    breaker = tmp_path / "breaker.py"
    breaker.write_text("import sys, pathlib\npathlib.Path(sys.argv[-1]).write_text('oops')\n")
    result = coach("journal", "edit", "last", env={"EDITOR": f"{sys.executable} {breaker}"})
    assert result.returncode == 1
    assert "no front matter" in result.stderr
    assert "The journal will skip this file until it is fixed." in result.stderr


def test_an_unwritable_cache_still_answers(journal: Path, coach_home: Path) -> None:
    (coach_home / "cache").write_text("a file where the cache folder should be")
    assert len(rows("list")) == 7


def test_a_damaged_cache_is_rebuilt(journal: Path, coach_home: Path) -> None:
    assert len(rows("list")) == 7
    for cache in (coach_home / "cache").glob("*.sqlite3"):
        cache.write_bytes(b"garbage" * 100)
        assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert len(rows("list")) == 7


def test_backdated_recall_is_sorted_and_filtered_by_when_it_happened(
    coach_home: Path, tmp_path: Path
) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("listen: The refund call from last week\n")
    result = coach("learn", "--recall", "--at", "3d ago", "--answers", str(answers))
    assert result.returncode == 0, result.stderr
    write(coach_home / "journal", "apology", at(day(1)), {"regret": "yesterday's"})
    found = rows("list")
    assert [r["playbook"] for r in found] == ["apology", "learn"]  # the recall happened earlier
    assert found[1]["date"].startswith(day(3))
    assert [r["playbook"] for r in rows("list", "--until", day(2))] == ["learn"]
    (path,) = (coach_home / "journal").rglob("*-learn.md")
    text = path.read_text()
    assert "\nat: '" + day(3) in text
    bad = coach("learn", "--recall", "--at", "tomorrow", "--answers", str(answers))
    assert bad.returncode == 2
    assert "'tomorrow' is not a time" in bad.stderr


def test_unreadable_entries_are_counted_and_named(journal: Path, tmp_path: Path) -> None:
    (journal / "gone.md").symlink_to(tmp_path / "nowhere.md")
    os.mkfifo(journal / "pipe.md")
    listed = coach("journal", "list")
    assert "2 files skipped: run coach journal check" in listed.stderr
    stats = coach("journal", "stats")
    assert "2 files skipped" in stats.stderr
    checked = coach("journal", "check")
    assert checked.returncode == 1
    assert f"{journal / 'gone.md'}: a link to nothing: what it points to is gone" in checked.stdout
    assert f"{journal / 'pipe.md'}: a named pipe, not a file" in checked.stdout


def test_check_finds_and_mends_a_damaged_cache(journal: Path, coach_home: Path) -> None:
    import sqlite3

    assert coach("journal", "check").stdout.strip() == "All 7 reflections are readable."
    (cache,) = (coach_home / "cache").glob("journal-*.sqlite3")
    with sqlite3.connect(cache) as db:
        db.execute("UPDATE bodies SET entry = '{broken' WHERE id = 1")
    checked = coach("journal", "check")
    assert checked.returncode == 0
    assert checked.stdout.splitlines() == [
        "The journal's cache was damaged; it has been rebuilt from the files.",
        "All 7 reflections are readable.",
    ]
    assert len(rows("list", "-n", "100")) == 7


def test_counts_at_their_edges(journal: Path, coach_home: Path) -> None:
    none = coach("journal", "list", "-n", "0")
    assert none.stdout.strip() == "(0 of 7; -n to see more)"
    assert len(rows("list", "-n", "99999999999999999999999")) == 7  # beyond 64 bits: all
    negative = coach("journal", "list", "-n", "-1")
    assert negative.returncode == 2
    single = coach_home / "single"
    write(single, "learn", at(day(0)), {"listen": "only one"})
    stats = coach("journal", "stats", "--journal", str(single), env={"COLUMNS": "120"})
    assert "1 reflection\n" in stats.stdout
    assert coach("journal", "check", "--journal", str(single)).stdout.strip() == (
        "The reflection is readable."
    )
    exported = coach("journal", "export", "-f", "markdown", "--journal", str(single)).stdout
    assert f"1 reflection, {day(0)} to {day(0)}." in exported


def test_a_year_before_1000_is_written_in_full(coach_home: Path) -> None:
    old = coach_home / "journal" / "old.md"
    old.parent.mkdir(parents=True)
    old.write_text("---\nplaybook: learn\nstarted: 0999-05-01 09:30:00\n---\n")
    table = coach("journal", "list", env={"COLUMNS": "150"})
    assert "0999-05-01 09:30" in table.stdout
    assert rows("list")[0]["date"].startswith("0999-05-01")
    markdown = coach("journal", "export", "-f", "markdown").stdout
    assert "## 0999-05-01 09:30 · learn" in markdown


def test_search_with_no_room_says_how_many_match(journal: Path) -> None:
    none = coach("journal", "search", "refund", "-n", "0")
    assert none.stdout.strip() == "(0 best of 2 matches; -n to see more)"


def test_list_keeps_its_handles_when_narrow_and_is_never_cut_into_a_pipe(journal: Path) -> None:
    narrow = coach("journal", "list", env={"COLUMNS": "60"}).stdout.splitlines()
    assert narrow[0].split()[:3] == ["#", "date", "playbook"]  # the number `show N` takes
    assert "audience" not in narrow[0]  # what is left out first
    assert [line.split()[0] for line in narrow[1:]] == [str(n) for n in range(1, 8)]
    assert all(len(line) <= 60 for line in narrow)
    long = "a long answer " * 20
    write(journal, "learn", at(day(0), "23:59"), {"listen": long.strip()})
    piped = coach("journal", "list", "-n", "1", env={"COLUMNS": ""}).stdout
    assert long.strip() in piped and "…" not in piped  # no terminal: nothing cut
    assert max(len(line) for line in piped.splitlines()) < len(long) + 80  # and no padding
    assert "…" in coach("journal", "list", "-n", "1", env={"COLUMNS": "100"}).stdout
