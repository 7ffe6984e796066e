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


def _zsh_setup(env: dict[str, str]) -> None:
    rc = Path(env["ZDOTDIR"]) / ".zshrc"
    rc.write_text("autoload -Uz compinit && compinit -u\nPS1='SHELL> '\n")  # a usual zshrc


def _fish_setup(env: dict[str, str]) -> None:
    config = Path(env["XDG_CONFIG_HOME"]) / "fish"
    config.mkdir(parents=True)
    prompt = "set -g fish_greeting\nfunction fish_prompt; echo -n 'SHELL> '; end\n"
    (config / "config.fish").write_text(prompt)


SETUP = {"zsh": _zsh_setup, "fish": _fish_setup}


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_a_new_shell_completes_on_the_first_tab(tmp_path: Path, shell: str) -> None:
    """zsh: the script autoloaded on the first Tab completes that Tab; fish: one coach per
    Tab. Both for the first word and for a playbook id after `playbooks show`."""
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    env = _env(tmp_path)
    SETUP[shell](env)
    _install(shell, env)
    child = pexpect.spawn(
        shell, ["-i"], env=env, encoding="utf-8", timeout=TIMEOUT, dimensions=(24, 100)
    )
    child.expect("SHELL> ")
    assert _completed(child, "coach ap", "SHELL> ") == "coach apology"
    assert _completed(child, "coach playbooks show le", "SHELL> ") == "coach playbooks show learn"
    child.sendline("exit")
    child.expect(pexpect.EOF)
