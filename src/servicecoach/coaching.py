"""Running a playbook end to end: catalog -> session -> front end -> reflection -> journal.

The promise kept here: after every answer the draft is on disk; Ctrl-C, EOF, SIGTERM or SIGHUP
leave it there with a sentence saying how to continue (exit 130); when nothing can be written,
the answers are printed for the person to copy.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from servicecoach.answers import coerce_given, is_rating, parse_tags
from servicecoach.catalog import Catalog
from servicecoach.config import resolve_paths
from servicecoach.drafts import DraftStore
from servicecoach.errors import (
    AnswerError,
    CoachError,
    DraftNotFound,
    JournalError,
    PlaybookInvalid,
)
from servicecoach.journal import save_reflection
from servicecoach.playbook import AUDIENCES, Audience, Mode, Playbook
from servicecoach.session import OUTCOMES, Frontend, QuitRequested, Session, SessionState, drive

if TYPE_CHECKING:
    from servicecoach.launch import Prelude


@dataclass(frozen=True)
class FirstScreen:
    """The first screen of a run: launch.py may already have printed it (`shown`), and the
    front end stores what it prints, for launch.py to show at once next time."""

    cache: Path
    path: Path
    digest: str
    recall: bool
    audience: str
    shown: bool = False

    def store(self, width: int, text: str) -> None:
        from servicecoach.launch import card_file, card_key
        from servicecoach.storage import write_atomic

        env = dict(os.environ)
        key = card_key(self.path, self.digest, self.recall, self.audience, width, env)
        with contextlib.suppress(CoachError):  # only an optimisation
            write_atomic(Path(card_file(self.cache, key)), text.encode())


class Interrupted(CoachError):
    """Ctrl-C, EOF or a closed terminal: the draft is kept."""

    exit_code = 130


def now() -> datetime:
    return datetime.now().astimezone()


@dataclass(frozen=True)
class RunOptions:
    recall: bool = False
    audience: str = "customer"
    journal: Path | None = None
    dry_run: bool = False
    answers: Path | None = None
    prelude: Prelude | None = None
    """The first screen launch.py already printed, if it did."""
    at: datetime | None = None
    """When the interaction happened (--at), for a reflection written later."""


def pick_mode(playbook: Playbook, recall: bool) -> Mode:
    """`--recall` asks for recall; a playbook with a single mode (daily) always uses it."""
    if len(playbook.modes) == 1:
        return playbook.modes[0]
    return "recall" if recall else "live"


def check_audience(audience: str) -> Audience:
    if audience not in AUDIENCES:
        raise CoachError(f"Unknown audience '{audience}'; choose one of: {', '.join(AUDIENCES)}.")
    return audience  # type: ignore[return-value]


class _Hangup(KeyboardInterrupt):
    """SIGTERM or SIGHUP, handled like Ctrl-C."""


@contextlib.contextmanager
def _signals_as_interrupts() -> Iterator[None]:
    def handler(signum: int, frame: Any) -> None:
        raise _Hangup

    wanted = [signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {sig: signal.signal(sig, handler) for sig in wanted}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


class Runner:
    """One coaching run (new or resumed) with its draft, front end and output."""

    def __init__(
        self,
        frontend: Frontend,
        *,
        journal: Path,
        drafts: DraftStore | None,
        dry_run: bool = False,
        clock: Callable[[], datetime] = now,
        out: Callable[[str], None] | None = None,
    ) -> None:
        self.frontend = frontend
        self.journal = journal
        self.drafts = drafts
        self.dry_run = dry_run
        self.clock = clock
        self.out = out or (lambda text: print(text))
        self.draft_failed = False

    @property
    def keeps_drafts(self) -> bool:
        return self.drafts is not None and not self.draft_failed

    def save_draft(self, state: SessionState) -> None:
        if self.drafts is None or self.draft_failed:
            return
        try:
            self.drafts.save(state)
        except JournalError as error:
            self.draft_failed = True
            self.frontend.notice(
                f"Warning: {error} Keep going: your answers will be printed "
                "if they cannot be saved."
            )

    def interact(self, session: Session) -> None:
        try:
            with _signals_as_interrupts():
                drive(session, self.frontend, self.clock, self.save_draft)
        except QuitRequested:
            self._stop(session, interrupted=False)
        except (KeyboardInterrupt, EOFError):
            with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
                self.frontend.interrupted()
            self._stop(session, interrupted=True)

    def _stop(self, session: Session, *, interrupted: bool) -> None:
        from servicecoach.reflection import render

        state = session.state
        if self.dry_run:
            self.out(render(session))
            message = "Dry run: nothing was saved; the reflection so far is printed above."
        elif self.keeps_drafts and not state.records:
            assert self.drafts is not None
            self.drafts.discard(state.draft_id)
            message = "Stopped before any answer; nothing to keep."
        else:
            self.save_draft(state)  # again: the interrupt may have cut the last save short
            if self.keeps_drafts:
                message = (
                    f"Draft saved ({len(state.records)} answered). "
                    f"Continue with: coach resume {state.draft_id}"
                )
            else:
                self.out(render(session))
                message = "Your answers could not be saved; they are printed above to copy."
        if interrupted:
            raise Interrupted(message)
        if not self.dry_run and not self.keeps_drafts:
            raise JournalError(message)
        self.frontend.notice(message)

    def finish(self, session: Session) -> Path | None:
        from servicecoach.reflection import render

        if session.state.finished is None:
            session.finish(self.clock())
        markdown = render(session)
        if self.dry_run:
            self.out(markdown)
            return None
        try:
            path = save_reflection(
                self.journal, session.state.started, session.state.playbook, markdown
            )
        except JournalError as error:
            self.save_draft(session.state)
            if self.keeps_drafts:
                raise JournalError(
                    f"{error} Your answers are kept in a draft; fix the folder, then run: "
                    f"coach resume {session.state.draft_id}"
                ) from None
            self.out(markdown)
            raise JournalError(f"{error} The reflection is printed above to copy.") from None
        if self.drafts is not None:
            self.drafts.discard(session.state.draft_id)
        return path


def _frontend(title: str, first_screen: FirstScreen | None = None) -> Any:
    if sys.stdin.isatty():
        from servicecoach.terminal import RichFrontend

        return RichFrontend(title=title, first_screen=first_screen)
    from servicecoach.terminal import PlainFrontend

    return PlainFrontend()


def run_playbook(catalog: Catalog, playbook_id: str, options: RunOptions) -> None:
    paths = resolve_paths(journal=options.journal)
    playbook = catalog.load(playbook_id)
    audience = check_audience(options.audience)
    mode = pick_mode(playbook, options.recall)
    started = now()
    prelude = options.prelude
    shown = prelude is not None and (prelude.playbook_id, prelude.digest, prelude.recall,
                                     prelude.audience) == (playbook_id, playbook.digest,
                                                           options.recall, audience)  # fmt: skip
    if shown:
        assert prelude is not None
        started = datetime.fromtimestamp(prelude.started).astimezone()
    answers = _read_answers(options.answers) if options.answers else None
    drafts = None if options.dry_run or answers is not None else DraftStore(paths.drafts)
    path = catalog.find(playbook_id).path
    first = FirstScreen(paths.cache, path, playbook.digest, options.recall, audience, shown=shown)
    frontend = _frontend(playbook.title, first)
    draft_id = f"{started:%Y%m%d-%H%M%S}-{playbook.id}"
    with contextlib.ExitStack() as stack:
        if drafts is not None:
            try:
                draft_id = drafts.reserve(started, playbook.id)
                stack.enter_context(drafts.lock(draft_id))
            except JournalError as error:
                frontend.notice(f"Warning: {error} Drafts are off for this run.")
                drafts = None
        session = Session.start(playbook, mode, audience, started, draft_id, options.at)
        if options.journal is not None:
            session.state.journal = str(options.journal.resolve())
        runner = Runner(frontend, journal=paths.journal, drafts=drafts, dry_run=options.dry_run)
        if answers is not None:
            fill_from_answers(session, *answers)
        else:
            frontend.begin(playbook.title, f"{mode} · {audience}")
            runner.interact(session)
        _finish(runner, session, frontend)


def _finish(runner: Runner, session: Session, frontend: Any) -> None:
    if session.done:
        path = runner.finish(session)
        if path is not None:
            frontend.say(f"Saved: {path}", "green")


def resume(catalog: Catalog, draft_id: str | None, journal: Path | None) -> None:
    drafts = DraftStore(resolve_paths().drafts)
    if draft_id is None:
        found, _ = drafts.all()
        if not found:
            raise CoachError("There are no drafts to resume.")
        draft_id = found[0].draft_id if len(found) == 1 else _choose_draft(found)
    with drafts.lock(draft_id):
        state = drafts.load(draft_id)
        if journal is None and state.journal:
            journal = Path(state.journal)  # where the interrupted run was going to save
        paths = resolve_paths(journal=journal)
        playbook = catalog.load(state.playbook)
        frontend = _frontend(playbook.title)
        session = Session(playbook, state)
        if playbook.digest != state.playbook_hash:
            frontend.notice(
                "The playbook has changed since this draft was started; continuing with the "
                "new one (answers to steps it no longer has are kept in the reflection)."
            )
            state.playbook_version, state.playbook_hash = playbook.version, playbook.digest
        _realign(session)
        runner = Runner(frontend, journal=paths.journal, drafts=drafts)
        frontend.begin(playbook.title, f"resuming {draft_id} · {len(state.records)} answered")
        runner.interact(session)
        _finish(runner, session, frontend)


def _choose_draft(found: list[SessionState]) -> str:
    """With several drafts: list them and ask which (Enter: the newest)."""
    from servicecoach.commands import print_drafts

    if not sys.stdin.isatty():
        names = ", ".join(state.draft_id for state in found)
        raise CoachError(f"There are {len(found)} drafts; name the one to resume: {names}.")
    print_drafts(found, numbered=True)
    with contextlib.suppress(ImportError):  # line editing, as at every other prompt
        import readline  # noqa: F401
    while True:
        try:
            answer = input(f"Which draft? 1-{len(found)} (Enter: 1) › ").strip() or "1"
        except (KeyboardInterrupt, EOFError):
            raise Interrupted("Nothing resumed.") from None
        if answer.isascii() and answer.isdecimal() and 1 <= int(answer) <= len(found):
            return found[int(answer) - 1].draft_id
        print(f"Type a number from 1 to {len(found)}.")


def _realign(session: Session) -> None:
    """Point a restored session at its first unanswered item (positions may have shifted)."""
    state = session.state
    state.history = [i for i, item in enumerate(session.items) if item.key in state.records]
    state.position = 0
    while (item := session.current()) is not None and item.key in state.records:
        state.position += 1


def list_drafts() -> tuple[list[SessionState], list[Path]]:
    return DraftStore(resolve_paths().drafts).all()


def discard_draft(draft_id: str) -> None:
    drafts = DraftStore(resolve_paths().drafts)
    with drafts.lock(draft_id):
        if not drafts.path(draft_id).exists():
            raise DraftNotFound(f"No draft called '{draft_id}'; see 'coach resume --list'.")
        drafts.discard(draft_id)  # readable or not: a broken draft can go too


def _read_answers(path: Path) -> tuple[dict[str, Any], str]:
    from servicecoach.loading import read_yaml

    try:
        raw = path.read_bytes()
    except OSError as error:
        raise AnswerError(f"Cannot read the answers file {path}: {error.strerror}.") from None
    try:
        data, located = read_yaml(raw, str(path), "answers file")
    except PlaybookInvalid as error:
        raise AnswerError(str(error)) from None
    if located.problems:
        (line, column), _loc, message = located.problems[0]
        raise AnswerError(f"{path}:{line}:{column}: {message}")
    if not isinstance(data, dict):
        raise AnswerError(f"{path}: an answers file maps step ids to answers (id: answer).")
    return data, str(path)


def fill_from_answers(session: Session, data: dict[str, Any], path: str) -> None:
    """Answer every item from `data` (step id -> answer, or {answer, rating, skipped});
    items it does not name are recorded as skipped. Answers to rotating questions that are
    not asked today are left out (an answers file serves every day)."""
    known = {item.key: item for item in session.items}
    pool = session.playbook.rotating.questions if session.playbook.rotating else []
    not_today = {q.id for q in pool} - set(known)  # rotating questions not asked today
    for key in data:
        if key not in known and key not in not_today:
            ids = ", ".join(known)
            raise AnswerError(f"{path}: '{key}' is not a step of '{session.playbook.id}' ({ids}).")
    while (item := session.current()) is not None:
        if item.key not in data:
            session.skip()
            continue
        value, rating = data[item.key], None
        try:
            if isinstance(value, dict):
                unknown = set(value) - {"answer", "rating", "skipped"}
                if unknown:
                    raise AnswerError(
                        f"unknown key '{sorted(unknown)[0]}' (answer, rating, skipped)"
                    )
                if value.get("skipped") is True:
                    session.skip()
                    continue
                rating = value.get("rating")
                if rating is not None and not is_rating(rating):
                    raise AnswerError(f"rating {rating!r} is not a whole number from 1 to 5")
                value = value.get("answer")
            if item.section == "closing":
                answer = _closing_answer(item.key, value)
            else:
                answer = coerce_given(item.question, value)
        except AnswerError as error:
            raise AnswerError(f"{path}: {item.key}: {error}.") from None
        session.record(answer, rating if session.state.mode == "recall" else None)


def _closing_answer(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key == "outcome":
        if value not in OUTCOMES:
            raise AnswerError(f"{value!r} is not one of: {', '.join(OUTCOMES)}")
        return value
    if key == "rating":
        if not is_rating(value):
            raise AnswerError(f"{value!r} is not a whole number from 1 to 5")
        return value
    text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return parse_tags(text) or None
