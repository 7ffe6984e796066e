"""The built-in playbooks as a trainer reads them: our own words (no run of eight words from
a source text), cues short enough for a call, recall questions that look back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from servicecoach.playbooks.lint import MAX_CUE_WORDS, lint
from servicecoach.playbooks.loading import load_playbook
from servicecoach.playbooks.model import AUDIENCES, Playbook

from ..conftest import REPO

SEEDS = REPO.parent / "shared" / "seeds"
BUILTINS = sorted((REPO / "playbooks").glob("*.yaml"))
RUN = 8
QUOTED = [
    "What can I do to make it right",  # the five languages of apology's phrases
    "I will try not to do that again",
    "The Five Languages of Apology in the Workplace",  # titles, named as sources
    "Four Customer Service Secrets to Help Your Business Take Off",
    "treat others the way they want to be treated",  # the Platinum Rule, quoted as such
]
"""Canonical phrases and titles, quoted with attribution: the only runs a playbook may share
with a source text."""


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'", ""))


def _runs(text: str) -> set[tuple[str, ...]]:
    for phrase in QUOTED:  # a quotation breaks the run: words on either side do not join it
        text = re.sub(re.escape(phrase), " | ", text, flags=re.IGNORECASE)
    words = _words(text.replace("|", " 0quote0 "))
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def _texts(playbook: Playbook) -> list[str]:
    texts = [playbook.title, playbook.summary, playbook.source or ""]
    for step in playbook.steps:
        texts += [step.title, *step.say, step.do or "", step.tip or "", step.ask or ""]
        texts += [step.recall or "", *(step.options or [])]
        for wording in step.wording.values():
            texts += [*(wording.say or []), wording.do or "", wording.tip or ""]
            texts += [wording.ask or "", wording.recall or ""]
    texts += [question.ask for question in playbook.wrap_up]
    if playbook.rotating:
        texts += [question.ask for question in playbook.rotating.questions]
    return texts


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source texts (../shared/seeds) are not here")
@pytest.mark.parametrize("path", BUILTINS, ids=[p.stem for p in BUILTINS])
def test_no_run_of_eight_words_comes_from_a_source_text(path: Path) -> None:
    sources: set[tuple[str, ...]] = set()
    for seed in SEEDS.glob("*.txt"):
        sources |= _runs(seed.read_text(encoding="utf-8"))
    texts = _texts(load_playbook(path))
    copied = [" ".join(run) for text in texts for run in _runs(text) & sources]
    assert not copied, copied


@pytest.mark.parametrize("path", BUILTINS, ids=[p.stem for p in BUILTINS])
def test_every_builtin_passes_strict_validation(path: Path) -> None:
    assert lint(load_playbook(path), path) == []


@pytest.mark.parametrize("path", BUILTINS, ids=[p.stem for p in BUILTINS])
def test_every_live_cue_fits_a_glance(path: Path) -> None:
    playbook = load_playbook(path)
    for step in playbook.steps:
        for audience in AUDIENCES:
            for _, texts in step.cue(audience).cue_lines():
                for text in texts:
                    assert len(text.split()) <= MAX_CUE_WORDS, (step.id, audience, text)


PAST = re.compile(
    r"\b(did|was|were|had|went|said|made|felt|took|gave|got|told|left|kept|knew|heard|saw|"
    r"thought|brought|came|found|meant|sought|put|let|set|stood|spoke|chose|\w+ed)\b",
    re.IGNORECASE,
)
PRESENT_OPENING = re.compile(r"^(do|does|is|are|can|will|should|would)\b", re.IGNORECASE)


@pytest.mark.parametrize("path", BUILTINS, ids=[p.stem for p in BUILTINS])
def test_every_recall_question_looks_back(path: Path) -> None:
    """Recall is asked after the interaction: its questions are in the past tense."""
    playbook = load_playbook(path)
    if "recall" not in playbook.modes:
        return
    for step in playbook.steps:
        for audience in AUDIENCES:
            question = step.question_text(audience, recall=True)
            assert PAST.search(question), (step.id, audience, question)
            assert not PRESENT_OPENING.match(question), (step.id, audience, question)
