"""YAML text -> plain Python data, with `safe_load` semantics, bounds and positions.

PyYAML composes a document into nodes (which know their line and column); we build plain data
from those nodes ourselves, so that we can reject duplicate keys (which `safe_load` silently
drops), bound alias expansion and nesting, and remember where every value came from. Scalars
are constructed by PyYAML's SafeConstructor, except the commonest ones (text, small integers,
null, booleans), which are read directly: that is most of the cost of reading a journal.
"""

from __future__ import annotations

import functools
import re
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
    """Plain data built from YAML nodes, with the position of every value and key. With
    `one_reading`, a plain value that YAML 1.1 (PyYAML) and YAML 1.2 (editors, JSON Schema
    tools) read differently is a problem, with what to write instead."""

    def __init__(self, loader: yaml.SafeLoader, *, one_reading: bool = False) -> None:
        self.loader = loader
        self.one_reading = one_reading
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
        value = _plain_scalar(node)
        if value is _SLOW:
            try:
                value = self.loader.construct_object(node, deep=True)
            except yaml.constructor.ConstructorError:
                self._problem(node, loc, f"unsupported YAML tag {_short(node.tag)}")
                return None
        if self.one_reading and not node.style and isinstance(node, yaml.ScalarNode):  # plain
            other = _as_yaml_1_2(node.value)
            if type(other) is not type(value) or repr(other) != repr(value):
                self._problem(node, loc, _two_readings(node.value, value, other))
        return value

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


_NULL_12 = re.compile(r"~|null|Null|NULL|")
_BOOL_12 = {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_INT_12 = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT_12 = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)


def _as_yaml_1_2(text: str) -> Any:
    """A plain scalar as YAML 1.2's core schema reads it (what editors and JSON Schema
    tools see)."""
    if _NULL_12.fullmatch(text):
        return None
    if text in _BOOL_12:
        return _BOOL_12[text]
    if _INT_12.fullmatch(text):
        base = {"0o": 8, "0x": 16}.get(text[:2], 10)
        return int(text[2:] if base != 10 else text, base)
    if _FLOAT_12.fullmatch(text):
        return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
    return text


def _two_readings(text: str, ours: Any, theirs: Any) -> str:
    def what(value: Any) -> str:
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, int | float):
            return repr(value)
        if value is None or isinstance(value, str):
            return "text" if value is not None else "null"
        return f"the date {value.isoformat()}" if hasattr(value, "isoformat") else "a value"

    if isinstance(ours, bool) or isinstance(theirs, bool):
        hint = "write true or false, or quote it if it is text"
    elif isinstance(ours, str):
        hint = "quote it, as it is text"
    elif isinstance(theirs, str):
        hint = "quote it if it is text"
    else:
        hint = "write the number plainly (10, 1.5), or quote it if it is text"
    return (
        f"'{text}' reads as {what(ours)} in YAML 1.1 but as {what(theirs)} in YAML 1.2 "
        f"(editors, JSON Schema tools): {hint}"
    )


