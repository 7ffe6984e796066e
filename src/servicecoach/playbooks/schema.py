"""The JSON Schema of the playbook format, generated from the pydantic models.

Editors that use the YAML language server complete and check playbooks with it; a standard JSON
Schema validator rejects what `coach playbooks validate` rejects structurally (unknown keys,
wrong kinds, a choice without options). Rules across steps (duplicate ids, conditions that look
forward) are beyond JSON Schema and remain `coach playbooks validate`'s.
"""

from __future__ import annotations

import json
from typing import Any

from servicecoach.playbooks.model import RESERVED_IDS, Condition, Playbook

DIALECT = "https://json-schema.org/draft/2020-12/schema"

EXAMPLES: dict[str, dict[str, list[Any]]] = {
    "Playbook": {
        "id": ["refund", "handover"],
        "title": ["Refund request"],
        "version": [1, 2],
        "summary": ["Use when a customer asks for their money back."],
        "source": ["LEARN model, Chapman & Nelson (adapted)"],
        "audiences": [["customer", "coworker", "supervisor"]],
        "modes": [["live", "recall"], ["recall"]],
        "outcome": [True],
        "rate_steps": [True],
        "rotating": [{"pick": 1, "questions": [{"id": "proud", "ask": "What are you proud of?"}]}],
    },
    "Step": {
        "id": ["listen", "offer"],
        "title": ["Listen", "Offer a fix"],
        "say": ["I'm listening.", ["Tell me what happened.", "Take your time."]],
        "do": ["Let them finish before you answer."],
        "tip": ["Write down their words, not yours."],
        "ask": ["Their words"],
        "recall": ["What did they say, in their words?"],
        "kind": ["note", "choice"],
        "options": [["refund", "replacement", "store credit"]],
        "optional": [False],
        "when": [{"step": "promised", "equals": True}],
        "wording": [{"supervisor": {"say": "Walk me through it."}}],
    },
    "WrapUp": {
        "id": ["lesson"],
        "ask": ["What will you do differently next time?"],
        "kind": ["note"],
        "options": [["yes", "no", "partly"]],
        "optional": [True],
        "when": [{"step": "calm", "at_most": 2}],
    },
    "Rotating": {
        "pick": [2],
        "questions": [[{"id": "kindness", "ask": "Who was kind to you today?"}]],
    },
    "Wording": {
        "say": ["Walk me through it."],
        "do": ["Brief them before they have to ask."],
        "tip": ["Bring a proposed fix, not only the problem."],
        "ask": ["What they need from you"],
        "recall": ["What did your supervisor need?"],
    },
    "Condition": {
        "step": ["promised"],
        "equals": [True, "refund"],
        "not_equals": ["resolved"],
        "one_of": [["refund", "replacement"]],
        "includes": ["receipt"],
        "at_least": [4],
        "at_most": [2],
        "answered": [True],
    },
}


_TEXT = {"type": "string", "minLength": 1, "maxLength": 2000, "pattern": "\\S"}
_PHRASES = [_TEXT, {"type": "array", "items": _TEXT}]


def playbook_schema() -> dict[str, Any]:
    schema = Playbook.model_json_schema(mode="validation")
    definitions = schema["$defs"]
    models = {"Playbook": schema, **definitions}
    for name, model in models.items():
        for field, examples in EXAMPLES.get(name, {}).items():
            model["properties"][field]["examples"] = examples
    schema["required"].remove("id")  # the file name gives it
    for name, nullable in (("Step", False), ("Wording", True)):  # one phrase or a list
        say = definitions[name]["properties"]["say"]
        keep = {key: say[key] for key in ("title", "description", "examples") if key in say}
        options = [*_PHRASES, {"type": "null"}] if nullable else _PHRASES
        definitions[name]["properties"]["say"] = {**keep, "anyOf": options}
    for name in ("Step", "WrapUp"):
        definitions[name]["allOf"] = [
            {
                "if": {
                    "properties": {"kind": {"enum": ["choice", "checklist"]}},
                    "required": ["kind"],
                },
                "then": {
                    "required": ["options"],
                    "properties": {"options": {"type": "array", "minItems": 1}},
                },
                "else": {"not": {"required": ["options"]}},
            }
        ]
    for name in ("Step", "WrapUp"):
        definitions[name]["properties"]["id"]["not"] = {"enum": list(RESERVED_IDS)}
    definitions["Condition"]["oneOf"] = [
        {"required": [test], "properties": {test: {"not": {"type": "null"}}}}
        for test in Condition.TESTS
    ]
    ordered = {
        "$schema": DIALECT,
        "title": "servicecoach playbook",
        "description": "A playbook for coach (servicecoach): see docs/playbook-format.md.",
    }
    ordered.update({k: v for k, v in schema.items() if k not in ("title", "description")})
    return ordered


def schema_text() -> str:
    return json.dumps(playbook_schema(), indent=2, ensure_ascii=False) + "\n"
