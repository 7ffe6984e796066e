"""`coach completion SHELL`: the completion script for bash, zsh or fish, printed or installed.

The scripts are ours, not Typer's: the zsh one completes on the first Tab after it is
autoloaded (Typer's only defines itself then), the fish one asks coach once per Tab, not twice.
All three speak Typer's completion protocol (`_COACH_COMPLETE=complete_SHELL`), so the answers
come from `startup.launch` where it has a fast path and from Typer everywhere else. Installing
writes the script where the shell looks for completions and adds, at most, one line to the
shell's start-up file that loads it: never a setting of the user's.
"""

from __future__ import annotations

import enum
import os
from pathlib import Path
from typing import Annotated

import typer

BASH = """\
# bash completion for coach (coach completion bash)
_coach_completion() {
    local IFS=$'\\n'
    COMPREPLY=( $(env COMP_WORDS="${COMP_WORDS[*]}" COMP_CWORD=$COMP_CWORD \\
                  _COACH_COMPLETE=complete_bash "$1") )
    return 0
}
complete -o default -F _coach_completion coach
"""

ZSH = """\
#compdef coach
# zsh completion for coach (coach completion zsh), in a folder on $fpath as _coach, or sourced
_coach_completion() {
  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _COACH_COMPLETE=complete_zsh coach)
}
if [[ $zsh_eval_context == *func ]]; then
  _coach_completion "$@"  # autoloaded by the completion system: this Tab is the first
else
  compdef _coach_completion coach
fi
"""

FISH = """\
# fish completion for coach (coach completion fish)
complete --command coach --no-files --arguments \\
    "(env _COACH_COMPLETE=complete_fish _TYPER_COMPLETE_FISH_ACTION=get-args \\
      _TYPER_COMPLETE_ARGS=(commandline -cp) coach)"
"""


class Shell(enum.StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


SCRIPTS = {Shell.bash: BASH, Shell.zsh: ZSH, Shell.fish: FISH}


def places_for(shell: Shell, env: dict[str, str]) -> tuple[Path, Path | None, str]:
    """Where the script goes, the start-up file that must load it (None: the shell finds it
    by itself), and the line that loads it."""
    home = Path(env.get("HOME") or Path.home())
    data = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
    config = Path(env.get("XDG_CONFIG_HOME") or home / ".config")
    if shell == Shell.bash:
        script = data / "bash-completion" / "completions" / "coach"
        return script, home / ".bashrc", f"[ -f '{script}' ] && . '{script}'  # coach completion"
    if shell == Shell.zsh:
        folder = Path(env.get("ZDOTDIR") or home) / ".zfunc"
        line = (
            f"fpath=('{folder}' $fpath); autoload -Uz _coach;"
            " (( $+functions[compdef] )) && compdef _coach coach  # coach completion"
        )
        return folder / "_coach", Path(env.get("ZDOTDIR") or home) / ".zshrc", line
    return config / "fish" / "completions" / "coach.fish", None, ""


def install(shell: Shell, env: dict[str, str]) -> list[str]:
    """Write the script and, where needed, the one line that loads it; what was done."""
    from servicecoach.errors import CoachError
    from servicecoach.storage import reason, write_atomic

    script, rc, line = places_for(shell, env)
    write_atomic(script, SCRIPTS[shell].encode())
    done = [f"Wrote {script}"]
    if rc is None:
        return done
    try:
        text = rc.read_text(encoding="utf-8", errors="replace") if rc.exists() else ""
        if line not in text.splitlines():
            with rc.open("a", encoding="utf-8") as handle:
                handle.write(("" if not text or text.endswith("\n") else "\n") + line + "\n")
            done.append(f"Added one line to {rc} to load it")
    except OSError as error:
        raise CoachError(f"Cannot add the line that loads it to {rc}: {reason(error)}.") from None
    return done


def completion(
    shell: Annotated[Shell, typer.Argument(help="bash, zsh or fish.", case_sensitive=False)],
    do_install: Annotated[
        bool,
        typer.Option(
            "--install",
            help="Install it for you, instead of printing it (a new shell then completes).",
        ),
    ] = False,
) -> None:
    """Print the shell completion script for bash, zsh or fish, or install it.

    Example: [bold]coach completion zsh > ~/.zfunc/_coach[/bold], or [bold]coach completion bash
    --install[/bold]
    """
    from servicecoach.ui.console import data, warn

    if not do_install:
        data(SCRIPTS[shell])
        return
    for done in install(shell, dict(os.environ)):
        warn(done)