class _TooBig(ValueError):
    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.position = _pos(node.start_mark)
        self.message = message


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _pos(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def read_yaml(
    raw: bytes | str, path: str, what: str = "file", *, one_reading: bool = False
) -> tuple[Any, Located]:
    """Parse one YAML document with positions; raise `PlaybookInvalid` for anything that is not
    well-formed, unique-keyed UTF-8 YAML of reasonable size (with `one_reading`, or that YAML
    1.1 and 1.2 would read differently)."""

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
    located = Located(loader, one_reading=one_reading)
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
    simple = _block(text)
    if simple is not _OUTSIDE:
        return simple
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


# --- the plain block YAML that PyYAML's emitter writes ----------------------------------------
#
# Reading a reflection's front matter through PyYAML costs about 0.4 ms, most of it building
# node objects; a journal's first sync reads every file. The front matter coach writes is block
# YAML of a simple shape: mappings of plain keys, sequences of scalars, plain text (folded over
# lines where long), single-quoted text, numbers, booleans, null. `_block` reads exactly that
# shape and answers _OUTSIDE for anything else (a comment, a tag, an anchor, a flow collection,
# double quotes, a block scalar, a blank line, a tab, a character YAML would refuse, a scalar
# whose type is not text, a plain integer, a boolean or null): that goes to PyYAML, as does
# every document a person edited into another shape. Where it answers, it answers what PyYAML
# would (`tests/unit/test_yamldata.py` holds the two together over generated documents).

_OUTSIDE = object()
_LINE = re.compile(r"^( *)(- )?(?:([A-Za-z0-9_][A-Za-z0-9_.-]*):(?: |$))?(.*)$", re.MULTILINE)
"""A line: its indentation, a sequence's dash, a mapping's key, and the rest (a value)."""
_INDICATORS = frozenset(" -?:,[]{}#&*!|>'\"%@`")
"""What a plain scalar may not start with here (a space: PyYAML skips it; the rest have
meanings of their own)."""
_REFUSED = re.compile(
    "[^\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)  # control characters, tabs, CR and the other line breaks (NEL, LS, PS), a BOM: PyYAML's
_RESOLVERS = yaml.resolver.Resolver.yaml_implicit_resolvers
_FLOW = ("[]", "{}")
_Row = tuple[str, str, str, str]


class _Outside(Exception):
    """Not the simple shape: PyYAML reads this document."""


def _block(text: str) -> Any:
    """`text` as plain data if it is plain block YAML of the simple shape, else _OUTSIDE."""
    if _REFUSED.search(text) or " \n" in text or text.endswith(" "):
        return _OUTSIDE  # refused characters, or trailing spaces
    rows = _LINE.findall(text)  # indentation as its spaces: longer is deeper, compared as text
    while rows and rows[-1] == _BLANK:
        rows.pop()
    if not rows or _BLANK in rows or rows[0][0]:
        return _OUTSIDE  # empty, or a blank line inside (which may belong to a scalar)
    if 2 * len(rows) >= MAX_NODES:  # a key and a value a line at most: PyYAML counts them
        return _OUTSIDE
    try:
        data, at = _mapping(rows, 0, "", 0)
    except _Outside:
        return _OUTSIDE
    return data if at == len(rows) else _OUTSIDE


_BLANK = ("", "", "", "")
_NONE_ROW = ("", "", "", "")  # after the last row: less indented than any value


def _mapping(rows: list[_Row], at: int, indent: str, depth: int) -> tuple[dict[Any, Any], int]:
    """The mapping whose keys are at `indent` from row `at`, and the row after it."""
    if depth > MAX_DEPTH:
        raise _Outside  # PyYAML says how it is too deep
    end, result = len(rows), {}
    while at < end:
        column, dash, key, rest = rows[at]
        if column != indent:
            if column > indent:
                raise _Outside
            break
        if dash or not key:
            raise _Outside
        at += 1
        if rest:
            result[_remembered(key)], at = _scalar(rows, at, rest, indent)
            continue
        following = rows[at] if at < end else _NONE_ROW
        if at < end and following[0] >= indent and following[1]:
            result[_remembered(key)], at = _sequence(rows, at, following[0], depth + 1)
        elif following[0] > indent:
            result[_remembered(key)], at = _mapping(rows, at, following[0], depth + 1)
        else:
            result[_remembered(key)] = None
    return result, at


def _sequence(rows: list[_Row], at: int, indent: str, depth: int) -> tuple[list[Any], int]:
    """The sequence whose dashes are at `indent` from row `at`, and the row after it."""
    if depth > MAX_DEPTH:
        raise _Outside
    end, result = len(rows), []
    while at < end:
        column, dash, key, rest = rows[at]
        if column != indent or not dash:
            break
        if key:  # a mapping in the sequence (`- step: x`, then its keys two further in)
            if not rest:
                raise _Outside
            inner = indent + "  "
            first, at = _scalar(rows, at + 1, rest, inner)
            more, at = _mapping(rows, at, inner, depth + 1)
            result.append({_remembered(key): first, **more})
            continue
        if not rest:
            raise _Outside  # an empty item
        value, at = _scalar(rows, at + 1, rest, indent)
        result.append(value)
    return result, at


def _scalar(rows: list[_Row], at: int, first: str, indent: str) -> tuple[Any, int]:
    """A value that starts on its key's (or dash's) line, with the rows from `at` that
    continue it (indented further), and the row after it."""
    if at == len(rows) or rows[at][0] <= indent:  # on one line
        if first[0] in _INDICATORS:
            if first in _FLOW:
                return ([] if first == "[]" else {}), at
            if first[0] == "'" and len(first) > 1 and first[-1] == "'":
                inner = first[1:-1]
                if "'" not in inner.replace("''", ""):
                    return inner.replace("''", "'"), at
            raise _Outside
        if " #" in first or ": " in first or first[-1] == ":":
            raise _Outside
        return _plain(first), at
    parts = [first]
    while at < len(rows) and rows[at][0] > indent:
        _, dash, key, rest = rows[at]
        if dash or key:
            raise _Outside
        parts.append(rest)
        at += 1
    for part in parts:
        if part[0] in _INDICATORS or " #" in part or ": " in part or part[-1] == ":":
            raise _Outside
    return _plain(" ".join(parts)), at


def _plain(text: str) -> Any:
    """A plain scalar's value, as PyYAML resolves it: text, a decimal integer, a boolean or
    null; anything else (an octal or a sexagesimal number, a float, a date) is outside."""
    return _remembered(text) if len(text) <= 40 else _resolved(text)


@functools.lru_cache(maxsize=4096)
def _remembered(text: str) -> Any:
    """`_resolved`, remembered: short scalars (keys, statuses, ids) repeat in every document."""
    return _resolved(text)


def _resolved(text: str) -> Any:
    resolvers = _RESOLVERS.get(text[0], [])
    tag = _STR
    for candidate, pattern in resolvers:
        if pattern.match(text):
            tag = candidate
            break
    if tag == _STR:
        return text
    if tag == _INT and text.isdecimal() and (text == "0" or text[0] != "0"):
        return int(text)
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return _BOOLS[text.lower()]
    raise _Outside
