"""Converting option and argument values as Typer does, without importing pydantic to do it.

Typer 0.29 converts each parameter's value through a pydantic `TypeAdapter`, built on first use.
Importing pydantic for that costs more than importing Typer itself (`import typer,
typer._adapters` takes 2.1x `import typer`), on every command, although coach's parameters are
only text, whole numbers, paths, choices and lists of those. `convert_lightly(command)` gives
each such parameter of a command (and of its subcommands) a converter that returns what Typer's
would:

- text as it is, a flag's True or False, and a whole number (written in plain digits, or a
  default) within the option's bounds;
- a path and a choice through Typer's own functions (`coerce_cli_path`, `coerce_cli_choice`),
  which are what its adapters call;

and hands every other value (`-n 1_0`, `--mode nope`, anything it is not sure of) to Typer's own
converter, so that what Typer accepts stays exactly Typer's, and every error it gives too,
except that a whole number it refuses is said in words for people, not pydantic's. Where
Typer's internals are not what this module expects (another version), parameters keep Typer's
converter: slower, never different. `tests/unit/test_conversion.py` compares the two over every
parameter of every command.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

import typer

try:
    from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
    from typer._param_types import coerce_cli_choice, coerce_cli_path
except ImportError:  # another Typer: its own conversion, unchanged
    RuntimeParam = None  # type: ignore[assignment,misc]

_DIGITS = re.compile(r"0|[1-9][0-9]{0,17}")


class _Unsure(Exception):
    """This value is for Typer's own converter to judge."""


Leaf = Callable[[Any, Any, Any], Any]
"""(value, parameter, context) -> the converted value, or _Unsure."""


def _text(value: Any, param: Any, ctx: Any) -> Any:
    if isinstance(value, str):
        return value
    raise _Unsure


def _flag(value: Any, param: Any, ctx: Any) -> Any:
    if isinstance(value, bool):
        return value
    raise _Unsure


def _whole_number(low: float | None, high: float | None) -> Leaf:
    def convert(value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, str) and _DIGITS.fullmatch(value):
            number = int(value)
        elif type(value) is int:  # a default
            number = value
        else:
            raise _Unsure
        if (low is None or number >= low) and (high is None or number <= high):
            return number
        raise _Unsure

    return convert


def _path(info: Any) -> Leaf:
    def convert(value: Any, param: Any, ctx: Any) -> Any:
        if not isinstance(value, str) or not value:
            raise _Unsure
        return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)

    return convert


def _choice(choices: tuple[Any, ...], case_sensitive: bool) -> Leaf:
    def convert(value: Any, param: Any, ctx: Any) -> Any:
        if not isinstance(value, str):
            raise _Unsure
        try:
            return coerce_cli_choice(value, choices=choices, case_sensitive=case_sensitive, ctx=ctx)
        except ValueError:
            raise _Unsure from None

    return convert


def _leaf(annotation: Any, info: Any) -> Leaf | None:
    """The converter for one value of this type, or None if Typer's must do it."""
    if info.parser is not None or info.clamp:
        return None
    if annotation is str:
        return _text
    if annotation is bool:  # a flag's value is a bool already; unset (None), it is asked too
        return _flag
    if annotation is int:
        return _whole_number(info.min, info.max)
    if annotation is Path and not _path_checks(info):
        return _path(info)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return _choice(tuple(annotation), info.case_sensitive)
    return None


def _path_checks(info: Any) -> bool:
    """Whether the path option asks Typer for more than a path (it must exist, be resolved)."""
    return bool(info.exists or info.resolve_path or info.allow_dash or info.path_type)


if RuntimeParam is not None:

    @dataclass(frozen=True)
    class _Light(RuntimeParam):
        """Typer's conversion contract (`coerce`: None and empty lists handled by Typer's
        base class), with our leaf converter first and Typer's own behind it."""

        descriptor: TypeDescriptor | None = None
        leaf: Leaf | None = None
        many: bool = False
        refusal: Callable[[Any], str] | None = None

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            assert self.leaf is not None and self.descriptor is not None
            try:
                if not self.many:
                    return self.leaf(value, param, ctx)
                items = value if isinstance(value, (list, tuple)) else [value]
                return [self.leaf(item, param, ctx) for item in items]
            except _Unsure:
                typers = build_runtime_param(self.descriptor)
                try:
                    return typers._coerce_value(value, param=param, ctx=ctx)
                except typer.BadParameter:
                    if self.refusal is None:
                        raise
                    raise typer.BadParameter(self.refusal(value)) from None


def _light(param: Any) -> Any | None:
    descriptor = getattr(param, "type_descriptor", None)
    if RuntimeParam is None or not isinstance(descriptor, TypeDescriptor):
        return None
    if descriptor.file_annotation is not None:
        return None
    annotation, info, many = descriptor.annotation, descriptor.parameter_info, False
    if get_origin(annotation) is list and len(get_args(annotation)) == 1:
        annotation, many = get_args(annotation)[0], True
    leaf = _leaf(annotation, info)
    if leaf is None:
        return None
    return _Light(
        parameter_info=info,
        annotation=descriptor.annotation,
        descriptor=descriptor,
        leaf=leaf,
        many=many,
        refusal=_not_a_number(info.min, info.max) if annotation is int else None,
    )


def _not_a_number(low: float | None, high: float | None) -> Callable[[Any], str]:
    """What a person is told for a value Typer refuses as a whole number (its own words are
    pydantic's: "Input should be a valid integer, unable to parse string as an integer")."""
    from servicecoach.text import visible

    def say(value: Any) -> str:
        try:
            number = int(value)
        except (TypeError, ValueError):
            return f"'{visible(str(value))}' is not a whole number."
        if low is not None and number < low:
            return f"{number} is less than {low:g}."
        if high is not None and number > high:
            return f"{number} is more than {high:g}."
        return f"'{visible(str(value))}' is not a whole number."

    return say


Command = typer.core.TyperCommand | typer.core.TyperGroup


def parameters(command: Command, ctx: Any) -> Iterator[Any]:
    """Every parameter of `command` and of its subcommands, with the help option each adds.
    `ctx` is a context of the root command: the help option is named after it (`-h`,
    `--help`), and is made here as it would be there."""
    yield from command.params
    help_option = command.get_help_option(ctx)
    if help_option is not None:
        yield help_option
    for sub in getattr(command, "commands", {}).values():
        yield from parameters(sub, ctx)


def convert_lightly(command: Command, ctx: Any) -> None:
    """Give the parameters of `command` and its subcommands the light converter where it
    applies."""
    for param in parameters(command, ctx):
        if getattr(param, "_runtime_param", False) is None:  # not converted yet
            light = _light(param)
            if light is not None:
                param._runtime_param = light  # type: ignore[attr-defined]
