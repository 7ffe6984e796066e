"""The JSON Schema: generated from the models, shipped, and as strict as validate's structure."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from servicecoach.playbooks.schema import schema_text

from ..conftest import FIXTURES, REPO

SHIPPED = REPO / "schema" / "playbook.schema.json"


def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SHIPPED.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_shipped_schema_is_the_generated_one() -> None:
    assert SHIPPED.read_text(encoding="utf-8") == schema_text(), (
        "regenerate it: coach playbooks schema > schema/playbook.schema.json"
    )


def test_every_builtin_validates_and_points_editors_at_the_schema() -> None:
    check = validator()
    for path in sorted((REPO / "playbooks").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../schema/playbook.schema.json\n")
        assert list(check.iter_errors(yaml.safe_load(text))) == [], path.name


STRUCTURAL = [
    "unknown-key",
    "unknown-kind",
    "unknown-audience",
    "wrong-type",
    "wrong-version",
    "missing-title",
    "no-steps",
    "choice-without-options",
    "options-on-note",
    "two-tests",
    "bad-step-id",
    "reserved-id",
    "not-a-mapping",
]


@pytest.mark.parametrize("name", STRUCTURAL)
def test_the_schema_rejects_what_validate_rejects_structurally(name: str) -> None:
    data = yaml.safe_load((FIXTURES / "broken" / f"{name}.yaml").read_text(encoding="utf-8"))
    assert list(validator().iter_errors(data)), f"{name} passes the schema"


def test_say_may_be_a_phrase_or_a_list_in_the_schema(tmp_path: Path) -> None:
    base = {"title": "T", "summary": "S", "steps": [{"id": "a", "title": "A"}]}
    check = validator()
    for say in ("Hello.", ["Hi.", "Hello."]):
        base["steps"][0]["say"] = say
        assert list(check.iter_errors(base)) == []
    base["steps"][0]["say"] = 12
    assert list(check.iter_errors(base))


BASE = """\
title: Refund
summary: A customer wants their money back.
version: 2
outcome: true
rate_steps: false
audiences: [customer, supervisor]
steps:
  - id: listen
    title: Listen
    say: I'm listening.
    optional: false
  - id: offer
    title: Offer
    kind: choice
    options: [refund, replacement]
    when: {step: listen, answered: true}
wrap_up:
  - id: lesson
    ask: What will you do next time?
"""

SAME_VERDICT = [
    ("outcome: true", "outcome: yes"),
    ("outcome: true", "outcome: on"),
    ("outcome: true", "outcome: 'yes'"),
    ("outcome: true", "outcome: True"),
    ("outcome: true", "outcome: 1"),
    ("rate_steps: false", "rate_steps: off"),
    ("rate_steps: false", "rate_steps: false\ncolour: blue"),
    ("optional: false", "optional: no"),
    ("answered: true", "answered: yes"),
    ("title: Listen", "title: '   '"),
    ("title: Listen", "title: 1e3"),
    ("title: Listen", "title: '1e3'"),
    ("title: Refund", "title: ''"),
    ("title: Refund", "title: null"),
    ("summary: A customer wants their money back.", "summary: ' '"),
    ("version: 2", "version: '2'"),
    ("version: 2", "version: 0"),
    ("version: 2", "version: 0x10"),
    ("version: 2", "version: 10"),
    ("say: I'm listening.", "say: [' ', Hello]"),
    ("say: I'm listening.", "say: [Hi, Hello]"),
    ("options: [refund, replacement]", "options: [refund, ' ']"),
    ("kind: choice", "kind: Choice"),
    ("audiences: [customer, supervisor]", "audiences: [customer, Supervisor]"),
]
"""Mutations whose rule JSON Schema can say: coach and a standard validator, reading the
file as YAML 1.2 as editors do, must agree."""

BEYOND_THE_SCHEMA = [
    ("title: Offer", "title: yes"),  # text to YAML 1.2, true to 1.1: only quoting tells
    ("version: 2", "version: 010"),  # 10 to YAML 1.2, 8 to 1.1: the schema sees 10
    ("version: 2", "version: 1.0"),  # JSON Schema's integer includes 1.0
]
"""Mutations coach refuses (with what to write instead) that no JSON Schema can tell apart
from valid ones once the YAML is read."""


def _verdicts(text: str) -> tuple[bool, bool]:
    from ruamel.yaml import YAML

    from servicecoach.errors import PlaybookInvalid
    from servicecoach.playbooks.loading import parse_playbook

    try:
        parse_playbook(text, "refund.yaml", "refund")
        coach_ok = True
    except PlaybookInvalid:
        coach_ok = False
    data = YAML(typ="safe", pure=True).load(text)
    return coach_ok, not list(validator().iter_errors(data))


def test_the_base_of_the_corpus_is_valid_to_both() -> None:
    assert _verdicts(BASE) == (True, True)


@pytest.mark.parametrize(("old", "new"), SAME_VERDICT, ids=[new for _, new in SAME_VERDICT])
def test_coach_and_a_json_schema_validator_agree(old: str, new: str) -> None:
    assert old in BASE
    coach_ok, schema_ok = _verdicts(BASE.replace(old, new, 1))
    assert coach_ok == schema_ok


@pytest.mark.parametrize(("old", "new"), BEYOND_THE_SCHEMA, ids=[n for _, n in BEYOND_THE_SCHEMA])
def test_what_only_coach_can_refuse_is_refused_with_a_hint(old: str, new: str) -> None:
    from servicecoach.errors import PlaybookInvalid
    from servicecoach.playbooks.loading import parse_playbook

    text = BASE.replace(old, new, 1)
    assert _verdicts(text) == (False, True)
    with pytest.raises(PlaybookInvalid) as refused:
        parse_playbook(text, "refund.yaml", "refund")
    message = str(refused.value)
    assert "YAML 1.2" in message or "whole number" in message
