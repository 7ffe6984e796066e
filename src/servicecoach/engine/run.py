"""Running a playbook end to end: catalog -> session -> front end -> reflection -> journal.

The promise kept here: after every answer the draft is on disk; Ctrl-C, EOF, SIGTERM or SIGHUP
leave it there with a sentence saying how to continue (exit 130); when nothing can be written,
the answers are printed for the person to copy. The front end is handed in by the caller
(`OpenFrontend`): this module decides what happens, never how it looks.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from servicecoach.config import Paths
from servicecoach.dates import local
from servicecoach.engine.answers import read_answers_file
from servicecoach.engine.drafts import DraftStore
from servicecoach.engine.session import (
    FOLLOW_UP_HINT,
    Frontend,
    QuitRequested,
    Session,
    SessionState,
    drive,
    replay,
)
from servicecoach.errors import CoachError, Interrupted, JournalError
from servicecoach.journal.entry import minute
from servicecoach.journal.files import save_reflection, saved_before
from servicecoach.playbooks.catalog import Catalog
from servicecoach.playbooks.model import check_audience
from servicecoach.startup.cache import FirstScreen, Prelude

OpenFrontend = Callable[[str, FirstScreen | None], Frontend]
"""Makes the front end of a run: (the playbook's title, its first screen to record or None)."""


def now() -> datetime:
    return local(datetime.now())


@dataclass(frozen=True)
class RunOptions:
    recall: bool = False
    audience: str = "customer"
    journal: Path | None = None
    """The --journal folder, if given: recorded in the draft, so `coach resume` saves there."""
    dry_run: bool = False
    answers: Path | None = None
    prelude: Prelude | None = None
    """The first screen launch.py already printed, if it did."""
    at: datetime | None = None
    """When the interaction happened (--at), for a reflection written later."""


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
    ) -> None:
        self.frontend = frontend
        self.journal = journal
        self.drafts = drafts
        self.dry_run = dry_run
        self.clock = clock
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
        self.before(session, lambda: drive(session, self.frontend, self.clock, self.save_draft))

    def before(self, session: Session, step: Callable[[], None]) -> bool:
        """Run `step` (the session itself, or what comes before its first question) with
        Ctrl-C, end of input, SIGTERM, SIGHUP and /q ending the run as they end a session;
        False if it was ended so."""
        try:
            with _signals_as_interrupts():
                step()
            return True
        except QuitRequested:
            self._stop(session, interrupted=False)
        except (KeyboardInterrupt, EOFError):
            with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
                self.frontend.interrupted()
            self._stop(session, interrupted=True)
        return False

    def _stop(self, session: Session, *, interrupted: bool) -> None:
        from servicecoach.journal.reflection import render

        state = session.state
        if self.dry_run:
            self.frontend.show_reflection(render(session))
            message = "Dry run: nothing was saved; the reflection so far is printed above."
        elif self.keeps_drafts and not state.records and not state.unfinished:
            assert self.drafts is not None
            self.drafts.discard(state.draft_id)
            message = "Stopped before any answer; nothing to keep."
        else:
            self.save_draft(state)  # again: the interrupt may have cut the last save short
            if self.keeps_drafts:
                kept = ", plus the half-typed line" if state.unfinished else ""
                message = (
                    f"Draft saved ({len(state.records)} answered{kept}).\n"
                    f"Continue with: coach resume {state.draft_id}"
                )
            else:
                self.frontend.show_reflection(render(session))
                message = "Your answers could not be saved; they are printed above to copy."
        if interrupted:
            raise Interrupted(message)
        if not self.dry_run and not self.keeps_drafts:
            raise JournalError(message)
        self.frontend.notice(message)

    def finish(self, session: Session) -> Path | None:
        from servicecoach.journal.reflection import render

        if session.state.finished is None:
            session.finish(self.clock())
        markdown = render(session)
        if self.dry_run:
            self.frontend.show_reflection(markdown)
            return None
        try:
            state = session.state
            path = save_reflection(
                self.journal, state.at or state.started, state.playbook, markdown
            )
        except JournalError as error:
            self.save_draft(session.state)
            if self.keeps_drafts:
                raise JournalError(
                    f"{error} Your answers are kept in a draft; fix the folder, then run: "
                    f"coach resume {session.state.draft_id}"
                ) from None
            self.frontend.show_reflection(markdown)
            raise JournalError(f"{error} The reflection is printed above to copy.") from None
        return path

    def conclude(self, session: Session) -> None:
        """Save a session that is done, say where, and remove its draft."""
        if not session.done:
            return
        path = self.finish(session)
        if path is None:
            return
        self.frontend.say(f"Saved: {path}", "green")
        self.frontend.say(f"Read it again: coach journal show {path.stem}", "dim")
        if self.drafts is not None:
            draft_id = session.state.draft_id
            try:
                self.drafts.discard(draft_id)
            except JournalError as error:  # saved all the same: say so, and never save twice
                self.frontend.notice(
                    f"Warning: {error} It will not be saved a second time; remove it with: "
                    f"coach resume {draft_id} --discard"
                )


