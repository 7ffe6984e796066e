"""`coach playbooks diff A B`: what changed between two revisions of a playbook, step by step."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from servicecoach.errors import CoachError
from servicecoach.places import SUFFIXES
from servicecoach.playbooks.model import Playbook, Question

if TYPE_CHECKING:
    from servicecoach.playbooks.catalog import Catalog

TOP_FIELDS = (
    "id", "title", "version", "summary", "source", "audiences", "modes", "outcome", "rate_steps",
)  # fmt: skip


@dataclass
class Change:
    """One step (or the playbook itself, key "") that was added, removed or changed."""

    section: str
    key: str
    status: str  # added, removed, changed, moved
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)


def _fields(question: Question) -> dict[str, Any]:
    return question.model_dump(exclude={"id"}, exclude_defaults=True, mode="json")


def _compare(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    return [
        (name, old.get(name), new.get(name))
        for name in dict.fromkeys([*old, *new])
        if old.get(name) != new.get(name)
    ]


def diff(old: Playbook, new: Playbook) -> list[Change]:
    changes: list[Change] = []
    top = _compare(
        {name: getattr(old, name) for name in TOP_FIELDS},
        {name: getattr(new, name) for name in TOP_FIELDS},
    )
    if top:
        changes.append(Change("playbook", "", "changed", top))
    for section in ("steps", "wrap_up"):
        before: list[Question] = getattr(old, section)
        after: list[Question] = getattr(new, section)
        old_ids = [q.id for q in before]
        new_ids = [q.id for q in after]
        old_order = [i for i in old_ids if i in new_ids]
        new_order = [i for i in new_ids if i in old_ids]
        moved = {i for i in new_order if old_order.index(i) != new_order.index(i)}
        old_by_id = {q.id: q for q in before}
        for question in after:
            if question.id not in old_by_id:
                changes.append(
                    Change(section, question.id, "added", _compare({}, _fields(question)))
                )
                continue
            fields = _compare(_fields(old_by_id[question.id]), _fields(question))
            if fields or question.id in moved:
                status = "changed" if fields else "moved"
                if fields and question.id in moved:
                    status = "changed and moved"
                changes.append(Change(section, question.id, status, fields))
        for question in before:
            if question.id not in new_ids:
                changes.append(Change(section, question.id, "removed"))
    return changes


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    return str(value)


def describe(old: Playbook, new: Playbook, changes: list[Change]) -> list[str]:
    """The changes as lines of text, a person's unified diff of the playbook."""
    lines = [
        f"--- {old.id} v{old.version} ({old.digest})",
        f"+++ {new.id} v{new.version} ({new.digest})",
    ]
    if not changes:
        return [*lines, "No differences in the playbook's content."]
    for change in changes:
        if change.section == "playbook":
            lines.append("playbook:")
        else:
            name = "step" if change.section == "steps" else "wrap-up question"
            lines.append(f"{name} {change.key}: {change.status}")
        for field_name, before, after in change.fields:
            if change.status == "added":
                lines.append(f"  + {field_name}: {_show(after)}")
            elif after is None:
                lines.append(f"  - {field_name}: {_show(before)}")
            elif before is None:
                lines.append(f"  + {field_name}: {_show(after)}")
            else:
                lines.append(f"  ~ {field_name}: {_show(before)}  ->  {_show(after)}")
    return lines


def load_revision(catalog: Catalog, ref: str) -> Playbook:
    """A playbook file (any name: an old revision saved as /tmp/old.yaml), a file at a git
    revision (`HEAD~1:team/handover.yaml`, read with `git show`), or a catalog id."""
    from servicecoach.playbooks.loading import load_playbook

    path = Path(ref)
    revision, _, inside = ref.partition(":")
    if revision and inside and not path.exists():
        return _at_revision(ref, revision, inside)
    if path.suffix in SUFFIXES or path.is_file():
        if not path.is_file():
            raise CoachError(f"No such file: {path}")
        return load_playbook(path, any_name=True)
    return catalog.load(ref)


def _at_revision(ref: str, revision: str, inside: str) -> Playbook:
    """`git show REV:PATH`, as a playbook named by PATH (the same file at two revisions is the
    same playbook: no id change is reported)."""
    import subprocess

    from servicecoach.places import MAX_YAML_BYTES
    from servicecoach.playbooks.loading import parse_playbook

    if revision.startswith("-"):  # never an option to git
        raise CoachError(f"'{ref}' is not a revision and a path (REV:PATH, e.g. HEAD~1:x.yaml).")
    try:
        shown = subprocess.run(["git", "show", ref], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise CoachError(f"Cannot run git to read {ref}: {error}.") from None
    if shown.returncode != 0:
        said = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CoachError(f"git cannot show {ref}: {said[0] if said else 'no reason given'}.")
    if len(shown.stdout) > MAX_YAML_BYTES:
        raise CoachError(f"{ref} is larger than a playbook may be.")
    return parse_playbook(shown.stdout, ref, Path(inside).stem, any_name=True)
