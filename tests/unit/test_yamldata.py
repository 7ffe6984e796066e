"""Plain block YAML read without PyYAML gives what PyYAML gives, and only for what it can read:
over documents PyYAML's emitter writes (as coach writes front matter), and over those documents
edited by hand, character by character."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicecoach.journal.reflection import _Dumper
from servicecoach.yamldata import _OUTSIDE, _block, load_data

TRICKY = [
    "yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "~", "Null", "NULL", "", " ",
    "0", "007", "0o17", "0x1f", "1_000", "+5", "-3", "1.5", ".5", "1e3", "1:30", "2026-01-05",
    "2026-01-05 10:00:00", "a: b", "a #b", "#a", "a:", "- a", "? a", "[a]", "{a}", "&a", "*a",
    "!a", "|", ">", "'a'", '"a"', "%a", "@a", "`a", "a\nb", "a\n\nb", " a", "a ", "a  b",
    "don't", "http://x.y/z", "a,b", "x" * 90, "word " * 30, "é “curly” ü", "\u2028", "\x85",
    "\x1b[31m", "\t", "a\tb", "...", "---", "<<", "=", "\ufeff",
]  # fmt: skip

texts = st.one_of(st.sampled_from(TRICKY), st.text(max_size=40), st.text("ab :#-'\n", max_size=30))
scalars = st.one_of(texts, st.integers(-5, 10**6), st.booleans(), st.none())
keys = st.one_of(st.sampled_from(["status", "answer", "rating", "own-default", "a.b", "3"]), texts)
values = st.recursive(
    scalars,
    lambda inner: st.lists(scalars, max_size=3) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)
documents = st.dictionaries(keys, values, min_size=1, max_size=6)


def typed(value: Any) -> Any:
    """A value with the type of every part spelt out (1, True and '1' are not the same)."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    return (type(value).__name__, value)


def dump(data: dict[str, Any], width: int) -> str:
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
        width=width,
    )  # fmt: skip


PYYAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""What coach reads YAML with (its C and Python loaders differ at odd edges, such as a lone
`!`)."""


def agrees(text: str) -> None:
    """Where `_block` reads `text`, PyYAML reads the same; where PyYAML refuses it, so does
    `_block`."""
    try:
        expected = yaml.load(text, Loader=PYYAML)  # a safe loader
    except Exception:  # YAMLError, or PyYAML's own ValueError for a \U beyond Unicode
        assert _block(text) is _OUTSIDE
        return
    found = _block(text)
    if found is not _OUTSIDE:
        assert typed(found) == typed(expected)
    assert typed(load_data(text)) == typed(expected)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.sampled_from([80, 20, 200]))
def test_what_the_emitter_writes_reads_as_pyyaml_reads_it(data: dict[str, Any], width: int) -> None:
    agrees(dump(data, width))


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.data())
def test_hand_edits_read_as_pyyaml_reads_them_or_go_to_pyyaml(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    text = dump(data, 40)
    for _ in range(draw.draw(st.integers(1, 3))):
        where = draw.draw(st.integers(0, len(text)))
        edit = draw.draw(st.sampled_from(["insert", "delete", "indent"]))
        if edit == "insert":
            inserted = draw.draw(st.sampled_from(list(" #:-'\"\n\t[]{}&*!|>?%,~")))
            text = text[:where] + inserted + text[where:]
        elif edit == "delete" and where < len(text):
            text = text[:where] + text[where + 1 :]
        else:
            start = text.rfind("\n", 0, where) + 1
            text = text[:start] + " " + text[start:]
    agrees(text)


def test_a_reflection_as_coach_writes_it_is_read_without_pyyaml() -> None:
    text = dump(
        {
            "format": 1, "playbook": "apology", "session": "20261128-101010-apology",
            "title": "Five languages of apology", "started": "2026-11-28T10:10:10+01:00",
            "duration_s": 75, "outcome": None, "rating": 4, "tags": ["billing", "vip"],
            "skipped": [],
            "steps": {"regret": {"status": "done", "answer": " ".join(["word"] * 30)},
                      "own": {"status": "skipped"}},
        },
        80,
    )  # fmt: skip
    assert _block(text) is not _OUTSIDE
    agrees(text)
