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
