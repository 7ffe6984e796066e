"""The `coach` entry point: show the first screen at once, then start the full program.

A rep opens `coach apology` mid-call. Typer, pydantic, Rich and PyYAML take several times
longer to import than Python takes to start, so this module, which imports only a few small
standard-library modules and the start-up cache (paths are plain strings here, on purpose),
first tries the fast paths:

- the first screen of a session (`coach ID [-r] [-a AUDIENCE]` at a terminal), from the cache;
  the full program then starts and continues from the first prompt without printing that
  screen again;
- `coach --version`;
- `coach --help`, in a terminal or into a pipe, from the cache;
- completion where only the playbooks or the journal's files decide: the first word in bash
  from a folder listing; the first word in zsh and fish, `playbooks show <Tab>` and journal
  references in all three, from what the full program answered before for the same files.

Each falls back to the full program whenever anything is unusual: the fast path can only ever
show what the full program would show. Nothing imports this module: it is where coach starts.
"""

from __future__ import annotations

import errno
import io
import os
import sys
import time

from servicecoach import VERSION_LINE, places
from servicecoach.startup import cache


def _parse(argv: list[str]) -> tuple[str, bool, str] | None:
    """`ID [-r|--recall] [-a|--audience VALUE]` in any order after ID; else None."""
    if not argv or argv[0].startswith("-") or argv[0] in places.COMMAND_NAMES:
        return None
    playbook_id, recall, audience = argv[0], False, "customer"
    rest = argv[1:]
    while rest:
        word = rest.pop(0)
        if word in ("-r", "--recall"):
            recall = True
        elif word in ("-a", "--audience") and rest:
            audience = rest.pop(0).lower()
        elif word.startswith("--audience="):
            audience = word.split("=", 1)[1].lower()
        else:
            return None
    if audience not in ("customer", "coworker", "supervisor"):
        return None
    return playbook_id, recall, audience


def _show(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def show_first_card(argv: list[str], env: dict[str, str]) -> cache.Prelude | None:
    """The first screen of `coach ID ...` from the cache, if it is there; what was shown."""
    started = time.time()
    parsed = _parse(argv)
    if parsed is None or env.get("COACH_DEBUG") or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    playbook_id, recall, audience = parsed
    folders = cache.playbook_folders(env)
    path = cache.find_playbook(playbook_id, folders) if folders is not None else None
    width = cache.terminal_width(env)
    digest = cache.file_digest(path) if path is not None else None
    if digest is None or width is None:
        return None
    key = cache.card_key(path, digest[:12], recall, audience, width, env)
    text = cache.read_screen(cache.cache_folder(env), key)
    if text is None:
        return None
    _show(text)
    return cache.Prelude(playbook_id, digest[:12], recall, audience, started)


def show_version(argv: list[str], env: dict[str, str]) -> bool:
    """`coach --version`, which needs nothing but the version. True if it was shown."""
    if argv != ["--version"] or env.get("COACH_DEBUG"):
        return False
    _show(VERSION_LINE + "\n")
    return True


def show_help(argv: list[str], env: dict[str, str]) -> bool:
    """`coach --help`: the help screen the full program printed last time to the same kind of
    output (a terminal of that width, or a pipe) for the same playbooks. True if it was
    shown."""
    if argv not in cache.HELP_ARGS or env.get("COACH_DEBUG"):
        return False
    width = cache.terminal_width(env)
    key = cache.help_key(env, width) if width is not None else None
    text = cache.read_screen(cache.cache_folder(env), key) if key is not None else None
    if text is None:
        return False
    _show(text)
    return True


def complete_first_word(env: dict[str, str]) -> bool:
    """Bash completion of `coach <Tab>`: command names, then playbook ids, as Typer lists
    them. True if it answered."""
    if env.get("_COACH_COMPLETE") != "complete_bash" or env.get("COMP_CWORD") != "1":
        return False
    import shlex

    try:
        words = shlex.split(env.get("COMP_WORDS", ""))
    except ValueError:
        return False
    incomplete = words[1] if len(words) > 1 else ""
    if incomplete.startswith("-"):
        return False
    folders = cache.playbook_folders(env)
    if folders is None:
        return False
    ids = {os.path.splitext(name)[0] for folder in folders for name in cache.playbook_files(folder)}
    typed = {name for name in ids if places.can_be_typed(name)}
    names = [*places.COMMAND_NAMES, *sorted(typed - set(places.COMMAND_NAMES))]
    print("\n".join(name for name in names if name.startswith(incomplete)))
    return True


def complete_as_before(env: dict[str, str]) -> bool:
    """Completion where only the playbooks decide (the first word in zsh and fish, `playbooks
    show <Tab>`) or only the journal's files (`journal show|edit <Tab>`), in every shell: from
    what the full program answered last time for the same playbooks or the same files (every
    name, with its help); True if it answered."""
    asked = cache.completion_asked(env)
    if asked is None:
        return False
    shell, words, typed = asked
    key = cache.completion_key(env, shell, words)
    every = cache.read_text(cache.completion_file(cache.cache_folder(env), key)) if key else None
    if every is None:
        return False
    print(cache.completions(shell, every, typed))
    return True


class _ClosedOutput(io.TextIOBase):
    """Standard output when coach was started with it closed (`>&-`): every write fails, so
    that output is an error with a sentence, never a quiet success."""

    encoding = "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def _standard_streams() -> None:
    """Streams coach can always use: a closed stdin reads as empty, a closed stdout fails each
    write, and a stream whose encoding cannot carry a character (a curly quote in latin-1)
    gets `?` for it instead of a crash."""
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - for the whole run
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding not in ("utf8", "utf_8") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def main() -> None:
    _standard_streams()
    env = dict(os.environ)
    try:
        if complete_first_word(env) or complete_as_before(env):
            return
        if show_version(sys.argv[1:], env) or show_help(sys.argv[1:], env):
            return
        prelude = show_first_card(sys.argv[1:], env)
    except Exception:  # an optimisation must never be the reason coach fails
        prelude = None
    try:
        from servicecoach.cli import main as full_program
    except KeyboardInterrupt:  # Ctrl-C while the full program loads behind a fast screen
        print("\ncoach: Stopped before any answer; nothing to keep.", file=sys.stderr)
        sys.exit(130)
    full_program(prelude)
