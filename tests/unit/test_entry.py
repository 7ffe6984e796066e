"""An entry read back from the journal's cache is the entry its file's front matter makes, and its
JSON is the JSON pydantic gives for it: `journal export --format json` and `stats --json` keep
the same bytes now that reading the cache needs no pydantic."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from servicecoach.journal.entry import DamagedRecord, Entry, iso
from servicecoach.journal.export import indented
from servicecoach.journal.front_matter import FrontMatter, parse_entry
from servicecoach.journal.index import Filters, JournalIndex
from servicecoach.journal.stats import Stats, compute

from ..journal_fixture import seven_reflections

zones = st.one_of(
    st.none(),
    st.just(dt.UTC),
    st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m))),
)
moments = st.builds(
    lambda moment, zone: moment.replace(tzinfo=zone),
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)),
    zones,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=8)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=8,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(moment=moments)
def test_a_moment_is_written_as_pydantic_writes_it(moment: dt.datetime) -> None:
    assert json.dumps(iso(moment)) == TypeAdapter(dt.datetime).dump_json(moment).decode()


@settings(max_examples=200, deadline=None)
@given(
    started=moments,
    at=st.none() | moments,
    answer=json_values,
    rating=st.none() | st.integers(1, 5),
    tags=st.lists(st.text(max_size=6), max_size=3),
)
def test_an_entry_and_its_record_are_what_pydantic_makes_of_the_front_matter(
    started: dt.datetime, at: dt.datetime | None, answer: Any, rating: int | None, tags: list[str]
) -> None:
    data = {
        "playbook": "apology",
        "started": started,
        "at": at,
        "rating": rating,
        "tags": tags,
        "steps": {"regret": {"answer": answer, "status": "done"}},
    }
    expected = FrontMatter.model_validate(data).model_dump(mode="json")
    entry = Entry.from_record(expected)
    assert entry.record() == expected
    assert json.dumps(entry.record()) == json.dumps(expected)
    assert Entry.from_record(json.loads(json.dumps(entry.record()))) == entry


def test_hand_written_front_matter_reads_as_before() -> None:
    text = (
        "---\nplaybook: apology\nstarted: 2026-01-05\nat: 2026-01-05 10:00:00\ntags: vip\n"
        "steps:\n  regret: 2026-01-01\n  3: [a, b]\n---\nbody\n"
    )
    entry = parse_entry(text, "2026/01/a.md")
    assert entry.started == dt.datetime(2026, 1, 5)
    assert entry.at == dt.datetime(2026, 1, 5, 10)
    assert entry.tags == ["vip"]
    assert entry.steps == {"regret": {"answer": "2026-01-01"}, "3": {"answer": ["a", "b"]}}
    assert entry.path == "2026/01/a.md"


@pytest.mark.parametrize(
    "record",
    [
        {},
        {"playbook": "a"},
        {"playbook": "a", "started": "yesterday"},
        {"playbook": 3, "started": "2026-01-01T00:00:00"},
        {"playbook": "a", "started": "2026-01-01T00:00:00", "rating": "4"},
        {"playbook": "a", "started": "2026-01-01T00:00:00", "tags": "vip"},
        {"playbook": "a", "started": "2026-01-01T00:00:00", "steps": {"x": "answer"}},
        {"playbook": "a", "started": "2026-01-01T00:00:00", "unknown": 1},
        ["playbook", "a"],
        "text",
    ],
)
def test_a_record_the_cache_did_not_write_is_damage(record: Any) -> None:
    with pytest.raises(DamagedRecord):
        Entry.from_record(record)


def test_stats_json_is_what_pydantic_writes(tmp_path: Any) -> None:
    journal = seven_reflections(tmp_path / "journal")
    index = JournalIndex(journal, None)
    index.sync()
    for filters in (Filters(), Filters(playbook="daily"), Filters(playbook="nothing")):
        stats = compute(index, filters, dt.date.today())
        assert stats.to_json() == TypeAdapter(Stats).dump_json(stats, indent=2).decode()


@settings(max_examples=300, deadline=None)
@given(value=json_values)
def test_records_are_indented_as_json_indents_them(value: Any) -> None:
    out: list[str] = []
    indented([value, {"a": value, "b": [value]}], "\n", out)
    expected = json.dumps([value, {"a": value, "b": [value]}], ensure_ascii=False, indent=1)
    assert "".join(out) == expected


@given(st.text(alphabet="\\<>#*-_`~=+ ab", max_size=16))
def test_a_line_made_safe_for_markdown_reads_back_as_typed(line: str) -> None:
    from servicecoach.journal.entry import as_typed, block_safe

    assert as_typed(block_safe(line)) == line
    assert "<" not in block_safe(line).replace("\\<", "")  # every < escaped
