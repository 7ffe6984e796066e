"""User-facing errors: each carries a sentence a rep or a team lead understands.

The CLI turns any `CoachError` into that sentence on stderr and its `exit_code` (1, or 130 for
an interrupted session); nothing else in the code base prints errors or chooses exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass


class CoachError(Exception):
    """Base of every error that is the user's to fix (or at least to read)."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a file, with its position (1-based line and column)."""

    path: str
    line: int
    column: int
    where: str
    message: str

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        return f"{self.path}:{self.line}:{self.column}: {where}{self.message}"


class PlaybookInvalid(CoachError):
    """A playbook file has one or more problems; all of them are listed."""

    def __init__(self, path: str, problems: list[Problem], what: str = "playbook") -> None:
        self.path = path
        self.problems = sorted(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{lines}\n{path}: {count} {noun}; the {what} was not loaded.")


class PlaybookNotFound(CoachError):
    def __init__(self, name: str, suggestions: list[str], known: list[str]) -> None:
        if suggestions:
            hint = "did you mean " + " or ".join(f"'{s}'" for s in suggestions) + "?"
        else:
            hint = "known playbooks: " + ", ".join(known) if known else "no playbooks are installed"
        super().__init__(f"No playbook called '{name}'; {hint}")


class JournalError(CoachError):
    """The journal or a draft could not be read or written."""


class AnswerError(CoachError):
    """An answer (typed, or from an answers file) does not fit its step."""


class DraftNotFound(CoachError):
    """No draft by that name."""


class ConfigError(CoachError):
    """The config file cannot be read or says something coach does not understand."""


class DateError(CoachError):
    """A date or time as typed (`--since`, `--at`) that coach cannot read."""


class OutputError(CoachError):
    """Standard output (or error) could not be written: a full disk, a closed stream."""


class Interrupted(CoachError):
    """Ctrl-C, end of input or a closed terminal: the draft is kept, and the sentence says how
    to continue."""

    exit_code = 130
