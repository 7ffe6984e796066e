"""A session -> a markdown reflection with YAML front matter (reading it back: `entry.py`).

The front matter is the machine-readable truth (every answer, exactly as typed); the body is the
same session for people, one heading per step. The format is documented in
docs/reflection-format.md and versioned by `format:`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import yaml

from servicecoach.engine.session import DUE, Item, Record, Session
from servicecoach.journal.entry import block_safe, html_safe
from servicecoach.playbooks.model import Answer, Step
from servicecoach.text import visible

FORMAT = 1


def front_matter(session: Session) -> dict[str, Any]:
    state = session.state
    finished = state.finished or state.started
    data: dict[str, Any] = {
        "format": FORMAT,
        "playbook": state.playbook,
        "session": state.draft_id,
        "title": session.playbook.title,
        "playbook_version": state.playbook_version,
        "playbook_hash": state.playbook_hash,
        "mode": state.mode,
        "audience": state.audience,
        "started": _iso(state.started),
        **({"at": _iso(state.at)} if state.at else {}),
        "finished": _iso(finished),
        "duration_s": round((finished - state.started).total_seconds()),
        "outcome": session.answer_of("outcome"),
        "rating": session.answer_of("rating"),
        "tags": session.answer_of("tags") or [],
    }
    sections: dict[str, dict[str, Any]] = {"step": {}, "wrap_up": {}}
    skipped = []
    for item, record in session.outcome():
        if item.section in ("closing", "follow_up"):  # a due time belongs to its follow-up
            continue
        entry: dict[str, Any] = {"status": "not-applicable" if record is None else record.status}
        if record is not None and record.answer is not None:
            entry["answer"] = record.answer
        if record is not None and record.rating is not None:
            entry["rating"] = record.rating
        if record is not None and record.status == "skipped":
            skipped.append(item.key)
        sections[item.section][item.key] = entry
    data["skipped"] = skipped
    data["steps"] = sections["step"]
    if sections["wrap_up"]:
        data["wrap_up"] = sections["wrap_up"]
    promised = follow_ups(session)
    if promised:
        data["follow_ups"] = promised
    orphans = session.orphans()
    if orphans:  # answered before the playbook changed under a draft: still the person's words
        data["removed_steps"] = {
            key: record.model_dump(exclude_none=True) for key, record in orphans.items()
        }
    return data


def follow_ups(session: Session) -> list[dict[str, Any]]:
    """The promises made in a session: each follow-up step asked and answered (a step whose
    condition no longer holds promised nothing), what was promised, when it is due (or null:
    no time was said), open until `coach followups done` says it was kept."""
    asked = {item.key for item, record in session.outcome() if record is not None}
    found = []
    for step in session.playbook.steps:
        what = session.answer_of(step.id)
        if not step.follow_up or step.id not in asked or not isinstance(what, str):
            continue
        if not what.strip():
            continue
        due = session.answer_of(step.id + DUE) if step.id + DUE in asked else None
        if due is None and step.follow_up == "if-dated":
            continue  # done there and then: nothing was promised for later
        found.append(
            {
                "step": step.id,
                "what": what,
                "due": _iso(datetime.fromisoformat(due)) if isinstance(due, str) else None,
                "status": "open",
                "done": None,
                "note": None,
            }
        )
    return found


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class _Dumper(yaml.SafeDumper):
    """safe_dump, except that text containing a YAML line break other than \n (NEL, LS, PS)
    is double-quoted, where it is escaped: PyYAML would otherwise write it raw into a quoted
    scalar and read it back as a space."""


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = '"' if any(ch in data for ch in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _text)


def yaml_scalar(value: str | None) -> str:
    """One value as the front matter writes it, on one line (a note's line breaks become
    spaces): what `coach followups` writes into a reflection."""
    if isinstance(value, str):
        value = " ".join(value.splitlines())
    text = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, width=2**31)
    return text.removesuffix("\n...\n").strip()


def render(session: Session) -> str:
    """The whole reflection file: front matter, then the body."""
    matter = yaml.dump(
        front_matter(session),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
    )
    return f"---\n{matter}---\n\n{body(session)}"


def body(session: Session) -> str:
    state = session.state
    playbook = session.playbook
    recall = state.mode == "recall"
    finished = state.finished or state.started
    minutes, seconds = divmod(round((finished - state.started).total_seconds()), 60)
    when = (state.at or state.started).strftime("%A %d %B %Y, %H:%M")
    lines = [
        f"# {_inline(playbook.title)}",
        "",
        f"{state.mode.capitalize()} · {state.audience} · {when} · {minutes} min {seconds} s",
        "",
    ]
    outcome = session.outcome()
    promised = {promise["step"]: promise for promise in follow_ups(session)}
    for item, record in outcome:
        if item.section != "step":
            continue
        step = item.question
        assert isinstance(step, Step)
        number = playbook.steps.index(step) + 1
        lines += [f"## {number}. {_inline(step.title)}", ""]
        lines += _cue_lines(step, state.audience)
        lines += _answer_lines(item, record, step.question_text(state.audience, recall))
        lines += _follow_up_lines(promised.get(step.id))
    wrap_up = [(item, record) for item, record in outcome if item.section == "wrap_up"]
    if wrap_up:
        lines += ["## Wrap-up", ""]
        for item, record in wrap_up:
            question = item.question.question_text(state.audience, True)
            lines += _answer_lines(item, record, question)
    orphans = session.orphans()
    if orphans:
        lines += ["## Answers to steps the playbook no longer has", ""]
        for key, record in orphans.items():
            lines += [f"*{_inline(key)}*", "", *_answer_text(record.answer), ""]
    lines += ["## Summary", ""]
    outcome_answer = session.answer_of("outcome")
    if playbook.outcome:
        lines.append(f"- Outcome: {outcome_answer or 'not recorded'}")
    rating = session.answer_of("rating")
    lines.append(f"- Self-rating: {f'{rating}/5' if rating else 'not recorded'}")
    tags = session.answer_of("tags")
    lines.append(f"- Tags: {', '.join(tags) if isinstance(tags, list) and tags else 'none'}")
    return "\n".join(lines) + "\n"


def _cue_lines(step: Step, audience: str) -> list[str]:
    cue = step.cue(audience)  # type: ignore[arg-type]
    lines = [
        f"> **{label}:** " + " · ".join(_inline(text) for text in texts)
        for label, texts in cue.cue_lines()
    ]
    if lines:
        lines = [line + ("  " if i < len(lines) - 1 else "") for i, line in enumerate(lines)]
        lines.append("")
    return lines


def _follow_up_lines(promise: dict[str, Any] | None) -> list[str]:
    if promise is None:
        return []
    due = promise["due"]
    when = datetime.fromisoformat(due).strftime("%a %d %b %Y, %H:%M") if due else "no time said"
    return [f"**Follow-up** due: {when}.", ""]


def _answer_lines(item: Item, record: Record | None, question: str) -> list[str]:
    lines = [f"*{_inline(question)}*", ""]
    if record is None:
        when = item.question.when
        lines.append(f"Not asked (only when {when.describe()})." if when else "Not asked.")
    elif record.status == "skipped":
        lines.append("Skipped.")
    else:
        lines += _answer_text(record.answer)
    if record is not None and record.rating is not None:
        lines += ["", f"Rating: {record.rating}/5"]
    return [*lines, ""]


def _answer_text(answer: Answer) -> list[str]:
    if answer is None or answer == "" or answer == []:
        return ["(done, nothing noted)"]
    if isinstance(answer, bool):
        return ["Yes." if answer else "No."]
    if isinstance(answer, list):
        return [f"- {_inline(str(a))}" for a in answer]
    lines = [block_safe(line) for line in visible(str(answer)).splitlines() or [""]]
    return [line + "  " for line in lines[:-1]] + lines[-1:]  # hard breaks: lines stay lines


def _inline(text: str) -> str:
    return html_safe(visible(text).replace("\n", " "))
