"""Benchmarks for coach, as ratios to `python -c "import typer"` measured in the same run.

    python benchmarks/run.py                      # start-up and journal at 1k and 10k
    python benchmarks/run.py --peer jrnl --sizes 1000,10000,100000 --write docs/performance.md

These machines are noisy: every figure is a median of several runs, interleaved with runs of
the baseline, and reported as a ratio to the baseline's median. Peak memory is the child's
maximum resident set size (from wait4), also as a ratio. Journals are generated once per size
with benchmarks/make_journal.py into a temporary folder (or --keep DIR to reuse them). With
`--peer jrnl`, jrnl is installed into its own virtualenv and given the same reflections
(benchmarks/jrnl_peer.py), and each warm read command is measured beside jrnl's nearest one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent

BASELINE = [sys.executable, "-c", "import typer"]
COACH = [sys.executable, "-m", "servicecoach"]


@dataclass
class Measure:
    name: str
    seconds: float
    peak_kb: int


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one run of `argv` with stdin and stdout discarded."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 130):
        error = process.stderr.read().decode() if process.stderr else ""
        raise RuntimeError(f"{' '.join(argv)} exited {process.returncode}: {error}")
    if process.stderr:
        process.stderr.close()
    return elapsed, usage.ru_maxrss


def first_cue(env: dict[str, str]) -> tuple[float, int]:
    """Time from starting `coach apology` in a pseudo-terminal to its first step's title."""
    import pexpect

    start = time.perf_counter()
    child = pexpect.spawn(
        COACH[0], [*COACH[1:], "apology"], env=env, encoding="utf-8", dimensions=(40, 100)
    )
    child.expect("Express regret", timeout=60)
    elapsed = time.perf_counter() - start
    # the memory it took to show the cue: stop the process at once (it goes on loading the
    # full program behind the card), then read its high-water mark
    os.kill(child.pid, signal.SIGSTOP)
    peak = _peak_kb(child.pid)
    os.kill(child.pid, signal.SIGCONT)
    child.expect("› ", timeout=60)  # as a person would, reach the prompt before stopping
    child.sendcontrol("c")
    child.expect(pexpect.EOF, timeout=60)
    child.close()
    return elapsed, peak


