"""YAML text -> plain Python data, with `safe_load` semantics, bounds and positions.

PyYAML composes a document into nodes (which know their line and column); we build plain data
from those nodes ourselves, so that we can reject duplicate keys (which `safe_load` silently
drops), bound alias expansion and nesting, and remember where every value came from. Scalars
are constructed by PyYAML's SafeConstructor, except the commonest ones (text, small integers,
null, booleans), which are read directly: that is most of the cost of reading a journal.
"""

from __future__ import annotations

from typing import Any

import yaml

from servicecoach.errors import PlaybookInvalid, Problem
from servicecoach.places import MAX_YAML_BYTES

Loc = tuple[str | int, ...]

MAX_BYTES = MAX_YAML_BYTES
MAX_NODES = 100_000
MAX_DEPTH = 64

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class Located:
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
        fast = _plain_scalar(node)
        if fast is not _SLOW:
            return fast
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

    def position(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Where `loc` (its key, with `key`) is in the file, or its nearest ancestor."""
        for end in range(len(loc), -1, -1):
            part = loc[:end]
            if key and part in self.keys:
                return self.keys[part]
            if part in self.values:
                return self.values[part]
        return 1, 1

    def _problem(self, node: yaml.Node, loc: Loc, message: str) -> None:
        self.problems.append((_pos(node.start_mark), loc, message))


_SLOW = object()
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_BOOLS = yaml.constructor.SafeConstructor.bool_values


def _plain_scalar(node: yaml.Node) -> Any:
    """The value of the commonest scalars (text, small decimal ints, null, booleans) without
    PyYAML's general constructor machinery, which dominates the cost of reading a journal.
    Anything else returns _SLOW and goes through SafeConstructor as usual."""
    tag, value = node.tag, node.value
    if tag == _STR:
        return value
    if tag == _INT and value.isascii() and value.isdecimal() and (value == "0" or value[0] != "0"):
        return int(value)  # a leading 0 is octal in YAML 1.1: leave it to the constructor
    if tag == _NULL:
        return None
    if tag == _BOOL and value.lower() in _BOOLS:
        return _BOOLS[value.lower()]
    return _SLOW


class _TooBig(ValueError):
    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.position = _pos(node.start_mark)
        self.message = message


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _pos(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def read_yaml(raw: bytes | str, path: str, what: str = "file") -> tuple[Any, Located]:
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
    located = Located(loader)
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


def load_data(text: str) -> Any:
    """One YAML document as plain data, with `safe_load` semantics (the last of duplicate keys
    wins) but faster, and bounded: at most MAX_NODES values (alias bombs) nested at most
    MAX_DEPTH deep. Raises yaml.YAMLError (or _TooBig, a ValueError) for what cannot be read."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        return _Lean(loader).build(node, 0)
    finally:
        loader.dispose()


class _Lean:
    """Plain data from nodes without positions: for reading many small documents quickly."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.count = 0

    def build(self, node: yaml.Node, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(node, f"more than {MAX_NODES:,} values (an alias bomb?)")
        if depth > MAX_DEPTH:
            raise _TooBig(node, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, yaml.ScalarNode):
            fast = _plain_scalar(node)
            return self.loader.construct_object(node, deep=True) if fast is _SLOW else fast
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            return [self.build(item, depth + 1) for item in node.value]
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            self.loader.flatten_mapping(node)
            result = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, depth + 1)
                if not isinstance(key, str | int | bool | float | type(None)):
                    raise yaml.constructor.ConstructorError(
                        None, None, "a key must be plain text", key_node.start_mark
                    )
                result[key] = self.build(value_node, depth + 1)
            return result
        return self.loader.construct_object(node, deep=True)  # raises for unsafe tags