def run_playbook(
    catalog: Catalog,
    paths: Paths,
    playbook_id: str,
    options: RunOptions,
    open_frontend: OpenFrontend,
) -> None:
    playbook = catalog.load(playbook_id)
    audience = check_audience(options.audience)
    mode = playbook.mode_for(options.recall)
    started = now()
    prelude, shown = options.prelude, False
    showing = (playbook.id, playbook.digest, options.recall, audience)
    if prelude is not None and prelude.showed(*showing):
        shown, started = True, local(datetime.fromtimestamp(prelude.started))
    answers = read_answers_file(options.answers) if options.answers else None
    drafts = None if options.dry_run or answers is not None else DraftStore.of(paths)
    path = catalog.find(playbook_id).path
    # a backdated run's header names its time, which the fast path's key does not hold
    keep = options.at is None and not playbook.follow_ups_first  # its first screen can wait
    first = FirstScreen(paths.cache, path, playbook.digest, options.recall, audience, shown=shown)
    frontend = open_frontend(playbook.title, first if keep else None)
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
            replay(session, answers, str(options.answers))
        else:
            facts = [mode, audience if playbook.shows_audience(audience) else ""]
            facts.append(f"at {minute(options.at)}" if options.at is not None else "")
            frontend.begin(playbook.title, " · ".join(fact for fact in facts if fact))
            review = playbook.follow_ups_first and not options.dry_run
            if not review or runner.before(
                session, lambda: review_follow_ups(frontend, paths, now())
            ):
                runner.interact(session)
        runner.conclude(session)


def review_follow_ups(frontend: Frontend, paths: Paths, moment: datetime) -> None:
    """Each follow-up due by the end of today (overdue ones first): kept, dropped, snoozed to
    a new time, or left for later, as the person says; /q stops, /? says what to type."""
    from servicecoach.dates import parse_due
    from servicecoach.journal.followups import due_in_words, promises, settle, snooze
    from servicecoach.journal.index import Filters, open_journal

    try:
        journal = open_journal(paths.journal, paths.cache)
        found = promises(journal.index.follow_ups(Filters()))
    except CoachError as error:
        frontend.notice(f"The follow-ups cannot be read: {error}")
        return
    today = [p for p in found if p.due is not None and p.due.date() <= moment.date()]
    for promise in today:
        whom = promise.entry.title or promise.entry.playbook
        shown = f"{due_in_words(promise, moment)}: {promise.what} ({whom})"
        path = journal.folder / promise.entry.path
        while True:
            typed = frontend.ask_follow_up(shown).strip()
            word, _, rest = typed.partition(" ")
            word = word.lower()
            try:
                if word in ("/q", "/quit"):
                    raise QuitRequested
                if word in ("k", "kept", "done", "y", "yes"):
                    settle(promise, path, "done", moment, rest.strip() or None)
                elif word in ("d", "drop"):
                    settle(promise, path, "dropped", moment, rest.strip() or None)
                elif word in ("s", "snooze") and rest.strip():
                    snooze(promise, path, parse_due(rest, moment))
                elif word:
                    frontend.notice(f"Type {FOLLOW_UP_HINT}.")
                    continue
            except CoachError as error:
                frontend.notice(str(error))
                continue
            break


def resume(
    catalog: Catalog,
    paths: Paths,
    draft_id: str,
    journal: Path | None,
    open_frontend: OpenFrontend,
) -> None:
    """Continue a draft where it stopped, and save it where its run was going to save
    (`journal`, the --journal option, wins)."""
    drafts = DraftStore.of(paths)
    with drafts.lock(draft_id):
        state = drafts.load(draft_id)
        folder = journal or (Path(state.journal) if state.journal else paths.journal)
        saved = saved_before(folder, state.at or state.started, state.playbook, draft_id)
        if saved is not None:
            raise CoachError(
                f"The draft {draft_id} was saved already, as {saved}; remove it with: "
                f"coach resume {draft_id} --discard"
            )
        playbook = catalog.load(state.playbook)
        frontend = open_frontend(playbook.title, None)
        session = Session(playbook, state)
        if playbook.digest != state.playbook_hash:
            frontend.notice(
                "The playbook has changed since this draft was started; continuing with the "
                "new one (answers to steps it no longer has are kept in the reflection)."
            )
            state.playbook_version, state.playbook_hash = playbook.version, playbook.digest
        session.realign()
        runner = Runner(frontend, journal=folder, drafts=drafts)
        frontend.begin(playbook.title, f"resuming {draft_id} · {len(state.records)} answered")
        runner.interact(session)
        runner.conclude(session)
