"""Rich renderables for playbooks: the cue card, the whole playbook at a glance, every step,
two revisions compared.

Every string that comes from a playbook or a person goes through `text.plain`: it becomes a
Rich `Text` (never parsed as markup) with control characters shown as visible escapes, so
neither `[bold]` nor a raw `ESC[2J` can reach the terminal as anything but literal text. What a
cue says, and in which order, is the playbook model's (`Wording.cue_lines`); this module only
draws it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from servicecoach.engine.answers import answer_hint
from servicecoach.text import plain

if TYPE_CHECKING:
    from rich.console import RenderableType

    from servicecoach.playbooks.model import Audience, Playbook, Step

CUE_STYLES = {"Say": "bold", "Do": "", "Tip": "italic"}


def elapsed(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return (f"{hours}:" if hours else "") + f"{rest // 60:02d}:{rest % 60:02d}"


def cue_body(step: Step, audience: Audience) -> Table:
    """The say / do / tip lines of a step, for this audience."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column()
    for label, texts in step.cue(audience).cue_lines():
        for index, text in enumerate(texts):
            grid.add_row(label if index == 0 else "", plain(text, CUE_STYLES[label]))
    return grid


def cue_card(
    step: Step, audience: Audience, number: int, total: int, seconds: float | None = None
) -> Panel:
    """The compact card a rep reads mid-call: step n of N, title, say, do, tip, time."""
    title = Text.assemble((f"{number}/{total} ", "dim"), plain(step.title, "bold"))
    subtitle = None
    if seconds is not None:  # the keys are said once, above the first card
        subtitle = Text(elapsed(seconds), style="dim")
    return Panel(
        cue_body(step, audience),
        title=title,
        title_align="left",
        subtitle=subtitle,
        subtitle_align="right",
        border_style="cyan",
        padding=(0, 1),
    )


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
            details.add_row("Live:", plain(step.question_text(audience, recall=False)))
        if "recall" in playbook.modes:
            details.add_row("Recall:", plain(step.question_text(audience, recall=True)))
        details.add_row("Answer:", plain(answer_hint(step)))
        details.add_row("Id:", plain(f"{step.id} (in an --answers file)"))
        if step.when:
            details.add_row("Only when:", plain(step.when.describe()))
        parts.append(Padding(details, (0, 0, 0, 2)))
    if playbook.wrap_up:
        parts.append(Text("Wrap-up (recall)", style="bold"))
        for question in playbook.wrap_up:
            parts.append(plain(f"  • {question.ask}  [{answer_hint(question)}; id: {question.id}]"))
    if playbook.rotating is not None:
        pick = playbook.rotating.pick
        parts.append(Text(f"Rotating (recall): {pick} of these, a different set each day", "bold"))
        for question in playbook.rotating.questions:
            parts.append(plain(f"  • {question.ask}  [{answer_hint(question)}; id: {question.id}]"))
    return Group(*parts)


def glance(playbook: Playbook, audience: Audience) -> Panel:
    """Every step on one screen, in the shortest form: what a rep glances at when they freeze.
    The steps are numbered as the model's letters run; a step asked only on a condition is a
    branch (↳) under them, not a letter of its own."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="dim", justify="right", no_wrap=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    number = 0
    for step in playbook.steps:
        headline = plain(step.cue(audience).headline())
        if step.when is not None:  # a branch of the step it depends on: the acronym stays
            table.add_row("", plain(f"↳ {step.title}", "dim"), headline)
            continue
        number += 1
        table.add_row(str(number), plain(step.title), headline)
    return Panel(
        table,
        title=plain(playbook.title, "bold"),
        title_align="left",
        subtitle=Text(f"at a glance · {audience}", style="dim"),
        subtitle_align="right",
        border_style="magenta",
        padding=(0, 1),
    )


def diff_lines(lines: list[str]) -> list[Text]:
    """`coach playbooks diff`'s lines, added green, removed red, changed yellow."""
    styles = {"+": "green", "-": "red", "~": "yellow"}
    return [plain(line, styles.get(line.strip()[:1], "")) for line in lines]
