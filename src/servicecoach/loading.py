"""YAML text -> `Playbook`, reporting every problem of a file as `path:line:col: field: sentence`.

PyYAML composes the document into nodes (which know their line and column); we build plain
Python data from those nodes ourselves so that we can reject duplicate keys (which `safe_load`
silently drops), bound alias expansion and nesting, and remember where every value came from.
Scalars are constructed by PyYAML's SafeConstructor, so the semantics are those of `safe_load`.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from servicecoach.errors import PlaybookInvalid, Problem
from servicecoach.playbook import Loc, Playbook, cross_check, format_loc, is_slug

MAX_BYTES = 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 64

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Located:
    """Plain data built from YAML nodes, with the position of every value and key."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.values: dict[Loc, tuple[int, int]] = {}
        self.keys: dict[Loc, tuple[int, int]] = {}
        self.problems: list[tuple[tuple[int, int], Loc, str]] = []
        self.count = 0

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(node, f"more than {MAX_NODES:,} values (an alias bomb?)")
        if len(loc) > MAX_DEPTH:
            raise _TooBig(node, f"nested more than {MAX_DEPTH} levels deep")
        self.values[loc] = _pos(node.start_mark)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self._problem(node, loc, f"unsupported YAML tag {_short(node.tag)}")
                return None
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            self._problem(node, loc, f"unsupported YAML tag {_short(node.tag)}")
            return None

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> Any:
        if node.tag != _MAP:
            self._problem(node, loc, f"unsupported YAML tag {_short(node.tag)}")
            return None
        first_line: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | bool | float | type(None)):
                self._problem(key_node, loc, "a key must be plain text")
                continue
            if key in first_line:
                self._problem(
                    key_node,
                    (*loc, key),
                    f"duplicate key '{key}' (first on line {first_line[key]}); "
                    "YAML would silently keep only the last one",
                )
            else:
                first_line[key] = key_node.start_mark.line + 1
        self.loader.flatten_mapping(node)  # `<<` merge keys, as safe_load does
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | bool | float | type(None)):
                continue
            self.keys[(*loc, key)] = _pos(key_node.start_mark)
            result[key] = self.build(value_node, (*loc, key))
        return result

    def _problem(self, node: yaml.Node, loc: Loc, message: str) -> None:
        self.problems.append((_pos(node.start_mark), loc, message))


class _TooBig(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.position = _pos(node.start_mark)
        self.message = message


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _pos(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def load_playbook(path: Path, *, playbook_id: str | None = None) -> Playbook:
    """Read and validate one playbook file; raise `PlaybookInvalid` listing all its problems."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise PlaybookInvalid(str(path), [Problem(str(path), 1, 1, "", reason)]) from None
    return parse_playbook(raw, str(path), playbook_id or path.stem)


def read_yaml(raw: bytes | str, path: str, what: str = "file") -> tuple[Any, _Located]:
    """Parse one YAML document with positions; raise `PlaybookInvalid` for anything that is not
    well-formed, unique-keyed UTF-8 YAML of reasonable size."""

    def fail(line: int, column: int, message: str) -> PlaybookInvalid:
        return PlaybookInvalid(path, [Problem(path, line, column, "", message)], what=what)

    if len(raw) > MAX_BYTES:
        raise fail(1, 1, f"the file is larger than {MAX_BYTES // 1024} KiB")
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            before = raw[: error.start]
            line = before.count(b"\n") + 1
            column = error.start - (before.rfind(b"\n") + 1) + 1
            raise fail(line, column, "the file is not UTF-8 text; save it as UTF-8") from None
    else:
        text = raw.removeprefix("\ufeff")
    if "\0" in text:
        line = text[: text.index("\0")].count("\n") + 1
        raise fail(line, 1, "the file contains a NUL byte; it is not a text file")

    loader = _Loader(text)
    located = _Located(loader)
    try:
        node = loader.get_single_node()
        data = located.build(node, ()) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = _pos(mark) if mark else (1, 1)
        message = str(error.problem or error.context)
        if error.context and error.problem:
            message += f" {error.context}"
            if error.context_mark and _pos(error.context_mark) != (line, column):
                start_line, start_column = _pos(error.context_mark)
                message += f" (from line {start_line}, column {start_column})"
        raise fail(line, column, f"YAML syntax: {message}") from None
    except yaml.YAMLError as error:
        raise fail(1, 1, f"YAML syntax: {error}") from None
    except _TooBig as error:
        raise fail(*error.position, error.message) from None
    except RecursionError:
        raise fail(1, 1, f"nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()
    if data is None:
        raise fail(1, 1, f"the {what} is empty")
    return data, located


def parse_playbook(raw: bytes | str, path: str, playbook_id: str) -> Playbook:
    """Validate playbook text; `playbook_id` is what the file name implies (its stem)."""
    data, located = read_yaml(raw, path, "playbook")
    if not isinstance(data, dict):
        problem = Problem(path, 1, 1, "", "a playbook is a mapping of keys (id, title, steps, ...)")
        raise PlaybookInvalid(path, [problem])

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
        line, column = _position_of(located, loc, key=key)
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
    for loc, message in cross_check(data):
        at(loc, message)
    if problems or playbook is None:
        raise PlaybookInvalid(path, _unique(problems))
    data_bytes = raw if isinstance(raw, bytes) else raw.encode()
    playbook._digest = hashlib.sha256(data_bytes).hexdigest()[:12]
    return playbook


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _position_of(located: _Located, loc: Loc, *, key: bool) -> tuple[int, int]:
    """The position of `loc` in the file, or of its nearest ancestor that is there."""
    for end in range(len(loc), -1, -1):
        part = loc[:end]
        if key and part in located.keys:
            return located.keys[part]
        if part in located.values:
            return located.values[part]
    return 1, 1


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
