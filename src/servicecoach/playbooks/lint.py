"""`coach playbooks validate --strict`: what is valid but will not work well during a call."""

from __future__ import annotations

from pathlib import Path

from servicecoach.errors import Problem
from servicecoach.places import COMMAND_NAMES
from servicecoach.playbooks.model import AUDIENCES, Loc, Playbook, Step, format_loc
from servicecoach.yamldata import read_yaml

MAX_CUE_WORDS = 25


def _words(text: str) -> int:
    return len(text.split())


def lint(playbook: Playbook, path: Path) -> list[Problem]:
    """Warnings for a valid playbook, each at the line and column of what it is about."""
    _, located = read_yaml(path.read_bytes(), str(path), "playbook")
    warnings: list[Problem] = []

    def warn(loc: Loc, message: str) -> None:
        line, column = located.position(loc)
        warnings.append(Problem(str(path), line, column, format_loc(loc), f"warning: {message}"))

    if playbook.id in COMMAND_NAMES:
        warn(
            ("id",),
            f"'{playbook.id}' is also a coach command, so 'coach {playbook.id}' cannot run "
            "this playbook; rename the file",
        )
    if not playbook.source:
        warn((), "no 'source': say where the model comes from, or who wrote the playbook")
    for index, step in enumerate(playbook.steps):
        loc: Loc = ("steps", index)
        for field, text in _cue_texts(step):
            if _words(text) > MAX_CUE_WORDS:
                warn(
                    (*loc, *field),
                    f"{_words(text)} words is too long to read during a call "
                    f"(at most {MAX_CUE_WORDS})",
                )
        if "recall" in playbook.modes and not step.recall:
            warn(loc, f"step '{step.id}' has no 'recall' question for recall mode")
    return sorted(warnings)


def _cue_texts(step: Step) -> list[tuple[Loc, str]]:
    """Every piece of a cue card, with where it is written."""
    texts: list[tuple[Loc, str]] = [(("say", i), phrase) for i, phrase in enumerate(step.say)]
    texts += [((name,), getattr(step, name)) for name in ("do", "tip") if getattr(step, name)]
    for audience in AUDIENCES:
        wording = step.wording.get(audience)
        if wording is None:
            continue
        for i, phrase in enumerate(wording.say or []):
            texts.append((("wording", audience, "say", i), phrase))
        for name in ("do", "tip"):
            if getattr(wording, name):
                texts.append((("wording", audience, name), getattr(wording, name)))
    return texts
