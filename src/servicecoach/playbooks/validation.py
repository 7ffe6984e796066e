"""`coach playbooks validate`: which files it checks, and what it finds in them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from servicecoach.errors import CoachError, PlaybookInvalid, Problem
from servicecoach.places import SUFFIXES
from servicecoach.playbooks.catalog import Catalog, playbook_files


def files_to_validate(catalog: Catalog, paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The files named, the playbook files below each folder named, or (no paths) every file
    in every catalog folder, including those another folder overrides; and the files named
    that the catalog would never read (hidden, or not YAML), which are passed over: pre-commit
    hands over every staged YAML file, `.pre-commit-config.yaml` too."""
    if not paths:
        return [path for _, folder in catalog.folders for path in playbook_files(folder)], []
    files: list[Path] = []
    passed_over: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += _below(path)
        elif not path.exists():
            raise CoachError(f"No such file or folder: {path}")
        elif _hidden(path) or path.suffix not in SUFFIXES:
            passed_over.append(path)
        else:
            files.append(path)
    return files, passed_over


def _hidden(path: Path) -> bool:
    """A dot file, or (for a path relative to here) one in a dot folder: `.github/x.yml`."""
    parts = [path.name] if path.is_absolute() else list(path.parts)
    return any(part.startswith(".") and part not in (".", "..") for part in parts)


def _below(folder: Path) -> list[Path]:
    """The playbook files below `folder`, hidden folders and files left out; a folder that
    cannot be read, or vanishes while it is walked, is passed over."""
    found = []
    for root, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in names:
            path = Path(root) / name
            if not name.startswith(".") and path.suffix in SUFFIXES and path.is_file():
                found.append(path)
    return sorted(found)


@dataclass
class Validation:
    """Every problem (and, when strict, every warning) of the files checked."""

    files: int = 0
    failed: int = 0
    warned: int = 0
    problems: list[Problem] = field(default_factory=list)
    passed_over: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.warned == 0

    def summary(self) -> str:
        return self._verdict() + self._passed_over()

    def _passed_over(self) -> str:
        if not self.passed_over:
            return ""
        names = ", ".join(str(path) for path in self.passed_over[:3])
        more = f" and {len(self.passed_over) - 3} more" if len(self.passed_over) > 3 else ""
        return f" Passed over what the catalog never reads (hidden, or not YAML): {names}{more}."

    def _verdict(self) -> str:
        noun = "playbook" if self.files == 1 else "playbooks"
        if not self.files:
            return "No playbook files found."
        if self.ok:
            return f"All {self.files} {noun} valid." if self.files > 1 else "1 playbook valid."
        counts = []
        if self.failed:
            counts.append(f"{self.failed} of {self.files} {noun} {_have(self.failed)} problems")
        if self.warned:
            counts.append(f"{self.warned} of {self.files} {noun} {_have(self.warned)} warnings")
        return "; ".join(counts) + "."


def validate(
    files: list[Path], *, strict: bool = False, passed_over: list[Path] | None = None
) -> Validation:
    from servicecoach.playbooks.lint import lint
    from servicecoach.playbooks.loading import load_playbook

    result = Validation(files=len(files), passed_over=passed_over or [])
    for path in files:
        try:
            playbook = load_playbook(path)
        except PlaybookInvalid as error:
            result.failed += 1
            result.problems += error.problems
            continue
        if strict:
            warnings = lint(playbook, path)
            result.warned += bool(warnings)
            result.problems += warnings
    return result


def _have(count: int) -> str:
    return "has" if count == 1 else "have"
