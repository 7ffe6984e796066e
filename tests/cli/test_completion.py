"""Shell completion through Typer's own entry point: playbook ids, option values, journal
references, for bash, zsh and fish."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import coach
from ..journal_fixture import at, write


def complete(shell: str, words: str, **env: str) -> list[str]:
    if shell == "bash":
        extra = {
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
    else:
        extra = {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    result = coach(env={"_COACH_COMPLETE": f"complete_{shell}", **extra, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_playbook_ids_and_commands() -> None:
    assert complete("bash", "coach ap") == ["apology"]
    assert complete("bash", "coach p") == ["playbooks", "platinum", "pointers", "principles"]
    zsh = complete("zsh", "coach ap")
    assert any('"apology":"Five languages of apology"' in line for line in zsh)
    fish = complete("fish", "coach le")
    assert fish == ["learn\tLEARN"]


def test_option_values() -> None:
    assert complete("bash", "coach apology --audience ") == ["customer", "coworker", "supervisor"]
    assert complete("bash", "coach journal export --format m") == ["markdown"]
    assert complete("bash", "coach journal list --mode ") == ["live", "recall"]
    assert "--recall" in complete("bash", "coach apology --re")


def test_journal_references(coach_home: Path) -> None:
    saved = write(coach_home / "journal", "learn", at("2026-11-20", "09:30"), {"listen": "x"})
    assert complete("bash", "coach journal show ") == ["last", saved.stem]
    assert complete("bash", "coach journal edit 2026-11-2") == [saved.stem]
    zsh = complete("zsh", "coach journal show 2026")
    assert any(f'"{saved.stem}":"2026-11-20 09\\\\:30 learn"' in line for line in zsh)


def test_references_from_the_journal_on_the_command_line(tmp_path: Path, coach_home: Path) -> None:
    other = tmp_path / "other"
    saved = write(other, "learn", at("2026-11-21", "10:00"), {"listen": "x"})
    assert complete("bash", f"coach journal show --journal {other} ") == ["last", saved.stem]
    broken = tmp_path / "a-file"
    broken.write_text("not a folder")
    assert complete("bash", "coach journal show ", COACH_JOURNAL=str(broken)) == ["last"]


@pytest.mark.parametrize("prefix", ["", "a", "p", "j", "re", "zz"])
def test_fast_bash_completion_matches_typers(
    tmp_path: Path, prefix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from servicecoach.startup.launch import complete_first_word

    team = tmp_path / "team"
    team.mkdir()
    (team / "handover.yaml").write_text("title: H\nsummary: S\nsteps: [{id: a, title: A}]\n")
    asked = {"COACH_PLAYBOOKS": str(team), "_COACH_COMPLETE": "complete_bash",
             "COMP_WORDS": f"coach {prefix}", "COMP_CWORD": "1"}  # fmt: skip
    assert complete_first_word({**os.environ, **asked})
    fast = capsys.readouterr().out
    typer_way = coach(env=asked)
    assert typer_way.returncode == 0
    assert fast == typer_way.stdout


def _asked(shell: str, line: str) -> dict[str, str]:
    if shell == "bash":
        words = line.split()
        return {
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words) - (0 if line.endswith(" ") else 1)),
        }
    return {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_fast_completion_where_the_playbooks_decide_matches_typers(
    tmp_path: Path, shell: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The full program keeps Typer's whole answer with its helps; the fast path answers from
    it exactly as Typer does, for any prefix, and never after a playbook changed."""
    from servicecoach.startup.launch import complete_as_before

    team = tmp_path / "team"
    team.mkdir()
    handover = team / "handover.yaml"
    handover.write_text("title: 'Hand: \"over\" $x [b]'\nsummary: S\nsteps: [{id: a, title: A}]\n")
    base = {"COACH_PLAYBOOKS": str(team), "_COACH_COMPLETE": f"complete_{shell}"}
    lines = [f"coach {p}" for p in ["", "a", "p", "j", "re", "ha", "zz", "completion"]]
    lines += [f"coach playbooks show {p}" for p in ["", "a", "ha", "le", "zz"]]
    if shell == "bash":
        lines = [line for line in lines if line.startswith("coach playbooks")]  # see above
    for line in lines:
        asked = {**base, **_asked(shell, line)}
        typer_way = coach(env=asked)
        assert typer_way.returncode == 0, typer_way.stderr
        assert complete_as_before({**os.environ, **asked}), line
        assert capsys.readouterr().out == typer_way.stdout, line
    assert "handover" in coach(env={**base, **_asked(shell, "coach playbooks show h")}).stdout
    handover.write_text("title: Changed\nsummary: S\nsteps: [{id: a, title: A}]\n")
    asked = {**base, **_asked(shell, "coach playbooks show h")}
    assert not complete_as_before({**os.environ, **asked})  # asks Typer again
    for line in ["coach --", "coach apology ", "coach 'ap", "coach playbooks list ", "coach x y"]:
        assert not complete_as_before({**os.environ, **base, **_asked(shell, line)})