def in_terminal(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Time from starting `coach ARGS` in a pseudo-terminal to its exit (what a person
    sees: coach caches some screens for terminals, and a pipe would not show that)."""
    import pexpect

    start = time.perf_counter()
    child = pexpect.spawn(COACH[0], [*COACH[1:], *args], env=env, dimensions=(60, 100))
    child.expect(pexpect.EOF, timeout=60)
    elapsed = time.perf_counter() - start
    child.close()
    return elapsed, 0


def _peak_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match[1]) if match else 0


def median_of(
    runs: int, measure, baseline: list[float], baseline_kb: list[int], env: dict[str, str]
) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    times, peaks = [], []
    for _ in range(runs):
        seconds, kb = run_once(BASELINE, env)
        baseline.append(seconds)
        baseline_kb.append(kb)
        seconds, kb = measure()
        times.append(seconds)
        peaks.append(kb)
    return statistics.median(times), max(peaks)


def startup(env: dict[str, str], runs: int) -> tuple[list[Measure], list[float], list[int]]:
    baseline: list[float] = []
    baseline_kb: list[int] = []
    results = []
    completion_env = {
        **env,
        "_COACH_COMPLETE": "complete_bash",
        "COMP_WORDS": "coach ap",
        "COMP_CWORD": "1",
    }
    cases = {
        "time to first cue (`coach apology`, pty)": lambda: first_cue(env),
        "`coach --help` (terminal)": lambda: in_terminal(["--help"], env),
        "`coach --help` (into a pipe)": lambda: run_once([*COACH, "--help"], env),
        "`coach --version`": lambda: run_once([*COACH, "--version"], env),
        "`coach playbooks list`": lambda: run_once([*COACH, "playbooks", "list"], env),
        "`coach playbooks validate` (built-ins)": lambda: run_once(
            [*COACH, "playbooks", "validate"], env
        ),
        "completion of `coach ap<Tab>`": lambda: run_once(COACH, completion_env),
    }
    for measure in cases.values():
        measure()  # a person's second run onwards: caches (first screens, titles) are filled
    for name, measure in cases.items():
        seconds, kb = median_of(runs, measure, baseline, baseline_kb, env)
        results.append(Measure(name, seconds, kb))
    return results, baseline, baseline_kb


@dataclass
class JournalRow:
    size: int
    name: str
    coach: Measure
    peer: Measure | None = None


def journal(
    env: dict[str, str], sizes: list[int], runs: int, keep: Path | None, peer: str | None
) -> tuple[list[JournalRow], list[float], list[int]]:
    """Each size: the first sync (no cache), the warm read commands beside the peer's nearest
    ones (when asked), and an export of everything."""
    import jrnl_peer

    baseline: list[float] = []
    baseline_kb: list[int] = []
    rows: list[JournalRow] = []
    root = keep or Path(tempfile.mkdtemp(prefix="coach-bench-"))
    try:
        jrnl = jrnl_peer.install(root / "jrnl-venv") if peer else None
        for size in sizes:
            home = root / f"home-{size}"
            if not (home / "journal").exists():
                print(f"building a journal of {size:,} reflections ...", file=sys.stderr)
                # in a child process: the benchmark's own memory must stay small, or forked
                # children would inherit its peak in their maxrss
                subprocess.run(
                    [sys.executable, str(HERE / "make_journal.py"), str(home / "journal"),
                     str(size), "--seed", str(size)],
                    check=True,
                )  # fmt: skip
            size_env = {**env, "COACH_HOME": str(home)}
            list_argv = [*COACH, "journal", "list", "-n", "10"]
            cold = partial(_cold_run, list_argv, size_env, home / "cache")
            cold_runs = max(1, runs // 3) if size >= 100_000 else max(1, runs // 2)
            seconds, kb = median_of(cold_runs, cold, baseline, baseline_kb, size_env)
            rows.append(
                JournalRow(size, "list -n 10, first sync (no cache)", Measure("", seconds, kb))
            )
            if jrnl is not None and not (home / "jrnl" / "journal.txt").exists():
                jrnl_peer.build(home)
            jrnl_env = jrnl_peer.environment(home)
            for name, (ours, theirs) in jrnl_peer.COMMANDS.items():
                warm = partial(run_once, [*COACH, *ours], size_env)
                warm()  # leave a warm cache (and the titles stats names steps with)
                seconds, kb = median_of(runs, warm, baseline, baseline_kb, size_env)
                row = JournalRow(size, name, Measure("", seconds, kb))
                if jrnl is not None:
                    other = partial(run_once, [str(jrnl), *theirs], jrnl_env)
                    other()
                    seconds, kb = median_of(runs, other, baseline, baseline_kb, size_env)
                    row.peer = Measure(" ".join(theirs), seconds, kb)
                rows.append(row)
            followups = partial(run_once, [*COACH, "followups"], size_env)
            followups()  # warm, as the read commands above
            seconds, kb = median_of(runs, followups, baseline, baseline_kb, size_env)
            rows.append(JournalRow(size, "coach followups (open ones)", Measure("", seconds, kb)))
            team = root / f"team-{size}"
            if not team.exists():
                subprocess.run(
                    [sys.executable, str(HERE / "make_team.py"), str(team), str(size),
                     "--seed", str(size)],
                    check=True,
                )  # fmt: skip
            report = partial(run_once, [*COACH, "team", "report", str(team)], size_env)
            report()  # warm: the team's cache filled
            seconds, kb = median_of(runs, report, baseline, baseline_kb, size_env)
            rows.append(
                JournalRow(
                    size, "coach team report (as many share files)", Measure("", seconds, kb)
                )
            )
            for fmt in ("json", "csv", "markdown"):
                argv = [*COACH, "journal", "export", "--format", fmt]
                export = partial(run_once, argv, size_env)
                seconds, kb = median_of(max(1, runs // 2), export, baseline, baseline_kb, size_env)
                rows.append(JournalRow(size, f"export --format {fmt}", Measure("", seconds, kb)))
    finally:
        if keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return rows, baseline, baseline_kb


def _cold_run(argv: list[str], env: dict[str, str], cache: Path) -> tuple[float, int]:
    shutil.rmtree(cache, ignore_errors=True)
    return run_once(argv, env)


def table(
    startup_results: tuple[list[Measure], list[float], list[int]] | None,
    journal_results: tuple[list[JournalRow], list[float], list[int]] | None,
    peer: str | None = None,
) -> str:
    lines: list[str] = []
    if startup_results:
        measures, base, base_kb = startup_results
        b, bkb = statistics.median(base), statistics.median(base_kb)
        lines += [
            f'Baseline `python -c "import typer"`: median {b * 1000:.0f} ms, '
            f"{bkb / 1024:.1f} MiB peak.",
            "",
            "| command | time (x baseline) | peak memory (x baseline) |",
            "| --- | --- | --- |",
        ]
        for m in measures:
            memory = f"{m.peak_kb / bkb:.2f}x ({m.peak_kb / 1024:.1f} MiB)" if m.peak_kb else "-"
            lines.append(
                f"| {m.name} | {m.seconds / b:.2f}x ({m.seconds * 1000:.0f} ms) | {memory} |"
            )
        lines.append("")
    if journal_results:
        rows, base, _ = journal_results
        b = statistics.median(base)
        lines += [
            f"Journal commands (baseline in this part: {b * 1000:.0f} ms); "
            "warm unless it says otherwise.",
            "",
        ]
        if peer:
            lines += [
                f"| reflections | `coach journal ...`, or as named | time (x baseline) | {peer} "
                f"| time (x baseline) | coach is faster by | peak memory coach / {peer} |",
                "| --- | --- | --- | --- | --- | --- | --- |",
            ]
        else:
            lines += [
                "| reflections | `coach journal ...`, or as named | time (x baseline) "
                "| peak memory |",
                "| --- | --- | --- | --- |",
            ]
        for row in rows:
            ours = f"{row.coach.seconds / b:.1f}x ({_seconds(row.coach.seconds)})"
            cells = [f"{row.size:,}", f"`{row.name}`", ours]
            if peer and row.peer is not None:
                theirs = f"{row.peer.seconds / b:.1f}x ({_seconds(row.peer.seconds)})"
                memory = f"{row.coach.peak_kb / 1024:.0f} / {row.peer.peak_kb / 1024:.0f} MiB"
                faster = f"{row.peer.seconds / row.coach.seconds:.1f}x"
                cells += [f"`{peer} {row.peer.name}`", theirs, faster, memory]
            elif peer:
                cells += ["", "", "", f"{row.coach.peak_kb / 1024:.0f} MiB"]
            else:
                cells.append(f"{row.coach.peak_kb / 1024:.0f} MiB")
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def _seconds(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"


MARK_START = "<!-- benchmark:start -->"
MARK_END = "<!-- benchmark:end -->"


def write_into(doc: Path, text: str) -> None:
    """Replace the table between the benchmark markers in `doc` (append them if missing)."""
    stamp = (
        f"Measured {dt.date.today()} on {os.cpu_count()} cores, Python {sys.version.split()[0]}."
    )
    block = f"{MARK_START}\n{stamp}\n\n{text}{MARK_END}"
    current = doc.read_text() if doc.exists() else "# Performance\n\n"
    if MARK_START in current and MARK_END in current:
        before, rest = current.split(MARK_START, 1)
        after = rest.split(MARK_END, 1)[1]
        current = before + block + after
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    doc.write_text(current)


def main() -> None:
    # Run as a background job, this process may have SIGINT ignored, and so would every coach
    # it starts, which the first-cue measure stops with Ctrl-C (a handler, unlike an ignore,
    # is reset to the default in each child).
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    parser = argparse.ArgumentParser(description="Benchmark coach against `import typer`.")
    parser.add_argument("--runs", type=int, default=7, help="runs per measurement (median)")
    parser.add_argument("--sizes", default="1000,10000", help="journal sizes, comma-separated")
    parser.add_argument("--only", choices=("startup", "journal"), help="run one part only")
    parser.add_argument("--keep", type=Path, help="build (or reuse) the journals in this folder")
    parser.add_argument("--write", type=Path, help="write the table into this markdown file")
    parser.add_argument(
        "--peer", choices=("jrnl",), help="measure jrnl too (installed into its own virtualenv)"
    )
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="coach-bench-home-"))
    env = {**os.environ, "COACH_HOME": str(home), "COLUMNS": "100", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    try:
        startup_results = startup(env, args.runs) if args.only != "journal" else None
        sizes = [int(s) for s in args.sizes.split(",") if s]
        journal_results = (
            journal(env, sizes, args.runs, args.keep, args.peer) if args.only != "startup" else None
        )
    finally:
        shutil.rmtree(home, ignore_errors=True)
    text = table(startup_results, journal_results, args.peer)
    print(text)
    if args.write:
        write_into(args.write, text)


if __name__ == "__main__":
    main()
