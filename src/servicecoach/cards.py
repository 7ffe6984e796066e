"""Rich renderables: cue cards, recall headers and playbook listings.

Every string that comes from a playbook or a person goes through `plain()`: it becomes a Rich
`Text` (never parsed as markup) with control characters shown as visible escapes, so neither
`[bold]` nor a raw `ESC[2J` can reach the terminal as anything but literal text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from servicecoach.richtext import plain
from servicecoach.session import KEY_HINT

if TYPE_CHECKING:
    from rich.console import RenderableType

    from servicecoach.catalog import Entry
    from servicecoach.playbook import Audience, Playbook, Question, Step


def elapsed(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return (f"{hours}:" if hours else "") + f"{rest // 60:02d}:{rest % 60:02d}"


def cue_body(step: Step, audience: Audience) -> Table:
    """The say / do / tip lines of a step, for this audience."""
    cue = step.cue(audience)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column()
    for index, phrase in enumerate(cue.say or []):
        grid.add_row("Say" if index == 0 else "", plain(f"“{phrase}”", "bold"))
    if cue.do:
        grid.add_row("Do", plain(cue.do))
    if cue.tip:
        grid.add_row("Tip", plain(cue.tip, "italic"))
    return grid


def cue_card(
    step: Step, audience: Audience, number: int, total: int, seconds: float | None = None
) -> Panel:
    """The compact card a rep reads mid-call: step n of N, title, say, do, tip, time."""
    title = Text.assemble((f"{number}/{total} ", "dim"), plain(step.title, "bold"))
    subtitle = None
    if seconds is not None:
        subtitle = Text(f"{KEY_HINT} · {elapsed(seconds)}", style="dim")
    return Panel(
        cue_body(step, audience),
        title=title,
        title_align="left",
        subtitle=subtitle,
        subtitle_align="right",
        border_style="cyan",
        padding=(0, 1),
    )


def question_text(question: Question, audience: Audience, recall: bool) -> str:
    """What to ask for a step or a wrap-up question in this mode."""
    from servicecoach.playbook import Step

    if not isinstance(question, Step):
        return question.ask  # type: ignore[attr-defined]
    cue = question.cue(audience)
    if recall:
        return cue.recall or f"How did “{question.title}” go?"
    return cue.ask or "Note"


def prompt_label(question: str) -> str:
    """A question as a prompt: the ' › ' that follows makes a trailing colon redundant."""
    return question.rstrip().removesuffix(":")


def playbook_overview(playbook: Playbook, audience: Audience) -> RenderableType:
    """Every step of a playbook as the rep will see it, for `coach playbooks show`."""
    header = Text.assemble(
        plain(playbook.title, "bold"),
        (f"  {playbook.id} v{playbook.version}", "dim"),
    )
    parts: list[RenderableType] = [header, plain(playbook.summary)]
    if playbook.source:
        parts.append(plain(f"Source: {playbook.source}", "dim"))
    parts.append(
        Text(
            f"Modes: {', '.join(playbook.modes)} · Audiences: {', '.join(playbook.audiences)}"
            f" · showing wording for: {audience}",
            style="dim",
        )
    )
    total = len(playbook.steps)
    for number, step in enumerate(playbook.steps, start=1):
        parts.append(cue_card(step, audience, number, total))
        details = Table.grid(padding=(0, 1))
        details.add_column(style="dim", no_wrap=True)
        details.add_column()
        if "live" in playbook.modes:
            details.add_row("Live:", plain(question_text(step, audience, recall=False)))
        if "recall" in playbook.modes:
            details.add_row("Recall:", plain(question_text(step, audience, recall=True)))
        details.add_row("Answer:", plain(answer_hint(step)))
        if step.when:
            details.add_row("Only when:", plain(step.when.describe()))
        parts.append(Padding(details, (0, 0, 0, 2)))
    if playbook.wrap_up:
        parts.append(Text("Wrap-up (recall)", style="bold"))
        for question in playbook.wrap_up:
            parts.append(plain(f"  • {question.ask}  [{answer_hint(question)}]"))
    return Group(*parts)


def answer_hint(question: Question) -> str:
    """A short description of what an answer looks like, for prompts and listings."""
    optional = ", optional" if question.optional else ""
    if question.kind == "note":
        return f"free text{optional}"
    if question.kind == "scale":
        return f"1-5{optional}"
    if question.kind == "yesno":
        return f"y/n{optional}"
    options = ", ".join(question.options or [])
    many = "one or more of" if question.kind == "checklist" else "one of"
    return f"{many}: {options}{optional}"


def playbook_table(rows: list[tuple[Entry, Playbook | None]]) -> Table:
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("id", "title", "steps", "modes", "origin"):
        table.add_column(column, no_wrap=column != "title")
    for entry, playbook in rows:
        origin = entry.origin + (" (overrides another)" if entry.hides else "")
        if playbook is None:
            table.add_row(plain(entry.id), Text("(has problems)", style="red"), "", "", origin)
        else:
            table.add_row(
                plain(entry.id),
                plain(playbook.title),
                str(len(playbook.steps)),
                ", ".join(playbook.modes),
                origin,
            )
    return table


def glance(playbook: Playbook, audience: Audience) -> Panel:
    """Every step on one screen, in the shortest form: what a rep glances at when they freeze."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim", justify="right", no_wrap=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for number, step in enumerate(playbook.steps, start=1):
        cue = step.cue(audience)
        line = f"“{cue.say[0]}”" if cue.say else (cue.do or "")
        table.add_row(str(number), plain(step.title), plain(line))
    return Panel(
        table,
        title=plain(playbook.title, "bold"),
        title_align="left",
        subtitle=Text(f"at a glance · {audience}", style="dim"),
        subtitle_align="right",
        border_style="magenta",
        padding=(0, 1),
    )
