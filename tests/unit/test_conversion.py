"""Option values converted without pydantic are exactly what Typer's own conversion gives: the
same value, or the same error, for every parameter of every command over varied values."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import typer
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param

from servicecoach.cli import app
from servicecoach.cli.conversion import convert_lightly
from servicecoach.cli.group import playbook_command

VALUES: list[Any] = [
    None, True, False, 0, 20, -3, (), [], "0", "5", "20", "007", "1_000", " 5", "5 ", "+5",
    "-1", "1e3", "٣", "99999999999999999999999", "abc", "", "customer", "CUSTOMER",
    "Supervisor", "follow-up", "FOLLOW-UP", "json", "Markdown", "nope", "~/journal", "/tmp",
    "/nonexistent/x", "-", ".", "x\ny", "\x1b[31mred", ("refund",), ("a", "B"), ["x"], ("",),
    ("/tmp", "missing.yaml"),
]  # fmt: skip


def commands() -> Iterator[tuple[str, Any, Any]]:
    root = typer.main.get_command(app)
    ctx = root.context_class(root, **root.context_settings)
    convert_lightly(root, ctx)
    playbook = playbook_command(ctx, "apology")
    convert_lightly(playbook, ctx)

    def walk(name: str, command: Any) -> Iterator[tuple[str, Any, Any]]:
        yield name, command, ctx
        for sub_name, sub in getattr(command, "commands", {}).items():
            yield from walk(f"{name} {sub_name}", sub)

    yield from walk("coach", root)
    yield "coach apology", playbook, ctx


def outcome(convert: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        return "value", convert(value, param=param, ctx=ctx)
    except BadParameter as error:
        return "error", error.format_message()


def parameters() -> list[tuple[str, Any, Any]]:
    found = []
    for name, command, ctx in commands():
        help_option = command.get_help_option(ctx)
        for param in [*command.params, *([help_option] if help_option else [])]:
            found.append((f"{name} {param.name}", param, ctx))
    return found


PARAMETERS = parameters()


@pytest.mark.parametrize(("name", "param", "ctx"), PARAMETERS, ids=[p[0] for p in PARAMETERS])
def test_each_value_converts_as_typer_converts_it(name: str, param: Any, ctx: Any) -> None:
    light = param._runtime_param
    typers = build_runtime_param(param.type_descriptor)
    numbers = param.type_descriptor.annotation is int
    for value in VALUES:
        mine = outcome(light.coerce, value, param, ctx)
        theirs = outcome(typers.coerce, value, param, ctx)
        if numbers and theirs[0] == "error":  # the same refusal, in words for people
            assert mine[0] == "error", f"{name}: {value!r}"
            assert "Input should" not in mine[1] and mine[1].endswith("."), mine[1]
            continue
        assert mine == theirs, f"{name}: {value!r}"


def test_every_parameter_of_coachs_commands_converts_without_pydantic() -> None:
    heavy = [
        name for name, param, _ in PARAMETERS if type(param._runtime_param).__name__ != "_Light"
    ]
    assert heavy == []
    assert len(PARAMETERS) > 40


def test_a_parameter_typer_does_not_describe_is_left_to_typer() -> None:
    class Foreign:
        def __init__(self) -> None:
            self.params = [typer.core.TyperOption(param_decls=["--x"], type_descriptor=None)]

        def get_help_option(self, ctx: Any) -> None:
            return None

    command = Foreign()
    command.params[0]._runtime_param = None
    convert_lightly(command, None)  # type: ignore[arg-type]
    assert command.params[0]._runtime_param is None