def test_completion_scripts_for_each_shell_whatever_shell_runs_coach() -> None:
    zsh = coach("completion", "zsh", env={"SHELL": "/bin/bash"}).stdout
    assert zsh.startswith("#compdef coach\n")
    assert "[[ $zsh_eval_context == *func ]]" in zsh  # autoloaded: the first Tab completes
    assert "zstyle" not in zsh
    fish = coach("completion", "fish").stdout
    assert fish.count("coach)") == 1 and "--condition" not in fish  # one process per Tab
    assert "complete -o default -F _coach_completion coach" in coach("completion", "bash").stdout
    assert coach("completion", "tcsh").returncode == 2


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_installing_completion_touches_only_what_is_coachs(tmp_path: Path, shell: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    rc = home / {"bash": ".bashrc", "zsh": ".zshrc", "fish": "config.fish"}[shell]
    rc.write_text("zstyle ':completion:*' menu no  # the user's own\n")
    env = {"HOME": str(home), "XDG_DATA_HOME": "", "XDG_CONFIG_HOME": "", "ZDOTDIR": ""}
    for _ in range(2):  # twice: the same state, no second line
        result = coach("completion", shell, "--install", env=env)
        assert result.returncode == 0, result.stderr
    script = {
        "bash": home / ".local/share/bash-completion/completions/coach",
        "zsh": home / ".zfunc/_coach",
        "fish": home / ".config/fish/completions/coach.fish",
    }[shell]
    assert script.read_text() == coach("completion", shell).stdout
    lines = rc.read_text().splitlines()
    assert lines[0] == "zstyle ':completion:*' menu no  # the user's own"
    added = lines[1:]
    assert len(added) == (0 if shell == "fish" else 1)
    assert all("zstyle" not in line and "compinit" not in line for line in added)


def test_playbook_ids_and_draft_ids_where_they_are_asked_for(coach_home: Path) -> None:
    assert complete("bash", "coach playbooks show ap") == ["apology"]
    assert "learn" in complete("bash", "coach playbooks show ")
    assert not any(complete("bash", "coach resume "))  # no drafts: no file names either
    drafts = coach_home / "drafts"
    learn = coach("learn", "--recall", input="The refund\n")  # ends early: a draft is kept
    assert learn.returncode == 130, learn.stderr
    (kept,) = drafts.glob("*.json")
    assert complete("bash", "coach resume ") == [kept.stem]
    fish = complete("fish", f"coach resume {kept.stem[:8]}")
    assert fish == [f"{kept.stem}\tlearn · 1 answered"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_fast_journal_references_match_typers_while_the_files_stay(
    coach_home: Path, shell: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from servicecoach.startup.launch import complete_as_before

    journal = coach_home / "journal"
    first = write(journal, "learn", at("2026-11-20", "09:30"), {"listen": "x"})
    write(journal, "apology", at("2026-11-21", "10:00"), {"regret": "y"})
    base = {"_COACH_COMPLETE": f"complete_{shell}"}
    for line in ["coach journal show ", "coach journal show 2026-11-2", "coach journal edit l",
                 "coach journal show zz"]:  # fmt: skip
        asked = {**base, **_asked(shell, line)}
        typer_way = coach(env=asked)
        assert typer_way.returncode == 0, typer_way.stderr
        assert complete_as_before({**os.environ, **asked}), line
        assert capsys.readouterr().out == typer_way.stdout, line
    assert (
        first.stem in typer_way.stdout
        or first.stem in coach(env={**base, **_asked(shell, "coach journal show ")}).stdout
    )
    write(journal, "learn", at("2026-11-22", "11:00"), {"listen": "z"})  # a new reflection
    asked = {**base, **_asked(shell, "coach journal show ")}
    assert not complete_as_before({**os.environ, **asked})  # the full program, which sees it


def test_the_fast_path_finds_the_journal_where_the_full_program_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from servicecoach.config import resolve_paths
    from servicecoach.startup.cache import journal_folder

    monkeypatch.delenv("COACH_HOME")  # the platform's folders (the fixture's XDG_* ones)
    config = tmp_path / "home" / "config" / "servicecoach" / "config.yaml"
    config.parent.mkdir(parents=True)
    for journal_env, text in [
        (str(tmp_path / "j1"), None),
        (None, None),
        (None, "journal: ~/notes/coach\n"),
        (None, "journal: ../relative\n"),
        (None, "playbooks: [team]\n"),
    ]:
        if journal_env:
            monkeypatch.setenv("COACH_JOURNAL", journal_env)
        else:
            monkeypatch.delenv("COACH_JOURNAL", raising=False)
        if text is None:
            config.unlink(missing_ok=True)
        else:
            config.write_text(text)
            if not journal_env:  # not read yet by the full program: the fast path declines
                assert journal_folder(dict(os.environ)) is None
        expected = str(resolve_paths().journal)  # the full program reads, and remembers
        assert journal_folder(dict(os.environ)) == expected, (journal_env, text)
    monkeypatch.setenv("COACH_HOME", str(tmp_path / "root"))
    assert journal_folder(dict(os.environ)) == str(resolve_paths().journal)


def test_followups_done_completes_the_open_ones(coach_home: Path) -> None:
    promise = {"notify": True, "follow-up": {"answer": "Call back", "due": "tomorrow 10am"}}
    saved = write(coach_home / "journal", "learn", at("2026-11-20", "09:30"), promise)
    write(coach_home / "journal", "learn", at("2026-11-21", "09:30"), {"listen": "no promise"})
    assert complete("bash", "coach followups done ") == [saved.stem]
    assert complete("fish", "coach followups snooze 2026") == [f"{saved.stem}\tCall back"]
    assert coach("followups", "done", saved.stem).returncode == 0
    assert not any(complete("bash", "coach followups done "))  # kept: no longer offered
