"""YAML text -> `Playbook`, reporting every problem of a file as `path:line:col: field: sentence`.

`yamldata.read_yaml` gives the data with the position of every value and key; the models
(`model.py`) and `cross_check` find the problems; this module says them in a team lead's
terms, at the right line and column, all of them in one run.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from servicecoach.errors import PlaybookInvalid, Problem
from servicecoach.places import read_at_most
from servicecoach.playbooks.model import Loc, Playbook, cross_check, format_loc, is_slug
from servicecoach.yamldata import MAX_BYTES, MAX_DEPTH, MAX_NODES, read_yaml

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "load_playbook", "parse_playbook", "read_yaml"]


def load_playbook(path: Path, *, any_name: bool = False) -> Playbook:
    """Read and validate one playbook file; raise `PlaybookInvalid` listing all its problems.

    With `any_name`, an `id:` in the file need not match the file's name (an old revision
    saved as /tmp/old.yaml, say)."""
    try:
        raw = read_at_most(path, MAX_BYTES)
    except OSError as error:
        reason = error.strerror or str(error)
        raise PlaybookInvalid(str(path), [Problem(str(path), 1, 1, "", reason)]) from None
    return parse_playbook(raw, str(path), path.stem, any_name=any_name)


def parse_playbook(
    raw: bytes | str, path: str, playbook_id: str, *, any_name: bool = False
) -> Playbook:
    """Validate playbook text; `playbook_id` is what the file name implies (its stem)."""
    data, located = read_yaml(raw, path, "playbook", one_reading=True)
    if not isinstance(data, dict):
        problem = Problem(path, 1, 1, "", "a playbook is a mapping of keys (id, title, steps, ...)")
        raise PlaybookInvalid(path, [problem])
    if any_name and isinstance(data.get("id"), str):
        playbook_id = data["id"]

    problems = [
        Problem(path, line, column, format_loc(loc), message)
        for (line, column), loc, message in located.problems
    ]
    taken = {loc for _, loc, _ in located.problems}

    def at(loc: Loc, message: str, *, key: bool = False) -> None:
        """Add a problem, one per place: the first (most basic) explanation wins."""
        if loc in taken:
            return
        taken.add(loc)
        line, column = located.position(loc, key=key)
        problems.append(Problem(path, line, column, format_loc(loc), message))

    file_name = Path(path).name
    if "id" in data:
        if isinstance(data["id"], str) and is_slug(data["id"]) and data["id"] != playbook_id:
            at(("id",), f"id '{data['id']}' does not match the file name '{file_name}'")
    elif is_slug(playbook_id):
        data["id"] = playbook_id
    else:
        at(
            ("id",),
            f"the file name '{file_name}' does not make a valid id; rename it like "
            "'my-playbook.yaml' or add an id",
        )
    try:
        playbook: Playbook | None = Playbook.model_validate(data)
    except ValidationError as error:
        for loc, message, on_key in _explain(error, data):
            at(loc, message, key=on_key)
        playbook = None
    for loc, message in cross_check(data, lambda loc: located.position(loc)[0]):
        at(loc, message)
    if problems or playbook is None:
        raise PlaybookInvalid(path, _unique(problems))
    data_bytes = raw if isinstance(raw, bytes) else raw.encode()
    playbook._digest = hashlib.sha256(data_bytes).hexdigest()[:12]
    return playbook


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _data_loc(loc: tuple[Any, ...], data: Any, *, missing: bool) -> Loc:
    """Drop the parts of a pydantic `loc` that name union members rather than data."""
    kept: list[str | int] = []
    for index, part in enumerate(loc):
        in_dict = isinstance(data, dict) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        if in_dict or in_list:
            data = data[part]
        elif not (missing and index == len(loc) - 1):
            continue
        kept.append(part)
    return tuple(kept)


_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)",
    "none_required": "empty",
}


_FIELD_TYPES = {"say": "a phrase or a list of phrases"}


def _explain(error: ValidationError, data: dict[str, Any]) -> list[tuple[Loc, str, bool]]:
    """Turn pydantic's errors into (loc, sentence, points-at-key) in the team lead's terms."""
    by_loc: dict[Loc, list[dict[str, Any]]] = {}
    for item in error.errors(include_url=False):
        loc = _data_loc(item["loc"], data, missing=item["type"] == "missing")
        by_loc.setdefault(loc, []).append(item)
    explained: list[tuple[Loc, str, bool]] = []
    for loc, items in by_loc.items():
        types_ = [i["type"] for i in items]
        if all(t in _TYPE_NAMES for t in types_):
            wanted = _FIELD_TYPES.get(str(loc[-1]) if loc else "") or " or ".join(
                dict.fromkeys(_TYPE_NAMES[t] for t in types_ if t != "none_required")
            )
            value = items[0]["input"]
            got = _describe(value)
            quote = wanted == "text" and not isinstance(value, str | list | dict | type(None))
            hint = " (put it in quotes to make it text)" if quote else ""
            explained.append((loc, f"should be {wanted or 'empty'}, not {got}{hint}", False))
            continue
        for item in items:
            if item["type"] in _TYPE_NAMES and len(items) > 1:
                continue
            explained.append(_sentence(loc, item))
    return explained


def _sentence(loc: Loc, item: dict[str, Any]) -> tuple[Loc, str, bool]:
    kind, ctx, value = item["type"], item.get("ctx") or {}, item["input"]
    name = loc[-1] if loc else ""
    if kind == "missing":
        return loc, f"required key '{name}' is missing", False
    if kind == "extra_forbidden":
        known = _known_keys(loc[:-1])
        hint = difflib.get_close_matches(str(name), known, n=1)
        also = f" (did you mean '{hint[0]}'?)" if hint else f" (known keys: {', '.join(known)})"
        return loc, f"unknown key '{name}'{also}", True
    if kind == "literal_error":
        expected = ctx.get("expected", "").replace("'", "")
        choices = [c.strip() for c in expected.replace(" or ", ", ").split(",") if c.strip()]
        hint = difflib.get_close_matches(str(value), choices, n=1)
        also = f" (did you mean '{hint[0]}'?)" if hint else ""
        return loc, f"'{value}' is not one of: {', '.join(choices)}{also}", False
    if kind == "string_pattern_mismatch":
        return (
            loc,
            f"'{value}' is not a valid id: use lowercase letters, digits and dashes "
            "(up to 40 characters, starting with a letter or digit)",
            False,
        )
    if kind in ("too_short", "string_too_short"):
        return loc, "must not be empty", False
    if kind == "string_too_long":
        return loc, f"is too long (more than {ctx.get('max_length')} characters)", False
    if kind == "greater_than_equal":
        return loc, f"must be at least {ctx.get('ge')}, not {value!r}", False
    return loc, str(item["msg"]), False


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text '{value[:40]}'"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    return repr(value)


def _known_keys(loc: Loc) -> list[str]:
    """The keys a mapping at `loc` may have, found by walking the models' annotations."""
    current: Any = Playbook
    for part in loc:
        current = _unwrap(current, part)
        if current is None:
            return []
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any, part: str | int) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(str(part))
        return _strip_optional(field.annotation) if field else None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is list and isinstance(part, int):
        return _strip_optional(args[0])
    if origin is dict:
        return _strip_optional(args[1])
    return None


def _strip_optional(annotation: Any) -> Any:
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return members[0] if len(members) == 1 else annotation
    if typing.get_origin(annotation) is typing.Annotated:
        return typing.get_args(annotation)[0]
    return annotation
