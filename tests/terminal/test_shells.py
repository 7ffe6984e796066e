"""Completion in the real shells, in a pseudo-terminal: installed the way the README says, in a
new shell, the first Tab completes (zsh defined itself on the first Tab before), for playbook
ids and for positions after the first word. Skipped where the shell is not installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

TIMEOUT = 30
COACH_BIN = Path(sys.executable).parent


def _env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {
        "HOME": str(home),
        "ZDOTDIR": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "COACH_HOME": str(tmp_path / "coach-home"),
        "PATH": f"{COACH_BIN}{os.pathsep}{os.environ['PATH']}",
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }


def _install(shell: str, env: dict[str, str]) -> None:
    installed = subprocess.run(
        ["coach", "completion", shell, "--install"], env=env, capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stderr


def _completed(child: pexpect.spawn, typed: str, prompt: str) -> str:
    """Type `typed`, press Tab once, then turn the line into `echo LINE` and run it: the
    completed line comes back on a line of its own."""
    child.send(typed + "\t")
    child.send("\x01echo ::\r")  # Ctrl-A: to the line's start
    child.expect(r"::(coach[^\r\n]*)\r?\n")
    line = child.match.group(1).strip()
    child.expect(prompt)
    return line


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_completes_on_the_first_tab(tmp_path: Path) -> None:
    env = _env(tmp_path)
    rc = Path(env["ZDOTDIR"]) / ".zshrc"
    rc.write_text("autoload -Uz compinit && compinit -u\nPS1='ZSH> '\n")  # a usual zshrc
    _install("zsh", env)
    child = pexpect.spawn(
        "zsh", ["-i"], env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(24, 100)
    )
    child.expect("ZSH> ")
    assert _completed(child, "coach ap", "ZSH> ") == "coach apology"
    assert _completed(child, "coach playbooks show le", "ZSH> ") == "coach playbooks show learn"
    child.sendline("exit")
    child.expect(pexpect.EOF)


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_with_one_coach_per_tab(tmp_path: Path) -> None:
    env = _env(tmp_path)
    config = Path(env["XDG_CONFIG_HOME"]) / "fish"
    config.mkdir(parents=True)
    (config / "config.fish").write_text(
        "set -g fish_greeting\nfunction fish_prompt; echo -n 'FISH> '; end\n"
    )
    _install("fish", env)
    child = pexpect.spawn(
        "fish", ["-i"], env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(24, 100)
    )
    child.expect("FISH> ")
    assert _completed(child, "coach ap", "FISH> ") == "coach apology"
    assert _completed(child, "coach playbooks show le", "FISH> ") == "coach playbooks show learn"
    child.sendline("exit")
    child.expect(pexpect.EOF)
